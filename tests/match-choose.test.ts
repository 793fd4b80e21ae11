import { describe, expect, it } from "vitest";
import { decide } from "../src/match/evaluate.js";
import { choose, DEFAULT_MATCHER_OPTIONS } from "../src/match/matcher.js";

interface Ranked {
  section: string;
  score: number;
  share: number;
  words: readonly string[];
}

const r = (section: string, score: number, share: number, words: readonly string[] = [section]): Ranked => ({
  section,
  score,
  share,
  words,
});

const TIERS = { minConfidence: 0.8, closestConfidence: 0.4, alternativeShare: 0.5 };

function chosen(ranking: readonly Ranked[], options = TIERS) {
  const decision = choose(ranking, options);
  return decision
    ? {
        best: decision.best.section,
        confidence: decision.confidence,
        alternatives: decision.alternatives.map((m) => m.section),
      }
    : null;
}

describe("choose: how sure an answer is", () => {
  it("answers with high confidence at minConfidence, alternatives by the share rule alone", () => {
    expect(chosen([r("ic", 0.8, 0.7), r("wide", 0.5, 0.2), r("narrow", 0.3, 0.1)])).toEqual({
      best: "ic",
      confidence: "high",
      alternatives: [],
    });
    expect(chosen([r("ic", 0.95, 0.5), r("wide", 0.9, 0.3), r("narrow", 0.3, 0.2)])).toEqual({
      best: "ic",
      confidence: "high",
      alternatives: ["wide"],
    });
  });

  it("gives the closest guidance between closestConfidence and minConfidence", () => {
    expect(chosen([r("ic", 0.79, 0.5), r("wide", 0.7, 0.3), r("narrow", 0.3, 0.2)])).toEqual({
      best: "ic",
      confidence: "closest",
      alternatives: ["wide"],
    });
    expect(chosen([r("ic", 0.4, 0.4), r("wide", 0.35, 0.35), r("narrow", 0.3, 0.25)])?.confidence).toBe(
      "closest",
    );
  });

  it("always offers the first supported runner-up with a closest answer, even below the share rule", () => {
    // wide has 0.1 / 0.8 of the best's share: no alternative for a high answer, one for a closest one.
    const ranking = [r("ic", 0.6, 0.8), r("wide", 0.2, 0.1), r("narrow", 0.1, 0.1)];
    expect(chosen(ranking)).toEqual({ best: "ic", confidence: "closest", alternatives: ["wide"] });
    expect(chosen(ranking, { ...TIERS, minConfidence: 0.6 })).toEqual({
      best: "ic",
      confidence: "high",
      alternatives: [],
    });
    // A runner-up no word supports is skipped for the next one that has words, wherever it ranks.
    expect(
      chosen([r("ic", 0.6, 0.8), r("wide", 0.2, 0.1, []), r("narrow", 0.1, 0.05), r("vp", 0.1, 0.05)]),
    ).toEqual({ best: "ic", confidence: "closest", alternatives: ["narrow"] });
    // At most two, best first; none when no runner-up has words.
    expect(
      chosen([r("ic", 0.6, 0.4), r("wide", 0.55, 0.35), r("narrow", 0.5, 0.25), r("vp", 0.1, 0.1)])
        ?.alternatives,
    ).toEqual(["wide", "narrow"]);
    expect(chosen([r("ic", 0.6, 0.8), r("wide", 0.2, 0.2, [])])).toEqual({
      best: "ic",
      confidence: "closest",
      alternatives: [],
    });
  });

  it("gives no guidance below closestConfidence, or when no word supports the best section", () => {
    expect(chosen([r("ic", 0.39, 0.6), r("wide", 0.3, 0.4)])).toBeNull();
    expect(chosen([r("ic", 0.79, 0.6, []), r("wide", 0.7, 0.4)])).toBeNull();
    expect(chosen([r("ic", 0.95, 0.6, []), r("wide", 0.9, 0.4)])).toBeNull();
    expect(chosen([])).toBeNull();
  });

  it("never gives a closest answer when closestConfidence is not below minConfidence", () => {
    const ranking = [r("ic", 0.6, 0.8), r("wide", 0.2, 0.1)];
    expect(chosen(ranking, { ...TIERS, closestConfidence: 0.8 })).toBeNull();
    expect(chosen(ranking, { ...TIERS, closestConfidence: 0.9 })).toBeNull();
  });

  it("ships a closest band below the confident threshold (both chosen by cross-validation)", () => {
    const { closestConfidence, minConfidence } = DEFAULT_MATCHER_OPTIONS;
    expect(closestConfidence).toBeLessThan(minConfidence);
    const below = closestConfidence - 0.001;
    expect(chosen([r("ic", below, 0.8), r("wide", 0.2, 0.2)], DEFAULT_MATCHER_OPTIONS)).toBeNull();
    const closest = chosen([r("ic", closestConfidence, 0.8), r("wide", 0.2, 0.2)], DEFAULT_MATCHER_OPTIONS);
    expect(closest?.confidence).toBe("closest");
    expect(
      chosen([r("ic", minConfidence, 0.8), r("wide", 0.2, 0.2)], DEFAULT_MATCHER_OPTIONS)?.confidence,
    ).toBe("high");
  });

  it("evaluation's decide passes closestConfidence through and counts a closest answer as an answer", () => {
    const ranking = [r("ic", 0.6, 0.8), r("wide", 0.2, 0.1), r("narrow", 0.1, 0.1)];
    expect(decide(ranking, 0.8, 0.5)).toEqual({ section: null, alternatives: [] });
    expect(decide(ranking, 0.8, 0.5, 0.8)).toEqual({ section: null, alternatives: [] });
    expect(decide(ranking, 0.8, 0.5, 0.5)).toEqual({ section: "ic", alternatives: ["wide"] });
  });
});
