import { loadLibrary } from "../src/content/load.js";
import type { Section } from "../src/content/types.js";
import {
  type Evaluation,
  evaluateMatcher,
  evaluatePlain,
  type LabelledQuestion,
  plainMiniSearch,
  ratio,
} from "../src/match/evaluate.js";
import { Matcher } from "../src/match/matcher.js";
import {
  CONTENT_DIR,
  fmt,
  loadQuestions,
  type PartResult,
  pct,
  round,
  type Summary,
  summarize,
} from "./common.js";

/** Something timed per question; returns a value so the call cannot be optimised away. */
export type Query = (question: string) => unknown;

/** Runs every question `passes` times and records each call in microseconds (process.hrtime.bigint). */
export function timeQueries(
  query: Query,
  questions: readonly string[],
  passes: number,
  out: number[],
): number {
  let sink = 0;
  for (let pass = 0; pass < passes; pass++) {
    for (const question of questions) {
      const start = process.hrtime.bigint();
      const result = query(question);
      const end = process.hrtime.bigint();
      out.push(Number(end - start) / 1000);
      if (result !== null && result !== undefined) sink += 1;
    }
  }
  return sink;
}

export interface QueryTiming {
  microseconds: Summary;
  queries: number;
}

/**
 * Times several answerers over the same questions: warm-up first, then rounds that alternate between
 * them so that drift (frequency scaling, GC, the other core) lands on every one alike.
 */
export function compareQueries(
  queries: Record<string, Query>,
  questions: readonly string[],
  options: { minQueries: number; warmupPasses: number; rounds: number },
): Record<string, QueryTiming> {
  const names = Object.keys(queries);
  const samples = new Map<string, number[]>(names.map((name) => [name, []]));
  for (const name of names) timeQueries(queries[name] as Query, questions, options.warmupPasses, []);
  const passesPerRound = Math.max(1, Math.ceil(options.minQueries / questions.length / options.rounds));
  for (let round = 0; round < options.rounds; round++) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) {
      timeQueries(queries[name] as Query, questions, passesPerRound, samples.get(name) as number[]);
    }
  }
  const result: Record<string, QueryTiming> = {};
  for (const name of names) {
    const values = samples.get(name) as number[];
    result[name] = { microseconds: summarize(values), queries: values.length };
  }
  return result;
}

function accuracy(
  evaluate: (questions: readonly LabelledQuestion[]) => Evaluation,
  questions: readonly LabelledQuestion[],
) {
  const all = evaluate(questions);
  const holdout = evaluate(questions.filter((q) => q.split === "holdout"));
  const overall = {
    correct: all.inScope.correct + all.offTopic.correct,
    total: all.inScope.total + all.offTopic.total,
  };
  return {
    overall,
    inScope: all.inScope,
    offTopic: all.offTopic,
    holdout: {
      correct: holdout.inScope.correct + holdout.offTopic.correct,
      total: holdout.inScope.total + holdout.offTopic.total,
    },
    overallRatio: ratio(overall),
  };
}

function roundSummary(summary: Summary): Summary {
  return Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, round(v)])) as unknown as Summary;
}

export async function runMatching(): Promise<PartResult> {
  const questions = loadQuestions();
  const texts = questions.map((q) => q.question);
  const library = loadLibrary(CONTENT_DIR);
  const sections: readonly Section[] = library.sections;
  const matcher = new Matcher(library);
  const plain = plainMiniSearch(sections);

  const timing = compareQueries({ emFocus: (q) => matcher.best(q), plain: (q) => plain(q) }, texts, {
    minQueries: 10_000,
    warmupPasses: 20,
    rounds: 44,
  });
  const em = timing.emFocus as QueryTiming;
  const base = timing.plain as QueryTiming;

  // The tuning questions are the content's own examples, so only the held-out figure is a fair test.
  const emAccuracy = accuracy((qs) => evaluateMatcher(matcher, qs), questions);
  const plainAccuracy = accuracy((qs) => evaluatePlain(plain, qs), questions);

  const medianRatio = em.microseconds.median / base.microseconds.median;
  const p99Ratio = em.microseconds.p99 / base.microseconds.p99;
  const accuracyText = (a: ReturnType<typeof accuracy>) =>
    `${pct(a.overall)} (in-scope ${pct(a.inScope)}, off-topic ${pct(a.offTopic)}, holdout ${pct(a.holdout)})`;
  return {
    rows: [
      {
        part: "1 matching",
        figure: "median per question",
        value: fmt(em.microseconds.median, "µs", 2),
        baseline: `${fmt(base.microseconds.median, "µs", 2)} (plain MiniSearch)`,
        ratio: medianRatio,
        target: "≤ 1.2×",
        met: medianRatio <= 1.2,
      },
      {
        part: "1 matching",
        figure: "p99 per question",
        value: fmt(em.microseconds.p99, "µs", 2),
        baseline: `${fmt(base.microseconds.p99, "µs", 2)} (plain MiniSearch)`,
        ratio: p99Ratio,
        target: "—",
        met: null,
      },
      {
        part: "1 matching",
        figure: `accuracy on ${questions.length} labelled questions`,
        value: accuracyText(emAccuracy),
        baseline: `${accuracyText(plainAccuracy)} (plain MiniSearch)`,
        ratio: emAccuracy.overallRatio / plainAccuracy.overallRatio,
        target: "—",
        met: null,
      },
    ],
    details: {
      sections: sections.length,
      questions: questions.length,
      emFocus: { queries: em.queries, microseconds: roundSummary(em.microseconds), accuracy: emAccuracy },
      plainMiniSearch: {
        queries: base.queries,
        microseconds: roundSummary(base.microseconds),
        accuracy: plainAccuracy,
      },
      ratios: { median: round(medianRatio), p99: round(p99Ratio) },
    },
  };
}
