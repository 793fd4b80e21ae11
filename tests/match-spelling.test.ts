import { describe, expect, it } from "vitest";
import { Spelling } from "../src/match/spelling.js";
import { termOf } from "../src/match/terms.js";

describe("Spelling", () => {
  const spelling = new Spelling(["solver", "right", "promotion", "onboarding", "reports"], 0.2);

  it.each([
    ["sovler", "solver"],
    ["rigth", "right"],
    ["promotoin", "promotion"],
    ["onbaording", "onboarding"],
  ])("corrects the swapped letters of %j to %j", (typo, word) => {
    expect(spelling.correct(typo)).toBe(termOf(word));
  });

  it("still corrects a letter left out or changed", () => {
    expect(spelling.correct("promtion")).toBe(termOf("promotion"));
    expect(spelling.correct("reporte")).toBe(termOf("reports"));
  });

  it("leaves alone a word nothing known is near", () => {
    expect(spelling.correct("garage")).toBeNull();
    expect(spelling.correct("xyzzyplugh")).toBeNull();
  });
});
