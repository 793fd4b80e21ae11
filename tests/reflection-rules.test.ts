import { describe, expect, it } from "vitest";
import { loadLibrary } from "../src/content/load.js";
import { detectDrift } from "../src/domain/focus.js";
import { buildTeamSummary } from "../src/prompts/team-summary.js";
import { summaryView } from "../src/slack/views/summary.js";
import { validateBlocks } from "../test-support/fake-slack.js";
import { CONTENT_BASE_URL, CONTENT_DIR } from "./helpers/bot.js";

const library = loadLibrary(CONTENT_DIR, { baseUrl: CONTENT_BASE_URL });
const week = (n: number) => ({ deliveryId: `d${n}`, dueAt: new Date(Date.UTC(2027, 0, 4 + 7 * n, 8)) });

describe("drift (issue 20)", () => {
  it("needs three of the last four focus answers away from the intended level; skips do not count", () => {
    expect(detectDrift("wide", ["narrow", "narrow", "wide", "narrow"])).toEqual({
      intended: "wide",
      actual: "narrow",
    });
    expect(detectDrift("wide", ["narrow", "wide", "wide", "narrow"])).toBeUndefined();
    expect(detectDrift("wide", ["narrow", "narrow", "narrow"])).toBeUndefined();
    expect(detectDrift("wide", ["skip", "narrow", "skip", "ic", "narrow", "wide"])).toEqual({
      intended: "wide",
      actual: "narrow",
    });
    // A tie goes to the most recent level.
    expect(detectDrift("wide", ["ic", "narrow", "ic", "narrow"])?.actual).toBe("ic");
  });
});

describe("what a channel's summary may show (issue 20)", () => {
  const answers = [
    { deliveryId: "d1", userId: "U1", choice: "wide" as const },
    { deliveryId: "d1", userId: "U2", choice: "wide" as const },
    { deliveryId: "d1", userId: "U3", choice: "narrow" as const },
    { deliveryId: "d0", userId: "U1", choice: "ic" as const },
    { deliveryId: "d0", userId: "U2", choice: "ic" as const },
  ];

  it("counts, names only those who opted in and answered, and the top level", () => {
    const summary = buildTeamSummary({
      channelId: "C1",
      week: week(1),
      weeks: [week(0), week(1)],
      answers,
      optedIn: new Set(["U1", "U9"]),
    });
    expect(summary).toMatchObject({ answered: 3, named: ["U1"], topLevel: "wide" });
    expect(summary.counts).toEqual({ narrow: 1, wide: 2, ic: 0, skip: 0 });
    // Week 0 had two answers: no split, in the trend either.
    expect(summary.trend.map((w) => w.counts)).toEqual([null, { narrow: 1, wide: 2, ic: 0, skip: 0 }]);
    const view = summaryView(library, summary);
    expect(validateBlocks(view.blocks, 50)).toEqual([]);
    expect(JSON.stringify(view)).toContain("<@U1>");
    expect(JSON.stringify(view)).not.toMatch(/U2|U3|U9/);
  });

  it("below three answers: nothing but 'not enough answers', no names", () => {
    const summary = buildTeamSummary({
      channelId: "C1",
      week: week(0),
      weeks: [week(0)],
      answers,
      optedIn: new Set(["U1", "U2"]),
    });
    expect(summary).toMatchObject({ answered: 2, counts: null, named: [], topLevel: null });
    const text = JSON.stringify(summaryView(library, summary));
    expect(text).toContain("Not enough answers to share this week");
    expect(text).not.toMatch(/U1|U2|Narrow|IC 2/);
  });
});
