import { type Example, type Library, sectionKey } from "../content/types.js";
import { objective } from "./cross-validate.js";
import {
  type Evaluation,
  evaluate,
  type LabelledQuestion,
  matcherPredictions,
  normalize,
} from "./evaluate.js";
import { Matcher, type MatcherOptions } from "./matcher.js";

/**
 * Leave one section's examples out: how the matcher answers a section nobody has written examples
 * for yet, measured on the seed article's tuning questions only (never the held-out ones).
 *
 * For each section in turn, the matcher is trained with all but `keep` of that section's examples
 * removed, as if an owner had just added it, and asked that section's tuning questions. The
 * off-topic tuning questions are split into as many folds as there are sections; each fold is
 * removed from the examples and asked in one section's run, so every tuning question is asked once,
 * by a matcher that did not learn from it. This is what chooses the numbers that only matter for
 * sections with few examples (`fewExamplesLift`), without the test articles of `npm run eval --
 * --library` deciding: those stay a measurement.
 */
export interface SectionHoldout {
  readonly written: Evaluation;
  readonly real: Evaluation;
  /** The mean of the written and the real objective (`objective` in cross-validate.ts). */
  readonly value: number;
}

export function leaveSectionOut(
  library: Pick<Library, "sections" | "examples">,
  tune: readonly LabelledQuestion[],
  options: MatcherOptions = {},
  keep = 0,
): SectionHoldout {
  const sections = library.sections;
  const offTopic = tune.filter((q) => q.section === null);
  const predicted = sections.flatMap((section, run) => {
    const fold = offTopic.filter((_, i) => i % sections.length === run);
    const held = new Set(fold.map((q) => normalize(q.question)));
    const key = sectionKey(section);
    let kept = 0;
    const examples: Example[] = library.examples.filter((example) => {
      if (held.has(normalize(example.question))) return false;
      return example.section !== key || kept++ < keep;
    });
    const matcher = new Matcher({ sections, examples }, options);
    const asked = tune.filter((q) => q.section === section.id);
    return matcherPredictions(matcher, [...asked, ...fold]);
  });
  const written = evaluate(predicted.filter((p) => p.question.url === undefined));
  const real = evaluate(predicted.filter((p) => p.question.url !== undefined));
  const parts = [written, real].filter((e) => e.inScope.total + e.offTopic.total > 0);
  const value = parts.reduce((sum, e) => sum + objective(e), 0) / Math.max(1, parts.length);
  return { written, real, value };
}
