import { describe, expect, it } from "vitest";
import { loadLibrary } from "../src/content/load.js";
import type { LabelledQuestion } from "../src/match/evaluate.js";
import { leaveSectionOut } from "../src/match/section-holdout.js";

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
});
