import { Cron } from "croner";

/** 0 = Sunday … 6 = Saturday, as in cron and `Date#getDay`. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** When a subscriber wants the prompt: a weekday and a local wall-clock time "HH:MM". */
export interface PromptSchedule {
  readonly weekday: Weekday;
  readonly time: string;
}

export const DEFAULT_SCHEDULE: PromptSchedule = { weekday: 1, time: "09:00" };

export const WEEKDAY_NAMES = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
] as const;

const WEEKDAY_WORDS: Record<string, Weekday> = {
  sun: 0,
  sunday: 0,
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  weds: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
};

const EXAMPLES =
  "Try e.g. `/em-focus subscribe tue 9:30` or `/em-focus subscribe friday 4pm`; with no day or time it is Monday 09:00.";

export type ScheduleParse = ({ ok: true } & PromptSchedule) | { ok: false; message: string };

function fail(problem: string): ScheduleParse {
  return { ok: false, message: `${problem} ${EXAMPLES}` };
}

/** A word of the person's as quoted back: short, whatever they typed. */
function quote(word: string): string {
  return `"${word.length > 40 ? `${word.slice(0, 39)}…` : word}"`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function weekdayFrom(word: string): Weekday | undefined {
  // "Mondays" reads as naturally as "Monday" for a weekly prompt.
  return WEEKDAY_WORDS[word] ?? (word.endsWith("s") ? WEEKDAY_WORDS[word.slice(0, -1)] : undefined);
}

type TimeParse = { ok: true; time: string } | { ok: false; problem: string } | undefined;

/** Reads "9:30", "09:30", "14:00", "9am", "9:30pm", "9.30pm", "noon", "midnight"; undefined if it is no time. */
function timeFrom(word: string): TimeParse {
  if (word === "noon" || word === "midday") return { ok: true, time: "12:00" };
  if (word === "midnight") return { ok: true, time: "00:00" };
  const twelveHour = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm|a\.m\.|p\.m\.)$/.exec(word);
  if (twelveHour) {
    const hour = Number(twelveHour[1]);
    const minute = Number(twelveHour[2] ?? "0");
    if (hour < 1 || hour > 12)
      return { ok: false, problem: `With am/pm the hour must be 1–12 (got ${twelveHour[1]}).` };
    if (minute > 59) return { ok: false, problem: `The minutes must be 00–59 (got ${twelveHour[2]}).` };
    const pm = twelveHour[3]?.startsWith("p") ?? false;
    return { ok: true, time: `${pad((hour % 12) + (pm ? 12 : 0))}:${pad(minute)}` };
  }
  const twentyFourHour = /^(\d{1,2})[:.](\d{2})$/.exec(word);
  if (twentyFourHour) {
    const hour = Number(twentyFourHour[1]);
    const minute = Number(twentyFourHour[2]);
    if (hour > 23) return { ok: false, problem: `The hour must be 0–23 (got ${hour}).` };
    if (minute > 59) return { ok: false, problem: `The minutes must be 00–59 (got ${twentyFourHour[2]}).` };
    return { ok: true, time: `${pad(hour)}:${pad(minute)}` };
  }
  if (/^\d{1,2}$/.test(word)) {
    return {
      ok: false,
      problem: `${quote(word)} could be morning or evening: write ${word}:00, ${word}am or ${word}pm.`,
    };
  }
  if (/^\d/.test(word)) return { ok: false, problem: `${quote(word)} is not a time I can read.` };
  return undefined;
}

/**
 * Reads the `[day] [time]` of `/em-focus subscribe`, in either order; each defaults to Monday
 * 09:00. The time is local to the subscriber's own time zone.
 */
