/**
 * `npm run eval -- --leave-section-out`: chooses `fewExamplesLift`, the number that only matters for
 * sections with few examples, by leaving each seed section's examples out in turn (none kept, then
 * 10) and asking its tuning questions, with a fold of the off-topic tuning questions
 * (src/match/section-holdout.ts). The shipped value is the smallest within one standard error of
 * the best mean objective over both conditions. Held-out questions are never asked.
 */
import type { Library } from "../src/content/types.js";
import type { LabelledQuestion, Score } from "../src/match/evaluate.js";
import { leaveSectionOut } from "../src/match/section-holdout.js";

const KEPT = [0, 10];
const pct = (s: Score) =>
  `${s.total === 0 ? "-" : ((100 * s.correct) / s.total).toFixed(1)}% (${s.correct}/${s.total})`;

export function chooseFewExamplesLift(library: Library, tune: readonly LabelledQuestion[]): void {
  const lifts: number[] = JSON.parse(process.env.LIFTS ?? "[0,1,2,3,4]");
  console.log("## Leave one section's examples out (seed tuning questions)\n");
  console.log(
    "| fewExamplesLift | examples kept | written: section's questions right | written: off-topic declined | real: section's questions right | real: off-topic declined | objective |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  const results = lifts.map((lift) => {
    const values = KEPT.map((keep) => {
      const run = leaveSectionOut(library, tune, { fewExamplesLift: lift }, keep);
      console.log(
        `| ${lift} | ${keep} | ${pct(run.written.inScope)} | ${pct(run.written.offTopic)} | ${pct(run.real.inScope)} | ${pct(run.real.offTopic)} | ${run.value.toFixed(4)} |`,
      );
      return run.value;
    });
    return { lift, value: values.reduce((a, b) => a + b, 0) / values.length };
  });
  const best = [...results].sort((a, b) => b.value - a.value)[0];
  if (!best) return;
  // As for the training numbers (--tune): differences within the noise of the real questions are
  // not worth paying for, and the smallest lift changes the matcher least.
  const standardError = Math.sqrt(
    (best.value * (1 - best.value)) / tune.filter((q) => q.url !== undefined).length,
  );
  const chosen = results
    .filter((r) => r.value >= best.value - standardError)
    .sort((a, b) => a.lift - b.lift)[0];
  console.log(
    `\nmean objective: ${results.map((r) => `${r.lift}: ${r.value.toFixed(4)}`).join(", ")}; best ${best.lift}; ` +
      `within one standard error (${standardError.toFixed(4)}), the smallest: ${chosen?.lift}`,
  );
}
