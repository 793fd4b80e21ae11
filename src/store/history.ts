import type { AnswerChoice } from "../domain/focus.js";

export interface HistoryWeek {
  /** Local date (YYYY-MM-DD) of the Monday that starts the week, in the asked time zone. */
  readonly weekStart: string;
  /** The latest answer for a prompt due that week, or null when there was none. */
  readonly choice: AnswerChoice | null;
  readonly note: string | null;
}

export interface AnswerHistory {
  /** Oldest week first; the last entry is the current week. */
  readonly weeks: readonly HistoryWeek[];
  /** How many of those weeks had each answer. */
  readonly counts: Readonly<Record<AnswerChoice, number>>;
}

export interface HistoryOptions {
  readonly weeks: number;
  readonly now: Date;
  readonly timeZone: string;
  /** The person's first prompt: weeks before it are left out of the chart (they were not asked). */
  readonly since?: Date | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const WEEKDAY_INDEX: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      weekday: "short",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Local calendar date (YYYY-MM-DD) of the Monday of the week that contains `instant` in
 * `timeZone`. Only calendar dates are computed in UTC, never offsets, so DST cannot shift it.
 */
export function weekStartIn(timeZone: string, instant: Date): string {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const sinceMonday = WEEKDAY_INDEX[parts.weekday ?? ""] ?? 0;
  const localDate = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day));
  return new Date(localDate - sinceMonday * DAY_MS).toISOString().slice(0, 10);
}

function previousWeek(weekStart: string): string {
  return new Date(Date.parse(`${weekStart}T00:00:00Z`) - 7 * DAY_MS).toISOString().slice(0, 10);
}

export interface AnswerForHistory {
  readonly choice: AnswerChoice;
  readonly note: string | null;
  readonly dueAt: Date;
  readonly answeredAt: Date;
}

/** One row per week for the last `weeks` weeks (oldest first), the latest answer winning a week. */
export function weeklyHistory(answers: readonly AnswerForHistory[], options: HistoryOptions): AnswerHistory {
  const starts: string[] = [];
  let start = weekStartIn(options.timeZone, options.now);
  const first = options.since ? weekStartIn(options.timeZone, options.since) : "";
  for (let i = 0; i < options.weeks && start >= first; i++) {
    starts.unshift(start);
    start = previousWeek(start);
  }
  const latest = new Map<string, AnswerForHistory>();
  for (const answer of answers) {
    const week = weekStartIn(options.timeZone, answer.dueAt);
    const current = latest.get(week);
    if (!current || current.answeredAt.getTime() < answer.answeredAt.getTime()) latest.set(week, answer);
  }
  const counts: Record<AnswerChoice, number> = { narrow: 0, wide: 0, ic: 0, skip: 0 };
  const weeks: HistoryWeek[] = starts.map((weekStart) => {
    const answer = latest.get(weekStart);
    if (answer) counts[answer.choice] += 1;
    return { weekStart, choice: answer?.choice ?? null, note: answer?.note ?? null };
  });
  return { weeks, counts };
}
