import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { readTestArticles } from "../scripts/eval-library.js";
import { ContentError } from "../src/content/errors.js";
import { loadLibrary } from "../src/content/load.js";
import { loadArticleQuestions, parseArticleQuestions, questionsBySlug } from "../src/content/questions.js";
import { articleScores, articleTable } from "../src/match/article-eval.js";
import { leaveOneArticleOut, summarize } from "../src/match/library-eval.js";
import { Matcher } from "../src/match/matcher.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "em-focus-library-"));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

const jsonl = (rows: object[]) => `${rows.map((row) => JSON.stringify(row)).join("\n")}\n`;

/** A small article with ## sections, as an owner writes one: a placeholder, not a real test article. */
const GARDEN = `---
title: Gardening for leaders
sections:
  - section: Watering
    aliases: [how often should I water, dry soil]
---

# Gardening for leaders

## Watering

Water tomatoes deeply twice a week, in the morning.

Soil that stays wet rots the roots.

## Pruning

Prune roses in late winter, just above an outward bud.
`;

const COOKING = `---
title: Cooking
---

## Bread

Knead the dough ten minutes and let it rise until doubled.

## Soup

Simmer the stock slowly with onions and carrots.
`;

describe("an article's questions file (issue 18, item 3)", () => {
  const root = folder({
    "gardening.md": GARDEN,
    "cooking.md": COOKING,
    "examples.jsonl": jsonl([
      { question: "when to knead", section: "bread" },
      { question: "what's on tv", section: null },
    ]),
    // Questions that would leak into training if the examples loader read them.
    "gardening.questions.jsonl": jsonl([
      { question: "how often do tomatoes need water", section: "watering" },
      { question: "when do I cut back my roses", section: "pruning" },
      { question: "best football team in town", section: null, kind: "unrelated" },
    ]),
  });

  it("is never read as training examples", () => {
    const library = loadLibrary(root, { baseUrl: null });
    expect(library.examples.map((e) => e.question)).toEqual(["when to knead", "what's on tv"]);
  });

  it("is found by slug, names sections <article>#<id>, and says where to put one when missing", () => {
    const library = loadLibrary(root, { baseUrl: null });
    const of = questionsBySlug(root, library.articles);
    expect(of("gardening")).toEqual({
      file: "gardening.questions.jsonl",
      questions: [
        { question: "how often do tomatoes need water", section: "gardening#watering" },
        { question: "when do I cut back my roses", section: "gardening#pruning" },
        { question: "best football team in town", section: null },
      ],
    });
    expect(of("cooking")).toEqual({ file: "cooking.questions.jsonl", questions: null });
  });

  it("refuses what would measure nothing: another article's section, unknown keys, repeats, bad JSON", () => {
    const article = loadLibrary(root, { baseUrl: null }).articles.find((a) => a.slug === "gardening");
    if (!article) throw new Error("no gardening article");
    const reason = (text: string) => {
      try {
        parseArticleQuestions("g.questions.jsonl", text, article);
      } catch (error) {
        if (error instanceof ContentError) return error.message;
        throw error;
      }
      return "accepted";
    };
    expect(reason('{"question": "x", "section": "bread"}')).toContain(
      'g.questions.jsonl line 1: the article has no section "bread" (its ids: watering, pruning)',
    );
    expect(reason('{"question": "x", "section": null, "sectoin": "pruning"}')).toContain(
      "unknown key(s): sectoin",
    );
    expect(reason('{"question": "X?", "section": null}\n{"question": "x?", "section": null}')).toContain(
      "line 2: the same question is already on line 1",
    );
    expect(reason("not json")).toContain("line 1: not valid JSON");
    expect(reason('{"question": "x", "section": "gardening#pruning"}')).toBe("accepted");
  });

  it("is scored per article by one function: a table row each, and a helpful line where none exists", () => {
    const library = loadLibrary(root, { baseUrl: null });
    const matcher = new Matcher(library);
    const scores = articleScores(matcher, library.articles, questionsBySlug(root, library.articles));
    const garden = scores.find((s) => s.slug === "gardening");
    expect(garden?.measured).toBe(true);
    expect(garden?.count).toBe(3);
    expect(garden?.inScope.total).toBe(2);
    expect(garden?.offTopic.total).toBe(1);
    const table = articleTable(scores);
    expect(table.split("\n")[0]).toBe(
      '| article | questions | top-1 | top-1 or first alternative | off-topic: "no guidance" | answered from another article |',
    );
    expect(table).toContain("| gardening | 3 (gardening.questions.jsonl) | ");
    expect(table).toContain(
      "| cooking | no questions yet: add content/cooking.questions.jsonl to measure this article |",
    );
  });

  it("is found by the file's base name when the slug differs", () => {
    const dir = folder({
      "notes.md": "---\ntitle: Notes\nslug: my-notes\n---\n\nOne thing.\n",
      "notes.questions.jsonl": jsonl([{ question: "what thing", section: "one-thing" }]),
    });
    const [article] = loadLibrary(dir).articles;
    if (!article) throw new Error("no article");
    expect(loadArticleQuestions(dir, article)?.file).toBe("notes.questions.jsonl");
  });
});

