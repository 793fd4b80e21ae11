import MiniSearch from "minisearch";
import { type Example, type Library, type Section, sectionKey } from "../content/types.js";
import { choose, DEFAULT_MATCHER_OPTIONS, type Match, Matcher, type MatcherOptions } from "./matcher.js";

/**
 * Honest evaluation of the matcher (`npm run eval`): stratified k-fold cross-validation on the
 * tuning questions, and one run on the frozen held-out questions, beside plain MiniSearch.
 */

/** One labelled question of `tests/fixtures/questions.jsonl`. */
export interface LabelledQuestion {
  question: string;
  /** Id of the section a thoughtful reader would answer with, or null for off-topic. */
  section: string | null;
  split: "tune" | "holdout";
  /** A second section that honestly fits too. */
  also?: string;
  /** For off-topic questions: "near-miss" (the domain's words in another sense) or "unrelated". */
  kind?: string;
}

export function parseLabelledQuestions(jsonl: string): LabelledQuestion[] {
  return jsonl
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, index) => {
      const value = JSON.parse(line) as LabelledQuestion;
      if (typeof value.question !== "string" || (value.split !== "tune" && value.split !== "holdout")) {
        throw new Error(`line ${index + 1}: needs "question" and "split" ("tune" or "holdout")`);
      }
      return value;
    });
}

/** What an answerer says: a section id and its alternatives, or null for "no guidance". */
export interface Prediction {
  section: string | null;
  alternatives: string[];
}

/** The raw ranking of one question, kept so thresholds can be swept without matching again. */
export interface Ranked {
  question: LabelledQuestion;
  ranking: { section: string; score: number; share: number; words: readonly string[] }[];
}

export interface Score {
  correct: number;
  total: number;
}

export interface Evaluation {
  /** Top-1 right section, in-scope questions. */
  inScope: Score;
  /** "No guidance", off-topic questions. */
  offTopic: Score;
  /** Top-1 or the first alternative right, in-scope questions. */
  inScopeOrAlternative: Score;
  /** Answers that came with at least one alternative. */
  withAlternatives: Score;
  perSection: Record<string, Score>;
  /** expected → got, counted. */
  confusions: Record<string, number>;
  misses: { question: string; expected: string | null; got: string | null; alternatives: string[] }[];
}

export function ratio(score: Score): number {
  return score.total === 0 ? 0 : score.correct / score.total;
}

/**
 * The decision rule of `Matcher.decide`, applied to a stored ranking. A "closest" answer counts as
 * an answer; `closestConfidence` defaults to `minConfidence`, which gives none.
 */
export function decide(
  ranking: Ranked["ranking"],
  minConfidence: number,
  alternativeShare: number,
  closestConfidence = minConfidence,
): Prediction {
  const chosen = choose(ranking, { minConfidence, alternativeShare, closestConfidence });
  return chosen
    ? { section: chosen.best.section, alternatives: chosen.alternatives.map((match) => match.section) }
    : { section: null, alternatives: [] };
}

export function evaluate(
  predictions: readonly { question: LabelledQuestion; prediction: Prediction }[],
): Evaluation {
  const result: Evaluation = {
    inScope: { correct: 0, total: 0 },
    offTopic: { correct: 0, total: 0 },
    inScopeOrAlternative: { correct: 0, total: 0 },
    withAlternatives: { correct: 0, total: 0 },
    perSection: {},
    confusions: {},
    misses: [],
  };
  const count = (score: Score, ok: boolean) => {
    score.total += 1;
    if (ok) score.correct += 1;
  };
  for (const { question, prediction } of predictions) {
    const expected = question.section;
    const got = prediction.section;
    const ok = got === expected;
    const key = expected ?? "(off-topic)";
    result.perSection[key] ??= { correct: 0, total: 0 };
    count(result.perSection[key], ok);
    if (expected === null) count(result.offTopic, ok);
    else {
      count(result.inScope, ok);
      count(result.inScopeOrAlternative, ok || (got !== null && prediction.alternatives[0] === expected));
    }
    if (got !== null) count(result.withAlternatives, prediction.alternatives.length > 0);
    if (!ok) {
      const pair = `${expected ?? "(off-topic)"} → ${got ?? "(no guidance)"}`;
      result.confusions[pair] = (result.confusions[pair] ?? 0) + 1;
      result.misses.push({
        question: question.question,
        expected,
        got,
        alternatives: prediction.alternatives,
      });
    }
  }
  return result;
}

/** Stratified fold numbers (0..k-1): each label is dealt round-robin, in file order. */
export function stratifiedFolds(questions: readonly LabelledQuestion[], k: number): number[] {
  const dealt = new Map<string, number>();
  return questions.map((q) => {
    const label = q.section ?? "(off-topic)";
    const n = dealt.get(label) ?? 0;
    dealt.set(label, n + 1);
    return n % k;
  });
}

