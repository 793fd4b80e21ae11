/**
 * `npm run eval -- --leave-section-out`: measures the numbers that only matter for sections with few
 * examples (`fewExamplesLift`, the within-article evidence) by leaving each seed section's examples
 * out in turn (none kept, then 10) and asking its tuning questions, with a fold of the off-topic
 * tuning questions and one of the other sections' (src/match/section-holdout.ts). It prints each
 * setting's mean objective over both conditions, counting every question asked (the other sections'
 * too: a setting that only pushed questions to the new section would otherwise look best), the best,
 * and the settings within one standard error of it, listed from the least change to the most;
 * docs/matching.md says which was chosen and why. Held-out questions are never asked.
 *
 *   LIFTS='[0,1,2]'                         fewExamplesLift values (the default grid)
 *   GRID='{"sectionCoverWeight":[3,5,8]}'   any matcher options, every combination, in that order
 */
import type { Library } from "../src/content/types.js";
import type { LabelledQuestion, Score } from "../src/match/evaluate.js";
import type { MatcherOptions } from "../src/match/matcher.js";
import { leaveArticleOut, leaveSectionOut } from "../src/match/section-holdout.js";

const KEPT = [0, 10];
const pct = (s: Score) =>
  `${s.total === 0 ? "-" : ((100 * s.correct) / s.total).toFixed(1)}% (${s.correct}/${s.total})`;

function settings(): MatcherOptions[] {
  if (!process.env.GRID) {
    const lifts: number[] = JSON.parse(process.env.LIFTS ?? "[0,1,2,3,4]");
    return lifts.map((fewExamplesLift) => ({ fewExamplesLift }));
  }
  let points: MatcherOptions[] = [{}];
  for (const [name, values] of Object.entries(JSON.parse(process.env.GRID) as Record<string, unknown[]>)) {
    points = points.flatMap((point) => values.map((value) => ({ ...point, [name]: value })));
  }
  return points;
}

export function chooseFewExamplesLift(library: Library, tune: readonly LabelledQuestion[]): void {
  console.log("## Leave one section's examples out (seed tuning questions)\n");
  console.log(
    "| setting | examples kept | written: section's questions right | written: off-topic declined | real: section's questions right | real: off-topic declined | other sections' questions right | of them, taken by the section | objective, own and off-topic | objective, all asked |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  const results = settings().map((options) => {
    const name = JSON.stringify(options);
    const values = KEPT.map((keep) => {
      const run = leaveSectionOut(library, tune, options, keep);
      const all = leaveArticleOut(library, tune, options, keep);
      console.log(
        `| ${name} | every section: ${keep} | ${pct(all.written.inScope)} | ${pct(all.written.offTopic)} | ${pct(all.real.inScope)} | ${pct(all.real.offTopic)} | ranked first: ${pct(all.ranked)} | | | ${all.value.toFixed(4)} |`,
      );
      console.log(
        `| ${name} | ${keep} | ${pct(run.written.inScope)} | ${pct(run.written.offTopic)} | ${pct(run.real.inScope)} | ${pct(run.real.offTopic)} | ${pct(run.siblings.inScope)} | ${pct(run.taken)} | ${run.ownValue.toFixed(4)} | ${run.value.toFixed(4)} |`,
      );
      return run;
    });
    const mean = (pick: (r: (typeof values)[number]) => number) =>
      values.reduce((sum, r) => sum + pick(r), 0) / values.length;
    return { name, value: mean((r) => r.value), own: mean((r) => r.ownValue) };
  });
  const best = [...results].sort((a, b) => b.value - a.value)[0];
  if (!best) return;
  // As for the training numbers (--tune): differences within the noise of the real questions are
  // not worth paying for by themselves.
  const standardError = Math.sqrt(
    (best.value * (1 - best.value)) / tune.filter((q) => q.url !== undefined).length,
  );
  const close = results.filter((r) => r.value >= best.value - standardError).map((r) => r.name);
  console.log(
    `\nmean objective, all asked (own and off-topic only): ${results.map((r) => `${r.name}: ${r.value.toFixed(4)} (${r.own.toFixed(4)})`).join(", ")}; best ${best.name}; ` +
      `within one standard error (${standardError.toFixed(4)}) of it: ${close.join(", ")}`,
  );
}