describe("leave one article out (issue 18, item 2)", () => {
  const tests = folder({
    "gardening.md": GARDEN,
    "gardening.examples.jsonl": jsonl([
      { question: "tomato watering schedule", section: "watering" },
      { question: "my roots are rotting", section: "watering" },
      { question: "cutting roses back", section: "pruning" },
      { question: "where to cut a rose stem", section: "pruning" },
    ]),
    "gardening.questions.jsonl": jsonl([
      { question: "how much water for tomatoes", section: "watering" },
      { question: "when should I prune roses", section: "pruning" },
      { question: "who won the football", section: null },
    ]),
    "unfinished.md": "---\ntitle: Unfinished\nsections:\n  - section: Nowhere\n---\n\nText.\n",
    "unfinished.questions.jsonl": jsonl([{ question: "what text", section: null }]),
    "unmeasured.md": "---\ntitle: Unmeasured\n---\n\nText.\n",
    "unmeasured.examples.jsonl": jsonl([{ question: "which text", section: "text" }]),
    // Notes about the articles, not an article.
    "README.md": "# Test articles\n\nWhat they are.\n",
  });
  const content = loadLibrary(
    folder({
      "cooking.md": COOKING,
      "examples.jsonl": jsonl([
        { question: "how long to knead bread", section: "bread" },
        { question: "bread rising", section: "bread" },
        { question: "soup stock", section: "soup" },
        { question: "simmering onions", section: "soup" },
        { question: "what's the weather", section: null },
      ]),
    }),
    { baseUrl: null },
  );

  it("reads test articles with their examples and questions; an unloadable or unmeasured one is named, not fatal", () => {
    const { tests: read, unmeasured } = readTestArticles(tests);
    expect(read.map((t) => [t.article.slug, t.examples.length, t.questions.length])).toEqual([
      ["gardening", 4, 3],
    ]);
    expect(unmeasured).toEqual([
      expect.stringContaining('unfinished.md: front matter section "Nowhere" matches no section'),
      `unmeasured: add ${join(tests, "unmeasured.questions.jsonl")} to measure it`,
    ]);
  });

  it("scores the article with no examples and with its examples, the seed's questions beside it", () => {
    const [test] = readTestArticles(tests).tests;
    if (!test) throw new Error("no test article");
    const seed = [
      { question: "kneading dough", section: "cooking#bread" },
      { question: "what's for lunch at the office", section: null },
    ];
    const runs = leaveOneArticleOut(content, test, seed);
    expect(runs.map((r) => [r.slug, r.examples, r.article.inScope.total, r.article.offTopic.total])).toEqual([
      ["gardening", 0, 2, 1],
      ["gardening", 4, 2, 1],
    ]);
    for (const run of runs) {
      expect(run.seed.inScope.total).toBe(1);
      expect(run.kind).toBe("classifier");
    }
    const { mean, worst } = summarize(runs);
    expect(worst?.slug).toBe("gardening");
    expect(mean.inScope).toBeGreaterThanOrEqual(0);
    expect(() => leaveOneArticleOut({ ...content, articles: [test.article] }, test, seed)).toThrow(
      /already in the content/,
    );
  });

  it("npm run eval -- --library prints a table per article, the mean and the worst, and never a held-out miss", async () => {
    const { stdout } = await promisify(execFile)(
      "npx",
      ["tsx", "scripts/eval.ts", "--library", "--no-generated"],
      { cwd: ROOT, env: { ...process.env, LIBRARY_DIR: tests }, maxBuffer: 10_000_000 },
    );
    expect(stdout).toContain(`## Library: each test article of ${tests} added to the content`);
    expect(stdout).toMatch(
      /seed article's written held-out questions \(\d+\), content alone: top-1 \d+\.\d%/,
    );
    expect(stdout).toMatch(/^\| gardening \| 0 \| [\d.]+% \(\d\/2\) \|/m);
    expect(stdout).toMatch(/^\| gardening \| 4 \| [\d.]+% \(\d\/2\) \|/m);
    expect(stdout).toMatch(/^no examples: mean over 1 article\(s\) top-1 [\d.]+%.*worst gardening/m);
    expect(stdout).toMatch(/^its examples: mean over 1 article\(s\) top-1/m);
    expect(stdout).not.toMatch(/expected .* got /);
  }, 120_000);
});