/** Case, punctuation and spacing do not make a question new: "VP path?" and "vp path" are one question. */
const normalize = (text: string) => (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(" ");

/** Section keys by bare id, for a library whose ids are unique (the fixture names sections by id). */
function idOf(sections: readonly Section[]): (key: string) => string {
  const ids = new Map(sections.map((section) => [sectionKey(section), section.id]));
  return (key) => ids.get(key) ?? key;
}

function rankAll(matcher: Matcher, questions: readonly LabelledQuestion[]): Ranked[] {
  const id = idOf(matcher.sections);
  return questions.map((question) => ({
    question,
    ranking: matcher.rank(question.question, 3).map((match: Match) => ({
      section: id(sectionKey(match.section)),
      score: match.score,
      share: match.share,
      words: match.words,
    })),
  }));
}

/**
 * Rankings of the tuning questions by cross-validation: for each fold, a matcher trained on the
 * library's content and examples minus every example that is one of the fold's questions.
 */
export function crossValidatedRankings(
  library: Library,
  tune: readonly LabelledQuestion[],
  options: MatcherOptions = {},
  k = 5,
): { ranked: Ranked[]; folds: number[] } {
  const folds = stratifiedFolds(tune, k);
  const ranked: Ranked[] = new Array(tune.length);
  for (let fold = 0; fold < k; fold++) {
    const held = new Set(tune.filter((_, i) => folds[i] === fold).map((q) => normalize(q.question)));
    const examples: Example[] = library.examples.filter((example) => !held.has(normalize(example.question)));
    const matcher = new Matcher({ sections: library.sections, examples }, options);
    const indexes = tune.map((_, i) => i).filter((i) => folds[i] === fold);
    const results = rankAll(
      matcher,
      indexes.map((i) => tune[i] as LabelledQuestion),
    );
    indexes.forEach((i, j) => {
      ranked[i] = results[j] as Ranked;
    });
  }
  return { ranked, folds };
}

/** Grid the decision thresholds are chosen from. */
export const CONFIDENCE_GRID = [0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9];
export const ALTERNATIVE_GRID = [0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];

/**
 * What the thresholds are chosen for: right in scope and right off-topic count alike (the mean of
 * the two rates), plus a little for the first alternative rescuing a wrong top answer, minus a
 * little for every answer that shows alternatives, so they appear only when they earn their place.
 */
export function objective(evaluation: Evaluation): number {
  return (
    (ratio(evaluation.inScope) + ratio(evaluation.offTopic)) / 2 +
    0.25 * (ratio(evaluation.inScopeOrAlternative) - ratio(evaluation.inScope)) -
    0.02 * ratio(evaluation.withAlternatives)
  );
}

export function bestThresholds(ranked: readonly Ranked[]): {
  minConfidence: number;
  alternativeShare: number;
} {
  let best = { minConfidence: DEFAULT_MATCHER_OPTIONS.minConfidence, alternativeShare: 1, value: -1 };
  for (const minConfidence of CONFIDENCE_GRID) {
    for (const alternativeShare of ALTERNATIVE_GRID) {
      const value = objective(
        evaluate(
          ranked.map((r) => ({
            question: r.question,
            prediction: decide(r.ranking, minConfidence, alternativeShare),
          })),
        ),
      );
      if (value > best.value) best = { minConfidence, alternativeShare, value };
    }
  }
  return { minConfidence: best.minConfidence, alternativeShare: best.alternativeShare };
}

/**
 * Cross-validated figures with the thresholds chosen honestly: each fold is decided with thresholds
 * picked on the other folds' rankings, never its own.
 */
export function crossValidate(
  library: Library,
  tune: readonly LabelledQuestion[],
  options: MatcherOptions = {},
  k = 5,
): {
  evaluation: Evaluation;
  chosen: { minConfidence: number; alternativeShare: number }[];
  ranked: Ranked[];
} {
  const { ranked, folds } = crossValidatedRankings(library, tune, options, k);
  const predictions: { question: LabelledQuestion; prediction: Prediction }[] = [];
  const chosen: { minConfidence: number; alternativeShare: number }[] = [];
  for (let fold = 0; fold < k; fold++) {
    const thresholds = bestThresholds(ranked.filter((_, i) => folds[i] !== fold));
    chosen.push(thresholds);
    ranked.forEach((r, i) => {
      if (folds[i] !== fold) return;
      predictions.push({
        question: r.question,
        prediction: decide(r.ranking, thresholds.minConfidence, thresholds.alternativeShare),
      });
    });
  }
  return { evaluation: evaluate(predictions), chosen, ranked };
}

/** The shipped matcher (all content and examples) on the given questions. */
export function evaluateMatcher(matcher: Matcher, questions: readonly LabelledQuestion[]): Evaluation {
  const id = idOf(matcher.sections);
  return evaluate(
    questions.map((question) => {
      const decision = matcher.decide(question.question);
      return {
        question,
        prediction: decision
          ? {
              section: id(sectionKey(decision.best.section)),
              alternatives: decision.alternatives.map((m) => id(sectionKey(m.section))),
            }
          : { section: null, alternatives: [] },
      };
    }),
  );
}

/** MiniSearch as it comes: default tokenizer and options, no aliases; any hit is an answer. */
export function plainMiniSearch(sections: readonly Section[]): (question: string) => string | null {
  const index = new MiniSearch<{ id: number; heading: string; text: string }>({
    fields: ["heading", "text"],
  });
  index.addAll(sections.map((section, id) => ({ id, heading: section.heading, text: section.plain })));
  return (question) => {
    const [top] = index.search(question);
    return top ? (sections[top.id as number]?.id ?? null) : null;
  };
}

export function evaluatePlain(
  answer: (question: string) => string | null,
  questions: readonly LabelledQuestion[],
) {
  return evaluate(
    questions.map((question) => ({
      question,
      prediction: { section: answer(question.question), alternatives: [] },
    })),
  );
}

/** Example questions that are also held-out questions: must be none, or the held-out figures lie. */
export function leakedExamples(library: Library, questions: readonly LabelledQuestion[]): string[] {
  const holdout = new Set(questions.filter((q) => q.split === "holdout").map((q) => normalize(q.question)));
  return library.examples
    .filter((example) => holdout.has(normalize(example.question)))
    .map((e) => e.question);
}
