import type { FocusLevel } from "../content/types.js";
import type { AnswerChoice } from "../domain/focus.js";

/*
 * What a channel sees of its members' answers. Privacy rules, all here: nothing below three
 * answers (not even the split of a trend week), no names but of members who opted in, never a note
 * (notes are not even read), and only answers still stored (forget-me and retention delete them).
 */

/** Fewer answers than this and a week shows no split at all. */
export const MIN_ANSWERS = 3;
/** Weeks of the trend a summary draws. */
export const TREND_WEEKS = 12;

export type ChoiceCounts = Readonly<Record<AnswerChoice, number>>;

export interface TrendWeek {
  readonly dueAt: Date;
  readonly answered: number;
  /** Null when fewer than MIN_ANSWERS answered: the week is drawn as "not enough answers". */
  readonly counts: ChoiceCounts | null;
}

export interface TeamSummary {
  readonly channelId: string;
  readonly dueAt: Date;
  readonly answered: number;
  /** Null when fewer than MIN_ANSWERS answered: "not enough answers to share this week". */
  readonly counts: ChoiceCounts | null;
  /** User ids of members who answered and chose to be named; empty below MIN_ANSWERS. */
  readonly named: readonly string[];
  /** The level most answers went to this week, for the article's line; null on a tie or too few. */
  readonly topLevel: FocusLevel | null;
  /** Oldest week first, this one last. */
  readonly trend: readonly TrendWeek[];
}

interface ChannelAnswer {
  readonly deliveryId: string;
  readonly userId: string;
  readonly choice: AnswerChoice;
}

function countChoices(answers: readonly ChannelAnswer[]): ChoiceCounts {
  const counts: Record<AnswerChoice, number> = { narrow: 0, wide: 0, ic: 0, skip: 0 };
  for (const answer of answers) counts[answer.choice] += 1;
  return counts;
}

function topLevelOf(counts: ChoiceCounts): FocusLevel | null {
  const ranked = (["narrow", "wide", "ic"] as const).map((level) => ({ level, n: counts[level] }));
  ranked.sort((a, b) => b.n - a.n);
  const [first, second] = ranked;
  if (!first || first.n === 0 || (second && second.n === first.n)) return null;
  return first.level;
}

/** The summary of `week` (a channel prompt) among `weeks` (that channel's prompts, oldest first). */
export function buildTeamSummary(input: {
  readonly channelId: string;
  readonly week: { deliveryId: string; dueAt: Date };
  readonly weeks: ReadonlyArray<{ deliveryId: string; dueAt: Date }>;
  readonly answers: readonly ChannelAnswer[];
  readonly optedIn: ReadonlySet<string>;
}): TeamSummary {
  const byWeek = new Map<string, ChannelAnswer[]>();
  for (const answer of input.answers) {
    const list = byWeek.get(answer.deliveryId) ?? [];
    list.push(answer);
    byWeek.set(answer.deliveryId, list);
  }
  const weekOf = (deliveryId: string, dueAt: Date): TrendWeek => {
    const answers = byWeek.get(deliveryId) ?? [];
    return {
      dueAt,
      answered: answers.length,
      counts: answers.length >= MIN_ANSWERS ? countChoices(answers) : null,
    };
  };
  const others = input.weeks.filter((w) => w.deliveryId !== input.week.deliveryId);
  const trend = [...others, input.week]
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
    .slice(-TREND_WEEKS)
    .map((w) => weekOf(w.deliveryId, w.dueAt));
  const mine = byWeek.get(input.week.deliveryId) ?? [];
  const current = weekOf(input.week.deliveryId, input.week.dueAt);
  const named = current.counts
    ? [...new Set(mine.map((a) => a.userId).filter((user) => input.optedIn.has(user)))].sort()
    : [];
  return {
    channelId: input.channelId,
    dueAt: input.week.dueAt,
    answered: current.answered,
    counts: current.counts,
    named,
    topLevel: current.counts ? topLevelOf(current.counts) : null,
    trend,
  };
}
