import MiniSearch from "minisearch";
import { type Library, type Section, sectionKey } from "../content/types.js";
import { choose, type Matcher } from "./matcher.js";

/**
 * Honest evaluation of the matcher (`npm run eval`): labelled questions, what an answerer said to
 * them and how often it was right, the shipped matcher on the frozen held-out questions, beside plain
 * MiniSearch. Cross-validation on the tuning questions is in cross-validate.ts.
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
  /** Real questions: the public page it was copied from. */
  url?: string;
  /** Real questions: "clear" when both labellers agreed and called it clear, else "arguable". */
  clarity?: "clear" | "arguable";
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

/** A question with what an answerer said to it. */
export interface Predicted {
  question: LabelledQuestion;
  prediction: Prediction;
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

/** The thresholds of the decision rule (`choose` in matcher.ts). */
export interface Thresholds {
  minConfidence: number;
  closestConfidence: number;
  alternativeShare: number;
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

export const decideWith = (ranking: Ranked["ranking"], t: Thresholds) =>
  decide(ranking, t.minConfidence, t.alternativeShare, t.closestConfidence);

export function evaluate(predictions: readonly Predicted[]): Evaluation {
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

/** Case, punctuation and spacing do not make a question new: "VP path?" and "vp path" are one question. */
export const normalize = (text: string) => (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(" ");

/** Section keys by bare id, for a library whose ids are unique (the fixture names sections by id). */
export function idOf(sections: readonly Section[]): (key: string) => string {
  const ids = new Map(sections.map((section) => [sectionKey(section), section.id]));
  return (key) => ids.get(key) ?? key;
}

/** The shipped matcher (all content and examples) on the given questions. */
export function evaluateMatcher(matcher: Matcher, questions: readonly LabelledQuestion[]): Evaluation {
  return evaluate(matcherPredictions(matcher, questions));
}

/** What the shipped matcher answers to each question. */
export function matcherPredictions(matcher: Matcher, questions: readonly LabelledQuestion[]): Predicted[] {
  const id = idOf(matcher.sections);
  return questions.map((question) => {
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
  });
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
  return evaluate(plainPredictions(answer, questions));
}

/** What an answerer without alternatives (plain MiniSearch) says to each question. */
export function plainPredictions(
  answer: (question: string) => string | null,
  questions: readonly LabelledQuestion[],
): Predicted[] {
  return questions.map((question) => ({
    question,
    prediction: { section: answer(question.question), alternatives: [] },
  }));
}

/** Example questions that are also held-out questions: must be none, or the held-out figures lie. */
export function leakedExamples(library: Library, questions: readonly LabelledQuestion[]): string[] {
  const holdout = new Set(questions.filter((q) => q.split === "holdout").map((q) => normalize(q.question)));
  return library.examples
    .filter((example) => holdout.has(normalize(example.question)))
    .map((e) => e.question);
}
