import { type Example, type Library, sectionKey } from "../content/types.js";
import { objective } from "./cross-validate.js";
import {
  type Evaluation,
  evaluate,
  type LabelledQuestion,
  matcherPredictions,
  normalize,
  type Predicted,
  type Score,
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
 *
 * A number that only pushed questions towards the new section would look good on its questions
 * alone, so each run also asks a fold of the other sections' in-scope tuning questions (removed from
 * its examples too): `siblings` says how they fare, and `taken` how many the new section took.
 */
export interface SectionHoldout {
  readonly written: Evaluation;
  readonly real: Evaluation;
  /**
   * The mean of the written and the real objective (`objective` in cross-validate.ts) over every
   * question asked: the section's own, the off-topic fold and the other sections' fold.
   */
  readonly value: number;
  /** The same over the section's own questions and the off-topic fold only (the first measure). */
  readonly ownValue: number;
  /** The other sections' questions asked in each run, written and real together. */
  readonly siblings: Evaluation;
  /** Of those, how many were given to the section whose examples were left out. */
  readonly taken: Score;
  /** In-scope questions whose best-ranked section, whatever its confidence, is right. */
  readonly ranked: Score;
}

export function leaveSectionOut(
  library: Pick<Library, "sections" | "examples">,
  tune: readonly LabelledQuestion[],
  options: MatcherOptions = {},
  keep = 0,
): SectionHoldout {
  const sections = library.sections;
  const offTopic = tune.filter((q) => q.section === null);
  const inScope = tune.filter((q) => q.section !== null);
  const taken = { correct: 0, total: 0 };
  const runs = sections.map((section, run) => {
    const fold = offTopic.filter((_, i) => i % sections.length === run);
    const siblings = inScope.filter((q, i) => i % sections.length === run && q.section !== section.id);
    const held = new Set([...fold, ...siblings].map((q) => normalize(q.question)));
    const key = sectionKey(section);
    let kept = 0;
    const examples: Example[] = library.examples.filter((example) => {
      if (held.has(normalize(example.question))) return false;
      return example.section !== key || kept++ < keep;
    });
    const matcher = new Matcher({ sections, examples }, options);
    const asked = tune.filter((q) => q.section === section.id);
    const others = matcherPredictions(matcher, siblings);
    for (const p of others) {
      taken.total += 1;
      if (p.prediction.section === section.id) taken.correct += 1;
    }
    return { own: matcherPredictions(matcher, [...asked, ...fold]), others };
  });
  const own = runs.flatMap((r) => r.own);
  const all = [...own, ...runs.flatMap((r) => r.others)];
  const isWritten = (p: Predicted) => p.question.url === undefined;
  return {
    written: evaluate(own.filter(isWritten)),
    real: evaluate(own.filter((p) => !isWritten(p))),
    value: mixed(all),
    ownValue: mixed(own),
    siblings: evaluate(runs.flatMap((r) => r.others)),
    taken,
    ranked: { correct: 0, total: 0 },
  };
}

/** Written and real questions scored apart and counted alike, as in cross-validation. */
function mixed(predicted: readonly Predicted[]): number {
  const parts = [
    evaluate(predicted.filter((p) => p.question.url === undefined)),
    evaluate(predicted.filter((p) => p.question.url !== undefined)),
  ].filter((e) => e.inScope.total + e.offTopic.total > 0);
  return parts.reduce((sum, e) => sum + objective(e), 0) / Math.max(1, parts.length);
}

/**
 * Every section at once: the seed article as if it were new, each section keeping at most `keep`
 * examples (the off-topic examples stay). This is the choice the single-section runs cannot show:
 * among sibling sections that all have few examples, which one a question belongs to. The tuning
 * questions are asked in `folds` folds, each removed from the examples of the run that asks it.
 */
export function leaveArticleOut(
  library: Pick<Library, "sections" | "examples">,
  tune: readonly LabelledQuestion[],
  options: MatcherOptions = {},
  keep = 0,
  folds = 5,
): SectionHoldout {
  const ranked = { correct: 0, total: 0 };
  const predicted = Array.from({ length: folds }, (_, run) => {
    const fold = tune.filter((_, i) => i % folds === run);
    const held = new Set(fold.map((q) => normalize(q.question)));
    const kept = new Map<string, number>();
    const examples = library.examples.filter((example) => {
      if (held.has(normalize(example.question))) return false;
      if (example.section === null) return true;
      const n = kept.get(example.section) ?? 0;
      kept.set(example.section, n + 1);
      return n < keep;
    });
    const matcher = new Matcher({ sections: library.sections, examples }, options);
    for (const q of fold) {
      if (q.section === null) continue;
      ranked.total += 1;
      if (matcher.rank(q.question, 1)[0]?.section.id === q.section) ranked.correct += 1;
    }
    return matcherPredictions(matcher, fold);
  }).flat();
  const isWritten = (p: Predicted) => p.question.url === undefined;
  const value = mixed(predicted);
  return {
    written: evaluate(predicted.filter(isWritten)),
    real: evaluate(predicted.filter((p) => !isWritten(p))),
    value,
    ownValue: value,
    siblings: evaluate([]),
    taken: { correct: 0, total: 0 },
    ranked,
  };
}
