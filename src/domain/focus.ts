import type { FocusLevel } from "../content/types.js";

/*
 * The words of the weekly reflection that both the store and the delivery pass speak: below both,
 * so neither has to import the other to name an answer.
 */

/** The four buttons of the focus check: a focus level, or "skip this week". */
export type AnswerChoice = FocusLevel | "skip";

export const ANSWER_CHOICES: readonly AnswerChoice[] = ["narrow", "wide", "ic", "skip"];

/** The level a person means to spend this quarter on (`/em-focus focus wide`). */
export type IntendedFocus = FocusLevel;

/** Where a person's answers went instead of where they meant them to go. */
export interface Drift {
  readonly intended: IntendedFocus;
  readonly actual: FocusLevel;
}

/** How many recent answers drift is judged on, and how many of them must differ. */
export const DRIFT_WINDOW = 4;
export const DRIFT_THRESHOLD = 3;
/** At most one nudge in this long. */
export const NUDGE_INTERVAL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Drift, when at least three of the last four focus answers (newest first, skips left out: a skip
 * says nothing about focus) differ from the intended level; `actual` is the level they went to most,
 * the most recent one on a tie.
 */
export function detectDrift(
  intended: IntendedFocus,
  newestFirst: readonly AnswerChoice[],
): Drift | undefined {
  const levels = newestFirst.filter((c): c is FocusLevel => c !== "skip").slice(0, DRIFT_WINDOW);
  if (levels.length < DRIFT_WINDOW) return undefined;
  const other = levels.filter((level) => level !== intended);
  if (other.length < DRIFT_THRESHOLD) return undefined;
  const counts = new Map<FocusLevel, number>();
  for (const level of other) counts.set(level, (counts.get(level) ?? 0) + 1);
  let actual = other[0] as FocusLevel;
  for (const level of other) if ((counts.get(level) ?? 0) > (counts.get(actual) ?? 0)) actual = level;
  return { intended, actual };
}
