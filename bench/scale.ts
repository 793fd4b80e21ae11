import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadLibrary } from "../src/content/load.js";
import type { Library } from "../src/content/types.js";
import { plainMiniSearch } from "../src/match/evaluate.js";
import { Matcher } from "../src/match/matcher.js";
import { CONTENT_DIR, fmt, loadQuestions, median, type PartResult, round, summarize } from "./common.js";
import { generateContent } from "./generate-content.js";
import { timeQueries } from "./matching.js";

const ARTICLES = 1_000;
const INDEX_RUNS = 3;
const INDEX_TARGET_MS = 1_000;
const QUERY_TARGET_US = 50;
/** Queries on the large index stop after this many, or earlier when the budget below is spent. */
const MAX_QUERIES = 10_000;
const QUERY_BUDGET_MS = 10_000;

interface IndexTiming {
  loadMs: number[];
  matcherMs: number[];
  totalMs: number[];
  library: Library;
  matcher: Matcher;
}

/** loadLibrary + new Matcher, `runs` times; keeps the last library and matcher for querying. */
function timeIndexing(dir: string, runs: number): IndexTiming {
  const loadMs: number[] = [];
  const matcherMs: number[] = [];
  const totalMs: number[] = [];
  let library: Library | undefined;
  let matcher: Matcher | undefined;
  for (let run = 0; run < runs; run++) {
    library = undefined;
    matcher = undefined;
    const t0 = performance.now();
    library = loadLibrary(dir, { baseUrl: "https://example.test/articles" });
    const t1 = performance.now();
    matcher = new Matcher(library);
    const t2 = performance.now();
    loadMs.push(t1 - t0);
    matcherMs.push(t2 - t1);
    totalMs.push(t2 - t0);
  }
  return { loadMs, matcherMs, totalMs, library: library as Library, matcher: matcher as Matcher };
}

/** Median-of-runs query time: one warm-up pass, then passes until MAX_QUERIES or the time budget. */
function timeQueriesWithin(matcher: Matcher, questions: readonly string[]) {
  const query = (q: string) => matcher.best(q);
  timeQueries(query, questions, 1, []);
  const samples: number[] = [];
  const started = performance.now();
  let answered = 0;
  while (samples.length < MAX_QUERIES && performance.now() - started < QUERY_BUDGET_MS) {
    answered += timeQueries(query, questions, 1, samples);
  }
  // How much of the index a question touches: sections with at least one of its terms.
  const touched = questions.map((q) => matcher.rank(q, Number.MAX_SAFE_INTEGER).length);
  return {
    summary: summarize(samples),
    queries: samples.length,
    answeredShare: answered / samples.length,
    meanSectionsTouched: touched.reduce((a, b) => a + b, 0) / touched.length,
  };
}

export async function runScale(): Promise<PartResult> {
  const questions = loadQuestions().map((q) => q.question);
  const dir = mkdtempSync(join(tmpdir(), "em-focus-bench-content-"));
  try {
    const genStart = performance.now();
    const generated = generateContent(
      dir,
      ARTICLES,
      join(CONTENT_DIR, "levels-of-engineering-management-focus.md"),
    );
    const generateMs = performance.now() - genStart;

    // The seed content is tiny: more runs cost nothing and steady its median.
    const seed = timeIndexing(CONTENT_DIR, 7);
    const large = timeIndexing(dir, INDEX_RUNS);
    const seedQueries = timeQueriesWithin(seed.matcher, questions);
    const largeQueries = timeQueriesWithin(large.matcher, questions);

    // For context: MiniSearch as it comes over the same large content (one pass, it is slow).
    const plainBuildStart = performance.now();
    const plain = plainMiniSearch(large.library.sections);
    const plainBuildMs = performance.now() - plainBuildStart;
    timeQueries(plain, questions.slice(0, 20), 1, []);
    const plainSamples: number[] = [];
    timeQueries(plain, questions, 1, plainSamples);
    const plainQueries = summarize(plainSamples);

    const largeIndexMs = median(large.totalMs);
    const seedIndexMs = median(seed.totalMs);
    const indexRatio = largeIndexMs / seedIndexMs;
    const queryRatio = largeQueries.summary.median / seedQueries.summary.median;
    const sections = large.library.sections.length;
    const ms = (values: number[]) => values.map((v) => round(v, 1));
    return {
      rows: [
        {
          part: "4 scale",
          figure: `index ${ARTICLES.toLocaleString("en-US")} articles / ${sections.toLocaleString("en-US")} sections (loadLibrary + new Matcher, median of ${INDEX_RUNS})`,
          value: fmt(largeIndexMs, "ms", 0),
          baseline: `${fmt(seedIndexMs, "ms", 1)} (seed: ${seed.library.articles.length} article, ${seed.library.sections.length} sections)`,
          ratio: indexRatio,
          target: "< 1 s",
          met: largeIndexMs < INDEX_TARGET_MS,
        },
        {
          part: "4 scale",
          figure: `query median over the labelled questions (${largeQueries.queries.toLocaleString("en-US")} queries)`,
          value: fmt(largeQueries.summary.median, "µs", 1),
          baseline: `${fmt(seedQueries.summary.median, "µs", 1)} (seed content)`,
          ratio: queryRatio,
          target: "≤ 50 µs",
          met: largeQueries.summary.median <= QUERY_TARGET_US,
        },
        {
          part: "4 scale",
          figure: "query median, plain MiniSearch over the same large content (context)",
          value: `${fmt(largeQueries.summary.median, "µs", 1)} (em-focus)`,
          baseline: `${fmt(plainQueries.median, "µs", 1)} (plain MiniSearch, ${plainQueries.count} queries)`,
          ratio: largeQueries.summary.median / plainQueries.median,
          target: "—",
          met: null,
        },
        {
          part: "4 scale",
          figure: "query p99",
          value: fmt(largeQueries.summary.p99, "µs", 1),
          baseline: `${fmt(seedQueries.summary.p99, "µs", 1)} (seed content)`,
          ratio: largeQueries.summary.p99 / seedQueries.summary.p99,
          target: "—",
          met: null,
        },
      ],
      details: {
        generated: { ...generated, sectionsLoaded: sections, generateMs: round(generateMs, 0) },
        large: {
          loadMs: ms(large.loadMs),
          matcherMs: ms(large.matcherMs),
          totalMs: ms(large.totalMs),
          medianMs: round(largeIndexMs, 1),
          queries: largeQueries.queries,
          answeredShare: round(largeQueries.answeredShare),
          meanSectionsTouched: round(largeQueries.meanSectionsTouched, 0),
          queryMicroseconds: Object.fromEntries(
            Object.entries(largeQueries.summary).map(([k, v]) => [k, round(v)]),
          ),
        },
        plainMiniSearchLarge: {
          buildMs: round(plainBuildMs, 0),
          queries: plainQueries.count,
          queryMicroseconds: Object.fromEntries(Object.entries(plainQueries).map(([k, v]) => [k, round(v)])),
        },
        seed: {
          loadMs: ms(seed.loadMs),
          matcherMs: ms(seed.matcherMs),
          totalMs: ms(seed.totalMs),
          medianMs: round(seedIndexMs, 2),
          queries: seedQueries.queries,
          answeredShare: round(seedQueries.answeredShare),
          meanSectionsTouched: round(seedQueries.meanSectionsTouched, 1),
          queryMicroseconds: Object.fromEntries(
            Object.entries(seedQueries.summary).map(([k, v]) => [k, round(v)]),
          ),
        },
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
