import { gapOfAnswer, notHelpfulGap } from "../gaps.js";
import { type Answer, answerQuestion } from "../match/answer.js";
import type { BotDeps } from "./deps.js";

/** The answer to a question, noting a knowledge gap when the content has no guidance on it. */
export function answerFor(deps: BotDeps, question: string): Answer {
  const answer = answerQuestion(deps.matcher, question);
  const gap = gapOfAnswer(answer, deps.now());
  if (gap) deps.gaps?.(gap);
  return answer;
}

/** An answer marked 👎: a knowledge gap on that section (the question, never who asked). */
export function noteNotHelpful(deps: BotDeps, question: string, article: string, section: string): void {
  deps.gaps?.(notHelpfulGap(question, article, section, deps.now()));
}
