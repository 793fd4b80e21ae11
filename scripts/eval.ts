/**
 * How well em-focus answers the labelled questions in tests/fixtures/questions.jsonl, beside plain
 * MiniSearch over the same sections.
 *
 *   npm run eval                       the table: 5-fold cross-validation on the tuning questions,
 *                                      and the shipped matcher on the frozen held-out questions
 *   npm run eval -- --misses           also what cross-validation got wrong (tuning questions only)
 *   npm run eval -- --tune             choose the training numbers by cross-validation (slow;
 *                                      GRID='{"l2":[1e-4,3e-4]}' searches other axes)
 *   npm run eval -- --cv-only          leave the held-out questions out, as while tuning
 *   npm run eval -- --holdout-misses   what the held-out questions got wrong: for the final report
 *                                      only; reading it while tuning spoils the held-out figures
 */
import { readFileSync } from "node:fs";
import { loadLibrary } from "../src/content/load.js";
import {
  bestThresholds,
  crossValidate,
  crossValidatedRankings,
  decide,
  type Evaluation,
  evaluate,
  evaluateMatcher,
  evaluatePlain,
  leakedExamples,
  objective,
  parseLabelledQuestions,
  plainMiniSearch,
  ratio,
  type Score,
} from "../src/match/evaluate.js";
import { DEFAULT_MATCHER_OPTIONS, Matcher, type MatcherOptions } from "../src/match/matcher.js";

const library = loadLibrary(process.env.CONTENT_DIR ?? "content");
const questions = parseLabelledQuestions(readFileSync("tests/fixtures/questions.jsonl", "utf8"));
const tune = questions.filter((q) => q.split === "tune");
const holdout = questions.filter((q) => q.split === "holdout");
const flag = (name: string) => process.argv.includes(name);

const leaked = leakedExamples(library, questions);
if (leaked.length > 0) {
  console.error(`content/examples.jsonl holds ${leaked.length} held-out question(s); remove them:`);
  for (const question of leaked) console.error(`  ${question}`);
  process.exit(1);
}

if (flag("--tune")) {
  tuneTrainingNumbers();
  process.exit(0);
}

const started = performance.now();
const cv = crossValidate(library, tune);
const matcher = new Matcher(library);
const held = evaluateMatcher(matcher, flag("--cv-only") ? [] : holdout);
const plain = plainMiniSearch(library.sections);
const columns: [string, Evaluation][] = [
  ["em-focus CV (tune)", cv.evaluation],
  ["em-focus held out", held],
  ["MiniSearch tune", evaluatePlain(plain, tune)],
  ["MiniSearch held out", evaluatePlain(plain, holdout)],
];
const seconds = ((performance.now() - started) / 1000).toFixed(1);

function pct(score: Score | undefined): string {
  return score && score.total > 0
    ? `${(ratio(score) * 100).toFixed(1)}% (${score.correct}/${score.total})`
    : "-";
}
const row = (label: string, cells: string[]) => console.log(`| ${label} | ${cells.join(" | ")} |`);

