import { type Example, type Library, sectionKey } from "../content/types.js";
import {
  decideWith,
  type Evaluation,
  evaluate,
  idOf,
  type LabelledQuestion,
  normalize,
  type Predicted,
  type Ranked,
  ratio,
  type Thresholds,
} from "./evaluate.js";
import { DEFAULT_MATCHER_OPTIONS, type Match, Matcher, type MatcherOptions } from "./matcher.js";

/**
 * Cross-validation of the matcher (`npm run eval`, `-- --tune`): folds that keep written questions
 * stratified and real ones grouped by page, and the decision thresholds chosen on other folds only.
 */

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
