import { describe, expect, it } from "vitest";
import { loadLibrary } from "../src/content/load.js";
import type { LabelledQuestion } from "../src/match/evaluate.js";
import { leaveArticleOut, leaveSectionOut } from "../src/match/section-holdout.js";

// A tenth of the seed's examples keeps the nine trainings quick; the questions are some of them.
const seed = loadLibrary("content");
const library = { sections: seed.sections, examples: seed.examples.filter((_, i) => i % 10 === 0) };
const asked = (section: string | null, n: number, url?: string): LabelledQuestion[] =>
  library.examples
    .filter((e) => (e.section === null ? null : e.section.split("#")[1]) === section)
    .slice(0, n)
    .map((e) => ({ question: e.question, section, split: "tune", ...(url ? { url } : {}) }));

describe("leave one section's examples out (npm run eval -- --leave-section-out)", () => {
  const tune = [
    ...asked("ic", 5),
    ...asked("wide", 4),
    ...asked(null, 12),
    ...asked("narrow", 3, "https://example.org/t"),
  ];

  it("asks every tuning question once, written and real apart", () => {
    const run = leaveSectionOut(library, tune);
    expect(run.written.inScope.total).toBe(9);
    expect(run.written.offTopic.total).toBe(12);
    expect(run.real.inScope.total).toBe(3);
    expect(run.real.offTopic.total).toBe(0);
    expect(run.value).toBeGreaterThan(0);
    expect(run.value).toBeLessThanOrEqual(1);
  });

  it("really takes the section's examples away: its own examples, asked back, are harder without them", () => {
    const own = asked("ic", 40);
    const kept = leaveSectionOut(library, own, {}, 1_000);
    const none = leaveSectionOut(library, own, { fewExamplesLift: 0 }, 0);
    expect(kept.written.inScope.correct).toBe(own.length);
    expect(none.written.inScope.correct).toBeLessThan(own.length);
  });

  it("also asks the other sections' questions, and counts those the new section takes", () => {
    const run = leaveSectionOut(library, tune);
    // Every in-scope question is some section's sibling in exactly one run (one fold per section).
    const inScope = tune.filter((q) => q.section !== null).length;
    expect(run.siblings.inScope.total).toBeGreaterThan(0);
    expect(run.siblings.inScope.total).toBeLessThanOrEqual(inScope);
    expect(run.taken.total).toBe(run.siblings.inScope.total);
    expect(run.taken.correct).toBeLessThanOrEqual(run.taken.total);
    expect(run.value).not.toBe(run.ownValue);
  });

  it("every section at once: each tuning question asked once, its ranking counted", () => {
    const run = leaveArticleOut(library, tune, {}, 0, 3);
    expect(run.ranked.total).toBe(12);
    expect(run.written.inScope.total + run.real.inScope.total).toBe(12);
    expect(run.written.offTopic.total).toBe(12);
  });
});
