import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ContentError } from "../src/content/errors.js";
import { loadPrompts, parsePrompt } from "../src/content/prompts.js";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "em-focus-prompts-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: string): void {
  writeFileSync(join(dir, name), content);
}

function prompt(order: unknown, level: unknown, text: string): string {
  return `---\norder: ${order}\nlevel: ${level}\n---\n${text}\n`;
}

function loadError(): ContentError {
  try {
    loadPrompts(dir);
  } catch (error) {
    if (error instanceof ContentError) return error;
    throw error;
  }
  throw new Error("loadPrompts accepted the prompts");
}

describe("loadPrompts", () => {
  it("reads every prompt, sorted by order, with the file name as id", () => {
    write(
      "where.md",
      prompt(2, "null", "Where did most of your week go: your own team, other teams, or your own problem?"),
    );
    write("team.md", prompt(1, "narrow", "Which 1:1 this week changed something?"));
    write("solo.md", prompt(3, "IC", "What did you build yourself?"));
    write("notes.txt", "not a prompt");
    expect(loadPrompts(dir)).toEqual([
      {
        id: "team",
        order: 1,
        level: "narrow",
        text: "Which 1:1 this week changed something?",
        focusQuestion: false,
      },
      {
        id: "where",
        order: 2,
        level: null,
        text: "Where did most of your week go: your own team, other teams, or your own problem?",
        focusQuestion: false,
      },
      { id: "solo", order: 3, level: "ic", text: "What did you build yourself?", focusQuestion: false },
    ]);
  });

  it("reads focus_question: a prompt whose wording is itself the focus question (issue 20)", () => {
    const text = "---\norder: 1\nfocus_question: true\n---\nWhere did your week go?\n";
    expect(parsePrompt("where.md", text)).toMatchObject({ focusQuestion: true });
    expect(() => parsePrompt("bad.md", "---\norder: 1\nfocus_question: often\n---\nQ?\n")).toThrow(
      /focus_question must be true or false/,
    );
  });

  it("takes a missing level as a general prompt", () => {
    write("a.md", "---\norder: 1\n---\nHow was the week?\n");
    expect(loadPrompts(dir)[0]?.level).toBeNull();
  });

  it.each([
    ["bad front matter", "---\norder: [1\n---\nText\n", /bad front matter/],
    ["missing order", "---\nlevel: wide\n---\nText\n", /missing order/],
    ["no front matter at all", "Just text\n", /missing order/],
    ["a fractional order", prompt(1.5, "wide", "Text"), /order must be a whole number, got 1.5/],
    ["a text order", prompt('"first"', "wide", "Text"), /order must be a whole number/],
    ["a bad level", prompt(1, "medium", "Text"), /bad level "medium": use narrow, wide, ic or null/],
    ["empty text", prompt(1, "wide", "   \n"), /empty text/],
    [
      "text over 1000 characters",
      prompt(1, "wide", "x".repeat(1001)),
      /text is 1001 characters; the limit is 1000/,
    ],
  ])("rejects %s, naming the file", (_what, content, reason) => {
    write("ok.md", prompt(0, "null", "Fine"));
    write("broken.md", content);
    const error = loadError();
    expect(error.file).toBe(join(dir, "broken.md"));
    expect(error.reason).toMatch(reason);
  });

  it("rejects a duplicate order, naming both files", () => {
    write("a.md", prompt(1, "null", "One"));
    write("b.md", prompt(1, "wide", "Also one"));
    const error = loadError();
    expect(error.file).toBe(join(dir, "b.md"));
    expect(error.reason).toBe("order 1 is also used by a.md; each prompt needs its own");
  });

  it("rejects a folder without prompts, and a missing folder", () => {
    expect(loadError().reason).toMatch(/no prompts/);
    const missing = join(dir, "nope");
    expect(() => loadPrompts(missing)).toThrow(ContentError);
  });

  it("accepts text of exactly 1000 characters", () => {
    write("a.md", prompt(1, "wide", "y".repeat(1000)));
    expect(loadPrompts(dir)[0]?.text).toHaveLength(1000);
  });
});

describe("the shipped prompts", () => {
  const shipped = join(import.meta.dirname, "..", "content", "prompts");
  it.skipIf(!existsSync(shipped))("load without errors (content/prompts)", () => {
    expect(loadPrompts(shipped).length).toBeGreaterThan(0);
  });
});