export function parseSchedule(text: string): ScheduleParse {
  const words = text
    .toLowerCase()
    .replace(/,/g, " ")
    .split(/\s+/)
    .filter((word) => word !== "" && word !== "at" && word !== "on" && word !== "every")
    // "9 am" and "9:30 pm" are written with a space as often as without.
    .reduce<string[]>((joined, word) => {
      const previous = joined.at(-1);
      if (/^(am|pm|a\.m\.|p\.m\.)$/.test(word) && previous && /^\d{1,2}([:.]\d{2})?$/.test(previous)) {
        joined[joined.length - 1] = previous + word;
      } else {
        joined.push(word);
      }
      return joined;
    }, []);

  let weekday: Weekday | undefined;
  let time: string | undefined;
  for (const word of words) {
    const cleaned = word.replace(/\.$/, "");
    const day = weekdayFrom(cleaned);
    if (day !== undefined) {
      if (weekday !== undefined && weekday !== day)
        return fail("Give one day only: prompts come once a week.");
      weekday = day;
      continue;
    }
    const parsedTime = timeFrom(word.endsWith("m.") ? word : cleaned);
    if (parsedTime?.ok === false) return fail(parsedTime.problem);
    if (parsedTime?.ok) {
      if (time !== undefined && time !== parsedTime.time) return fail("Give one time only.");
      time = parsedTime.time;
      continue;
    }
    return fail(`I couldn't read ${quote(word)} as a day or a time.`);
  }
  return { ok: true, weekday: weekday ?? DEFAULT_SCHEDULE.weekday, time: time ?? DEFAULT_SCHEDULE.time };
}

/** "Monday 09:00", for confirmations and status. */
export function formatSchedule(schedule: PromptSchedule): string {
  return `${WEEKDAY_NAMES[schedule.weekday]} ${schedule.time}`;
}

// Building an Intl formatter or a cron pattern costs far more than using one, and a delivery pass
// asks about the same few zones and schedules thousands of times.
const validZones = new Map<string, boolean>();
const crons = new Map<string, Cron>();
/**
 * The last answer per schedule and zone, with the instant it was asked from: no run lies between
 * them, so any instant from that one up to the answer has the same answer. A pass asks with a clock
 * that moves by milliseconds across thousands of subscriptions sharing a few schedules, and croner
 * takes ~60 µs an answer.
 */
const lastAnswers = new Map<string, { from: number; next: number }>();

export function isValidTimeZone(timeZone: string): boolean {
  let valid = validZones.get(timeZone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone });
      valid = true;
    } catch {
      valid = false;
    }
    if (validZones.size < 10_000) validZones.set(timeZone, valid);
  }
  return valid;
}

/**
 * The first instant strictly after `after` when it is `schedule` (weekday and wall-clock time) in
 * `timeZone`. Croner keeps the local time across DST: a time skipped by spring-forward moves to
 * the first valid instant after the gap, a time repeated by fall-back happens at its first
 * occurrence.
 */
export function nextPromptAt(schedule: PromptSchedule, timeZone: string, after: Date): Date {
  const key = `${schedule.weekday} ${schedule.time} ${timeZone}`;
  let cron = crons.get(key);
  if (!cron) {
    const [hour, minute] = schedule.time.split(":").map(Number);
    cron = new Cron(`${minute} ${hour} * * ${schedule.weekday}`, { timezone: timeZone });
    if (crons.size < 10_000) crons.set(key, cron);
  }
  const from = after.getTime();
  const last = lastAnswers.get(key);
  if (last && from >= last.from && from < last.next) return new Date(last.next);
  const next = cron.nextRun(after);
  if (!next) throw new Error(`No next prompt time for ${formatSchedule(schedule)} in ${timeZone}`);
  if (lastAnswers.size < 10_000 || lastAnswers.has(key)) lastAnswers.set(key, { from, next: next.getTime() });
  return next;
}

/**
 * Lead the same weekly prompt can have between two time zones: offsets span UTC−12 to UTC+14.
 * Searching from this far before the old due time finds the new zone's occurrence of that week.
 */
export const MAX_ZONE_SHIFT_MS = 27 * 60 * 60 * 1000;

/** Where a due time computed in one zone lands after the subscriber moved to `timeZone`. */
export function sameWeekPromptAt(schedule: PromptSchedule, timeZone: string, dueInOldZone: Date): Date {
  return nextPromptAt(schedule, timeZone, new Date(dueInOldZone.getTime() - MAX_ZONE_SHIFT_MS));
}
