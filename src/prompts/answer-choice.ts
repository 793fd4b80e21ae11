import type { FocusLevel } from "../content/types.js";

/** The four buttons on a prompt: a focus level, or "skip this week". */
export type AnswerChoice = FocusLevel | "skip";

export const ANSWER_CHOICES: readonly AnswerChoice[] = ["narrow", "wide", "ic", "skip"];
