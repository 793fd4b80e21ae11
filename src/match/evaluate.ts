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

const decideWith = (ranking: Ranked["ranking"], t: Thresholds) =>
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

/**
 * The page a real question comes from, as one key for every copy of it: Reddit threads and Hacker
 * News items are read through many mirrors, Stack Exchange questions under several addresses. Two
 * questions from one page must never sit on both sides of a split.
 */
export function pageOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.trim().toLowerCase();
  }
  const path = parsed.pathname.replace(/\/+$/, "");
  const thread = /\/r\/[^/]+\/comments\/([a-z0-9]+)/i.exec(path);
  if (thread) return `reddit:${thread[1]?.toLowerCase()}`;
  const item = parsed.searchParams.get("id");
  if (/^(?:item|\/item)$/.test(path.split("/").pop() ?? "") && item) return `hn:${item}`;
  const host = parsed.hostname.toLowerCase().replace(/^www\./, "");
  const question = /\/questions?\/(\d+)/.exec(path);
  if (question) return `${host}:q${question[1]}`;
  const kept = [...parsed.searchParams].filter(([name]) => /^(?:id|p|t|topic|thread|story|q)$/i.test(name));
  return `${host}${path.toLowerCase()}${kept.length > 0 ? `?${new URLSearchParams(kept)}` : ""}`;
}

/** Page-grouped fold numbers (0..k-1): every question of one page lands in the same fold. */
export function pageFolds(questions: readonly LabelledQuestion[], k: number): number[] {
  const foldOf = new Map<string, number>();
  return questions.map((q) => {
    const page = pageOf(q.url ?? q.question);
    let fold = foldOf.get(page);
    if (fold === undefined) {
      fold = foldOf.size % k;
      foldOf.set(page, fold);
    }
    return fold;
  });
}

/**
 * Fold numbers for a mix of written and real questions: written ones stratified by label, real ones
 * grouped by page (questions from one thread share words no other page has).
 */
export function foldsOf(questions: readonly LabelledQuestion[], k: number): number[] {
  const folds = new Array<number>(questions.length);
  for (const real of [false, true]) {
    const indexes = questions.map((_, i) => i).filter((i) => (questions[i]?.url !== undefined) === real);
    const part = indexes.map((i) => questions[i] as LabelledQuestion);
    const dealt = real ? pageFolds(part, k) : stratifiedFolds(part, k);
    indexes.forEach((i, j) => {
      folds[i] = dealt[j] as number;
    });
  }
  return folds;
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
  const folds = foldsOf(tune, k);
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

/** Grids the decision thresholds are chosen from. */
export const CONFIDENCE_GRID = [
  0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9,
];
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

/** Written and real questions are judged apart and count alike, however many of each there are. */
export function mixedObjective(ranked: readonly Ranked[], thresholds: Thresholds): number {
  const parts = [
    ranked.filter((r) => r.question.url === undefined),
    ranked.filter((r) => r.question.url !== undefined),
  ].filter((part) => part.length > 0);
  let sum = 0;
  for (const part of parts) {
    sum += objective(
      evaluate(part.map((r) => ({ question: r.question, prediction: decideWith(r.ranking, thresholds) }))),
    );
  }
  return parts.length === 0 ? 0 : sum / parts.length;
}

/** How often a confident ("high") answer must be right, in cross-validation, to be shown as one. */
export const CONFIDENT_PRECISION = 0.9;

/**
 * The thresholds that do best on the rankings. The answer threshold (`closestConfidence`) and the
 * alternatives' share are chosen for the objective; the point above which an answer is confident
 * (`minConfidence`) only changes how an answer is worded, so it is the lowest at which answers are
 * right at least CONFIDENT_PRECISION of the time (real questions when there are any: that is where
 * the bot is unsure), and below it an answer says it is the closest guidance.
 */
export function bestThresholds(ranked: readonly Ranked[]): Thresholds {
  let best: Thresholds = {
    minConfidence: DEFAULT_MATCHER_OPTIONS.minConfidence,
    closestConfidence: DEFAULT_MATCHER_OPTIONS.minConfidence,
    alternativeShare: 1,
  };
  let bestValue = -1;
  for (const closestConfidence of CONFIDENCE_GRID) {
    for (const alternativeShare of ALTERNATIVE_GRID) {
      const thresholds = { minConfidence: closestConfidence, closestConfidence, alternativeShare };
      const value = mixedObjective(ranked, thresholds);
      if (value > bestValue) {
        best = thresholds;
        bestValue = value;
      }
    }
  }
  const real = ranked.filter((r) => r.question.url !== undefined);
  const judged = real.length > 0 ? real : ranked;
  const confident = CONFIDENCE_GRID.filter((c) => c >= best.closestConfidence).find(
    (c) => precisionAbove(judged, c) >= CONFIDENT_PRECISION,
  );
  return { ...best, minConfidence: confident ?? CONFIDENCE_GRID.at(-1) ?? 1 };
}

/** Of the questions whose best section reaches `threshold` (and has a supporting word), the share it is right on. */
export function precisionAbove(ranked: readonly Ranked[], threshold: number): number {
  let answered = 0;
  let right = 0;
  for (const { question, ranking } of ranked) {
    const top = ranking[0];
    if (!top || top.score < threshold || top.words.length === 0) continue;
    answered++;
    if (top.section === question.section) right++;
  }
  return answered === 0 ? 1 : right / answered;
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
  predictions: Predicted[];
  evaluation: Evaluation;
  chosen: Thresholds[];
  ranked: Ranked[];
} {
  const { ranked, folds } = crossValidatedRankings(library, tune, options, k);
  const predictions: Predicted[] = [];
  const chosen: Thresholds[] = [];
  for (let fold = 0; fold < k; fold++) {
    const thresholds = bestThresholds(ranked.filter((_, i) => folds[i] !== fold));
    chosen.push(thresholds);
    ranked.forEach((r, i) => {
      if (folds[i] !== fold) return;
      predictions.push({ question: r.question, prediction: decideWith(r.ranking, thresholds) });
    });
  }
  return { predictions, evaluation: evaluate(predictions), chosen, ranked };
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