console.log(
  `${questions.length} labelled questions: ${tune.length} tuning (5-fold cross-validation), ${holdout.length} held out; ` +
    `${library.examples.length} examples in content; ${seconds} s\n`,
);
row(
  "",
  columns.map(([name]) => name),
);
row(
  "---",
  columns.map(() => "---"),
);
row(
  "in scope: top-1 right",
  columns.map(([, e]) => pct(e.inScope)),
);
row(
  "in scope: top-1 or first alternative",
  columns.map(([, e]) => pct(e.inScopeOrAlternative)),
);
row(
  'off-topic: "no guidance"',
  columns.map(([, e]) => pct(e.offTopic)),
);
row(
  "answers with alternatives",
  columns.map(([, e]) => pct(e.withAlternatives)),
);
console.log("\nper section (top-1 right)\n");
row(
  "section",
  columns.map(([name]) => name),
);
row(
  "---",
  columns.map(() => "---"),
);
for (const key of [...library.sections.map((s) => s.id), "(off-topic)"]) {
  row(
    key,
    columns.map(([, e]) => pct(e.perSection[key])),
  );
}
const thresholds = cv.chosen.map((t) => `${t.minConfidence}/${t.alternativeShare}`).join(", ");
const overall = bestThresholds(cv.ranked);
console.log(
  `\nthresholds (minConfidence/alternativeShare) chosen on the other folds, per fold: ${thresholds}; ` +
    `on all folds: ${overall.minConfidence}/${overall.alternativeShare}; ` +
    `shipped: ${DEFAULT_MATCHER_OPTIONS.minConfidence}/${DEFAULT_MATCHER_OPTIONS.alternativeShare}`,
);
console.log("\nconfusions, cross-validation (expected → got)");
printConfusions(cv.evaluation);
if (flag("--misses")) printMisses("cross-validation misses (tuning questions)", cv.evaluation);
if (flag("--holdout-misses")) {
  console.log("\nconfusions, held out (expected → got)");
  printConfusions(held);
  printMisses("held-out misses", held);
}

function printConfusions(evaluation: Evaluation) {
  for (const [pair, n] of Object.entries(evaluation.confusions)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)) {
    console.log(`  ${String(n).padStart(3)}  ${pair}`);
  }
}

function printMisses(title: string, evaluation: Evaluation) {
  console.log(`\n${title}`);
  for (const miss of evaluation.misses) {
    const also = miss.alternatives.length > 0 ? ` (also: ${miss.alternatives.join(", ")})` : "";
    console.log(
      `  expected ${miss.expected ?? "-"} got ${miss.got ?? "-"}${also}: ${miss.question.slice(0, 140)}`,
    );
  }
}

/** Grid search over the training numbers, each judged by cross-validation on the tuning questions. */
function tuneTrainingNumbers() {
  const grid: MatcherOptions[] = [];
  const axes: Record<string, number[]> = JSON.parse(
    process.env.GRID ??
      '{"searchWeight":[0.25,0.5,0.75],"l2":[3e-5,1e-4,3e-4],"textWeight":[0.25,0.5,1],"epochs":[20,30,50]}',
  );
  let points: MatcherOptions[] = [{}];
  for (const [name, values] of Object.entries(axes)) {
    points = points.flatMap((point) => values.map((value) => ({ ...point, [name]: value })));
  }
  grid.push(...points);
  const results = grid.map((options) => {
    const { ranked } = crossValidatedRankings(library, tune, options);
    const chosen = bestThresholds(ranked);
    const evaluation = evaluate(
      ranked.map((r) => ({
        question: r.question,
        prediction: decide(r.ranking, chosen.minConfidence, chosen.alternativeShare),
      })),
    );
    const line = `${JSON.stringify({ ...options, ...chosen })} in ${pct(evaluation.inScope)} or-alt ${pct(evaluation.inScopeOrAlternative)} off ${pct(evaluation.offTopic)} objective ${objective(evaluation).toFixed(4)}`;
    console.log(line);
    return { value: objective(evaluation), line, options };
  });
  results.sort((a, b) => b.value - a.value);
  console.log("\nbest five:");
  for (const result of results.slice(0, 5)) console.log(`  ${result.line}`);
  // Differences smaller than the noise of a few hundred questions are not worth paying for: the
  // shipped numbers are the cheapest (fewest training passes) within one standard error of the best.
  const best = results[0];
  if (best) {
    const standardError = Math.sqrt((best.value * (1 - best.value)) / tune.length);
    const close = results.filter((r) => r.value >= best.value - standardError);
    close.sort((a, b) => (a.options.epochs ?? 0) - (b.options.epochs ?? 0) || b.value - a.value);
    console.log(
      `\nwithin one standard error (${standardError.toFixed(4)}) of the best, the cheapest:\n  ${close[0]?.line}`,
    );
  }
}
