import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadLibrary } from "../src/content/load.js";

/**
 * The seed article's sections as they loaded before sections could span paragraphs (issue 18, item 5),
 * written to tests/fixtures/seed-sections.json from the splitter of that time: ids, texts and order
 * must not move, or every example, stored answer and deep link that names them breaks.
 */
const PINNED = JSON.parse(
  readFileSync(fileURLToPath(new URL("./fixtures/seed-sections.json", import.meta.url)), "utf8"),
) as unknown[];

describe("the seed article's sections", () => {
  it("load with exactly the ids, headings, texts and order pinned before multi-paragraph sections", () => {
    const library = loadLibrary(fileURLToPath(new URL("../content", import.meta.url)), { baseUrl: null });
    const seed = library.sections.filter((s) => s.article === "levels-of-engineering-management-focus");
    expect(
      seed.map((s) => ({
        id: s.id,
        heading: s.heading,
        summary: s.summary,
        level: s.level,
        role: s.role,
        text: s.text,
        plain: s.plain,
        introduces: s.introduces ?? null,
      })),
    ).toEqual(PINNED);
    expect(PINNED).toHaveLength(9);
  });
});
