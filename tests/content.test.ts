import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ContentError } from "../src/content/errors.js";
import { loadLibrary, parseArticle } from "../src/content/load.js";
import { plainText } from "../src/content/markdown.js";
import { loadPrompts } from "../src/content/prompts.js";
import { splitSections } from "../src/content/split.js";
import { answerMarkdown } from "../src/content/types.js";

const CONTENT = fileURLToPath(new URL("../content", import.meta.url));
const SEED_FILE = join(CONTENT, "levels-of-engineering-management-focus.md");
const SEED_SOURCE = readFileSync(SEED_FILE, "utf8");
const SLUG = "levels-of-engineering-management-focus";

const SEED_IDS = [
  "levels-of-engineering-management-focus",
  "engineering-management-is-not-a-promotion",
  "going-back-to-building",
  "focus-levels",
  "narrow",
  "wide",
  "ic",
  "onboarding-takes-two-years",
  "giving-up-the-vp-path",
];

const tempRoots: string[] = [];
afterAll(() => {
  for (const root of tempRoots) rmSync(root, { recursive: true, force: true });
});

/** A fresh folder with the given files (paths relative to it; folders are created). */
function folder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "em-focus-content-"));
  tempRoots.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

function article(front: string, body = "Some guidance for leaders.\n"): string {
  return `---\n${front}\n---\n\n${body}`;
}

function contentError(fn: () => unknown): ContentError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ContentError) return error;
    throw error;
  }
  throw new Error("expected a ContentError, but nothing was thrown");
}

describe("the seed article", () => {
  const library = loadLibrary(CONTENT);
  const seed = library.articles[0];

  it("is the only article, and the prompts folder is not read as one", () => {
    expect(library.articles.map((a) => a.file)).toEqual([`${SLUG}.md`]);
    expect(seed?.slug).toBe(SLUG);
    expect(seed?.title).toBe("Levels of Engineering (Management) Focus");
    expect(seed?.excerpt).toBe(
      "Switching back and forth between engineering and engineering management is totally fine.",
    );
    expect(library.sections).toEqual(seed?.sections);
  });

  it("splits into exactly the expected sections, in article order", () => {
    expect(library.sections.map((s) => s.id)).toEqual(SEED_IDS);
    for (const section of library.sections) expect(section.article).toBe(SLUG);
  });

  it("puts the focus levels on the three bullets and nowhere else", () => {
    const levels = Object.fromEntries(library.sections.map((s) => [s.id, s.level]));
    expect(levels).toEqual({
      "levels-of-engineering-management-focus": null,
      "engineering-management-is-not-a-promotion": null,
      "going-back-to-building": null,
      "focus-levels": null,
      narrow: "narrow",
      wide: "wide",
      ic: "ic",
      "onboarding-takes-two-years": null,
      "giving-up-the-vp-path": null,
    });
    const bullets = library.sections.filter((s) => s.level !== null);
    expect(bullets.map((s) => s.heading)).toEqual(["Narrow", "Wide", "IC"]);
    expect(bullets.map((s) => s.text.slice(0, 12))).toEqual(["**Narrow**: ", "**Wide**: as", "**IC: there'"]);
  });

  it("takes every section's text verbatim from the article", () => {
    for (const section of library.sections) {
      expect(section.text.trim()).not.toBe("");
      expect(SEED_SOURCE).toContain(section.text);
      expect(seed?.body).toContain(section.text);
    }
    expect(library.sections.find((s) => s.id === "onboarding-takes-two-years")?.text).toBe(
      "Onboarding as a manager, or a senior engineer, takes a rather long time. To be productive in a role and to grow, you would need about two years at a single gig. Which means that you don't really have that many switch opportunities in your career.",
    );
  });

  it("loses none of the article's words: every non-heading line is in some section", () => {
    const texts = library.sections.map((s) => s.text);
    const lines = (seed?.body ?? "")
      .split("\n")
      .map((line) => line.replace(/^\s*-\s+/, "").trim())
      .filter((line) => line !== "" && !line.startsWith("#"));
    expect(lines.length).toBeGreaterThanOrEqual(9);
    for (const line of lines) expect(texts.some((text) => text.includes(line))).toBe(true);
  });

  it("applies the front matter titles, summaries and aliases", () => {
    const byId = new Map(library.sections.map((s) => [s.id, s]));
    expect(byId.get("levels-of-engineering-management-focus")?.heading).toBe(
      "Going back and forth between management and IC",
    );
    expect(byId.get("giving-up-the-vp-path")?.heading).toBe("Going back to IC means giving up the VP path");
    expect(byId.get("wide")?.summary).toMatch(/^Support several teams/);
    expect(byId.get("narrow")?.summary).toBe(
      "Focus on supporting and growing your team, and working on a specific set of problems with your team.",
    );
    expect(byId.get("ic")?.aliases).toContain("I miss coding");
    expect(byId.get("narrow")?.aliases).toContain("first line manager");
    for (const section of library.sections) expect(section.aliases.length).toBeGreaterThan(0);
  });

  it("has no links without a base URL or a front matter url", () => {
    expect(seed?.url).toBeNull();
    for (const section of library.sections) expect(section.url).toBeNull();
  });

  it("links sections under the base URL", () => {
    for (const baseUrl of ["https://x.test/articles", "https://x.test/articles/"]) {
      const linked = loadLibrary(CONTENT, { baseUrl });
      expect(linked.articles[0]?.url).toBe(`https://x.test/articles/${SLUG}`);
      expect(linked.sections.find((s) => s.id === "ic")?.url).toBe(`https://x.test/articles/${SLUG}#ic`);
      expect(linked.sections.map((s) => s.url)).toEqual(
        SEED_IDS.map((id) => `https://x.test/articles/${SLUG}#${id}`),
      );
    }
  });

  it("prefers the front matter url over the base URL", () => {
    const withUrl = SEED_SOURCE.replace(/^title: .*$/m, (line) => `${line}\nurl: https://blog.example/post`);
    expect(withUrl).not.toBe(SEED_SOURCE);
    const root = folder({ [`${SLUG}.md`]: withUrl });
    for (const baseUrl of [undefined, "https://x.test/articles"]) {
      const linked = loadLibrary(root, { baseUrl });
      expect(linked.articles[0]?.url).toBe("https://blog.example/post");
      expect(linked.sections.find((s) => s.id === "ic")?.url).toBe("https://blog.example/post#ic");
    }
  });
});

describe("splitSections", () => {
  it("a paragraph ending in ':' introduces the bold-led items after it, shown with it, not matched (issue 21, item 2)", () => {
    const [intro, narrow, wide, after] = splitSections(
      "Each level needs its own skills:\n- **Narrow**: your team.\n- **Wide**: several teams.\n\nA closing thought.",
    );
    expect(intro?.text).toBe("Each level needs its own skills:");
    expect(intro?.plain).toBe("Each level needs its own skills:");
    expect(intro?.introduces).toBe("- **Narrow**: your team.\n- **Wide**: several teams.");
    expect([narrow?.level, wide?.level]).toEqual(["narrow", "wide"]);
    expect(after?.introduces).toBeUndefined();
    // Without the colon, items are only sections of their own.
    expect(splitSections("Each level.\n- **Narrow**: your team.")[0]?.introduces).toBeUndefined();
  });

  it("the shipped overview of the levels lists all three in an answer (issue 21, item 2)", () => {
    const library = loadLibrary(join(dirname(fileURLToPath(import.meta.url)), "..", "content"), {
      baseUrl: null,
    });
    const overview = library.sections.find((s) => s.id === "focus-levels");
    const shown = overview ? answerMarkdown(overview) : "";
    expect(shown).toMatch(/experience:\n- \*\*Narrow\*\*: [^\n]+\n- \*\*Wide\*\*: [^\n]+\n- \*\*IC: /);
  });

  it("names the paragraph under a heading after the heading", () => {
    const sections = splitSections(
      "## Why it matters\n\nBecause it does.\n\n## How\n\nCarefully, step by step.",
    );
    expect(sections.map((s) => [s.id, s.heading, s.text])).toEqual([
      ["why-it-matters", "Why it matters", "Because it does."],
      ["how", "How", "Carefully, step by step."],
    ]);
  });

  it("a ## heading owns all its paragraphs and lists up to the next heading (issue 18, item 5)", () => {
    const sections = splitSections(
      "# Title\n\n## Why it matters\n\nBecause it does.\n\nAnd a second reason.\n\n- a list\n- of points\n\n### How\n\nCarefully.\n\nStep by step.",
    );
    expect(sections.map((s) => [s.id, s.heading, s.text])).toEqual([
      ["why-it-matters", "Why it matters", "Because it does.\n\nAnd a second reason.\n- a list\n- of points"],
      ["how", "How", "Carefully.\n\nStep by step."],
    ]);
    expect(sections[0]?.plain).toBe("Because it does. And a second reason. a list of points");
    expect(sections[0]?.summary).toBe("Because it does.");
  });

  it("keeps one section a paragraph above the first ## heading, as the seed article is written", () => {
    const sections = splitSections("# Title\n\nFirst point.\n\nSecond point.\n\n## Part\n\nOne.\n\nTwo.");
    expect(sections.map((s) => s.text)).toEqual(["First point.", "Second point.", "One.\n\nTwo."]);
    expect(sections[0]?.id).toBe("title");
  });

  it("<!-- section --> splits a heading's paragraphs; the new section owns what follows it", () => {
    const sections = splitSections(
      "## Part\n\nOne.\n\n<!-- section -->\n\n**Second thought** here.\n\nMore of it.\n\n- and a list\n\n## Next\n\nThree.",
    );
    expect(sections.map((s) => [s.id, s.text])).toEqual([
      ["part", "One."],
      ["second-thought", "**Second thought** here.\n\nMore of it.\n- and a list"],
      ["next", "Three."],
    ]);
    // Other comments are still notes for the renderer, and a marker inside code is no boundary.
    const code = splitSections("## A\n\nx <!-- more --> y\n\n```\nrun\n<!-- section -->\n```\n\nz");
    expect(code.map((s) => s.text)).toEqual(["x  y\n\n```\nrun\n```\n\nz"]);
  });

  it("bold-led items under a ## heading stay sections of their own; text after them starts anew", () => {
    const sections = splitSections(
      "## Levels\n\nThere are two:\n\nSee them below:\n- **Narrow**: one team.\n- **Wide**: many teams.\n\nAfter the items.\n\nAnd more.",
    );
    expect(sections.map((s) => [s.id, s.text])).toEqual([
      ["levels", "There are two:\n\nSee them below:"],
      ["narrow", "**Narrow**: one team."],
      ["wide", "**Wide**: many teams."],
      ["after-the-items", "After the items."],
      ["and-more", "And more."],
    ]);
    expect(sections[0]?.introduces).toBe("- **Narrow**: one team.\n- **Wide**: many teams.");
  });

  it("an article of ## sections loads one section a heading, steerable in front matter by its heading", () => {
    const root = folder({
      "essay.md": article(
        "title: An essay\nsections:\n  - section: Second\n    aliases: [the second part]",
        "# An essay\n\n## First\n\nA.\n\nB.\n\n## Second\n\nC.\n\nD.\n",
      ),
    });
    const library = loadLibrary(root, { baseUrl: null });
    expect(library.sections.map((s) => [s.id, s.text, s.aliases])).toEqual([
      ["first", "A.\n\nB.", []],
      ["second", "C.\n\nD.", ["the second part"]],
    ]);
  });

  it("takes a heading's list as the section under it", () => {
    const sections = splitSections("## Steps\n\n- one\n- two");
    expect(sections.map((s) => [s.id, s.text])).toEqual([["steps", "- one\n- two"]]);
  });

  it("makes bold-led list items boundaries, with - ** and * __ markers", () => {
    const sections = splitSections("Intro paragraph.\n- **X**: first thing.\n* __Y__ second thing.\n");
    expect(sections.map((s) => [s.id, s.heading, s.text])).toEqual([
      ["intro-paragraph", "Intro paragraph.", "Intro paragraph."],
      ["x", "X", "**X**: first thing."],
      ["y", "Y", "__Y__ second thing."],
    ]);
    expect(sections[1]?.summary).toBe("First thing.");
    expect(sections[2]?.summary).toBe("Second thing.");
  });

  it("gives a level to bold leads named after a focus level", () => {
    const sections = splitSections("- **Narrow**: a.\n- **Wide**: b.\n1. **IC**: c.\n- **Other**: d.");
    expect(sections.map((s) => [s.id, s.level])).toEqual([
      ["narrow", "narrow"],
      ["wide", "wide"],
      ["ic", "ic"],
      ["other", null],
    ]);
  });

  it("continues the paragraph before a plain list, and starts new sections after it", () => {
    const sections = splitSections("Things to do:\n\n- one\n- two\n\nAfter the list.\n\nAnother paragraph.");
    expect(sections.map((s) => s.text)).toEqual([
      "Things to do:\n- one\n- two",
      "After the list.",
      "Another paragraph.",
    ]);
  });

  it("keeps a lazy continuation line with its bold lead, but not an unindented paragraph after a blank", () => {
    const sections = splitSections("- **X**: starts here\n  and goes on.\n\nA new paragraph.");
    expect(sections.map((s) => s.text)).toEqual(["**X**: starts here\nand goes on.", "A new paragraph."]);
  });

  it("does not split inside fenced code", () => {
    const body = "Code:\n\n```\n- **x**: not a lead\n\n- **Narrow**: not a level\n```\n\nAfter.";
    const sections = splitSections(body);
    expect(sections).toHaveLength(3);
    expect(sections[1]?.text).toBe("```\n- **x**: not a lead\n\n- **Narrow**: not a level\n```");
    expect(sections.every((s) => s.level === null)).toBe(true);
    expect(sections[2]?.text).toBe("After.");
  });

  it("reads CRLF line endings like LF", () => {
    const lf = "## A\n\nText a.\n\n- **Narrow**: n.\n\nText b.\n";
    const crlf = lf.replace(/\n/g, "\r\n");
    const sections = splitSections(crlf);
    expect(sections).toEqual(splitSections(lf));
    expect(sections.map((s) => s.text)).toEqual(["Text a.", "**Narrow**: n.", "Text b."]);
    for (const section of sections) expect(section.text).not.toContain("\r");
  });

  it("gives non-Latin headings non-empty ids", () => {
    const sections = splitSections(
      "## 管理\n\n管理は昇進ではない。\n\n## Руководство\n\nТекст.\n\n## Café crème\n\nDu texte.",
    );
    expect(sections.map((s) => s.id)).toEqual(["管理", "руководство", "cafe-creme"]);
  });

  it("uses a paragraph's bold phrase, else its first sentence, as the heading", () => {
    const sections = splitSections(
      "Reminder: **management is a role**, not a step.\n\nPlain words. More words.",
    );
    expect(sections.map((s) => [s.id, s.heading])).toEqual([
      ["management-is-a-role", "management is a role"],
      ["plain-words", "Plain words."],
    ]);
  });
});

describe("broken content", () => {
  const load = (files: Record<string, string>) => contentError(() => loadLibrary(folder(files)));

  it("rejects invalid YAML front matter", () => {
    const error = load({ "bad.md": article("title: [unclosed\nlevel: : :") });
    expect(error.file).toBe("bad.md");
    expect(error.reason).toContain("front matter is not valid YAML");
    expect(error.message).toBe(`bad.md: ${error.reason}`);
  });

  it("rejects an article without a title", () => {
    for (const source of [article("excerpt: x"), "Just text, no front matter.\n", article('title: "  "')]) {
      const error = load({ "untitled.md": source });
      expect(error.file).toBe("untitled.md");
      expect(error.reason).toBe('front matter has no "title"');
    }
  });

  it("rejects an article with nothing below its front matter", () => {
    const error = load({ "empty.md": article("title: Empty", "\n\n   \n") });
    expect(error.file).toBe("empty.md");
    expect(error.reason).toContain("no text below its front matter");
  });

  it("rejects an article with only headings", () => {
    const error = load({ "heads.md": article("title: Heads", "# Title\n\n## Sub\n") });
    expect(error.reason).toContain("no paragraphs to answer with");
  });

  it("rejects two sections with the same id", () => {
    const error = load({ "dup.md": article("title: Dup", "## Same\n\nFirst.\n\n## Same\n\nSecond.\n") });
    expect(error.file).toBe("dup.md");
    expect(error.reason).toContain('two sections have the id "same"');
  });

  it("rejects a heading with no usable id", () => {
    const error = load({ "emoji.md": article("title: Emoji", "## 🚀🚀\n\nText.\n") });
    expect(error.reason).toContain("has no usable id");
  });

  it("rejects two articles with the same slug", () => {
    const error = load({
      "a.md": article("title: A"),
      "sub/a.md": article("title: Also A"),
    });
    expect(error.file).toBe("sub/a.md");
    expect(error.reason).toBe('article slug "a" is already used by a.md');
    const explicit = load({
      "one.md": article("title: One\nslug: same"),
      "two.md": article("title: Two\nslug: same"),
    });
    expect(explicit.file).toBe("two.md");
    expect(explicit.reason).toContain('article slug "same" is already used by one.md');
  });

  it("rejects a malformed slug", () => {
    const error = load({ "s.md": article("title: S\nslug: Not A Slug") });
    expect(error.reason).toContain('slug "Not A Slug" must be lower-case');
  });

  const body = "First paragraph here.\n\nSecond paragraph here.\n\n- **Narrow**: a bullet.\n";
  const withOverride = (yaml: string) => ({ "o.md": article(`title: O\nsections:\n${yaml}`, body) });

  it("rejects a sections override that matches nothing", () => {
    const error = load(withOverride('  - section: "Nothing starts like this"'));
    expect(error.file).toBe("o.md");
    expect(error.reason).toContain('front matter section "Nothing starts like this" matches no section');
  });

  it("rejects a sections override that matches two sections", () => {
    const error = load({
      "two.md": article(
        'title: Two\nsections:\n  - section: "Paragraph"\n    id: x',
        "Paragraph one here.\n\nParagraph two here.\n",
      ),
    });
    expect(error.file).toBe("two.md");
    expect(error.reason).toBe(
      'front matter section "Paragraph" matches 2 sections; quote more of the opening words',
    );
  });

  it("rejects a bad level", () => {
    const error = load(withOverride("  - section: narrow\n    level: senior"));
    expect(error.reason).toBe(
      'front matter sections[0].level must be one of narrow, wide, ic or null, not "senior"',
    );
  });

  it("rejects aliases that are not a list", () => {
    const error = load(withOverride("  - section: narrow\n    aliases: one phrase"));
    expect(error.reason).toBe("front matter sections[0].aliases must be a list of phrases");
  });

  it("rejects a level hint that is not a short phrase, or on a section without a level", () => {
    expect(load(withOverride("  - section: narrow\n    hint: [a, b]")).reason).toBe(
      "front matter sections[0].hint must be a short phrase on one line",
    );
    expect(load(withOverride('  - section: narrow\n    hint: "  "')).reason).toBe(
      "front matter sections[0].hint must be a short phrase on one line",
    );
    expect(load(withOverride(`  - section: narrow\n    hint: ${"x".repeat(61)}`)).reason).toBe(
      "front matter sections[0].hint is 61 characters; keep it to 60 (it sits beside the level's name in the weekly prompt)",
    );
    const noLevel = load(withOverride('  - section: "First paragraph"\n    hint: your own team'));
    expect(noLevel.file).toBe("o.md");
    expect(noLevel.reason).toBe(
      'section "first-paragraph-here" has a "hint" but no level; a hint is shown beside a level\'s name in the weekly prompt',
    );
    const unsetLevel = load(withOverride("  - section: narrow\n    level: null\n    hint: your own team"));
    expect(unsetLevel.reason).toContain('has a "hint" but no level');
  });

  it("carries a level section's hint, trimmed, and none where it has none", () => {
    const library = loadLibrary(folder(withOverride("  - section: narrow\n    hint: '  your own team '")));
    expect(library.sections.find((s) => s.level === "narrow")?.hint).toBe("your own team");
    expect(library.sections.filter((s) => s.hint !== undefined)).toHaveLength(1);
  });

  it("rejects an unknown override key", () => {
    const error = load(withOverride("  - section: narrow\n    colour: blue"));
    expect(error.reason).toBe("front matter sections[0] has unknown key(s): colour");
  });

  it("rejects sections that is not a list, and an entry without section", () => {
    expect(load(withOverride("  section: narrow")).reason).toBe('front matter "sections" must be a list');
    expect(load(withOverride("  - id: narrow")).reason).toContain('front matter sections[0] needs "section"');
  });

  it("applies a valid override by id and by opening words", () => {
    const library = loadLibrary(
      folder(
        withOverride(
          '  - section: "Second paragraph"\n    id: second\n    level: wide\n    aliases: [two]\n  - section: narrow\n    level: null',
        ),
      ),
    );
    expect(library.sections.map((s) => [s.id, s.level, s.aliases])).toEqual([
      ["first-paragraph-here", null, []],
      ["second", "wide", ["two"]],
      ["narrow", null, []],
    ]);
  });

  it("rejects a missing content folder", () => {
    const missing = join(tmpdir(), "em-focus-does-not-exist-7f3a");
    const error = contentError(() => loadLibrary(missing));
    expect(error.file).toBe(missing);
    expect(error.reason).toContain("content folder not found");
  });

  it("rejects a folder with no articles", () => {
    const root = folder({ "notes.txt": "not markdown", "README.md": "# Readme\n\nNot an article.\n" });
    const error = contentError(() => loadLibrary(root));
    expect(error.file).toBe(root);
    expect(error.reason).toContain("no articles (*.md files) found");
  });

  it("skips the prompts folder and README.md", () => {
    const root = folder({
      "a.md": article("title: A"),
      "README.md": "no front matter at all",
      "prompts/p.md": "---\norder: 1\n---\nA prompt, not an article (it has no title).\n",
    });
    const library = loadLibrary(root);
    expect(library.articles.map((a) => a.file)).toEqual(["a.md"]);
    expect(library.sections.map((s) => s.id)).toEqual(["some-guidance-for-leaders"]);
  });
});

describe("article order", () => {
  it("reads articles in localeCompare order of their names, folders among files, whatever else lies beside them", () => {
    const names = [
      "b.md",
      "A.md",
      "a-c.md",
      "guides/z.md",
      "guides/Ä.md",
      "Guides2/x.md",
      "c10.md",
      "c9.md",
      "team_notes.md",
    ];
    const root = folder({
      ...Object.fromEntries(names.map((name, i) => [name, article(`title: T${i}\nslug: s${i}`)])),
      "examples.jsonl": "",
      "notes.txt": "not markdown",
      ".drafts/hidden.md": article("title: Hidden\nslug: hidden"),
      "pages/privacy.md": "A page, not an article.\n",
      "prompts/p.md": "---\norder: 1\n---\nA prompt.\n",
    });
    const byName = (a: string, b: string) => a.localeCompare(b);
    const expected = (dir: string): string[] => {
      const entries = names
        .filter((name) => name.startsWith(dir))
        .map((name) => name.slice(dir.length).split("/")[0] as string);
      return [...new Set(entries)]
        .sort(byName)
        .flatMap((entry) => (entry.endsWith(".md") ? [`${dir}${entry}`] : expected(`${dir}${entry}/`)));
    };
    expect(loadLibrary(root).articles.map((a) => a.file)).toEqual(expected(""));
  });
});

describe("loadPrompts", () => {
  const prompt = (front: string, text = "What did you spend your week on?") =>
    `---\n${front}\n---\n${text}\n`;

  it("reads the shipped prompts, sorted by order", () => {
    const prompts = loadPrompts(join(CONTENT, "prompts"));
    expect(prompts).toHaveLength(19);
    const orders = prompts.map((p) => p.order);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
    expect(new Set(orders).size).toBe(19);
    const handsOn = prompts.find((p) => p.id === "hands-on-hours");
    expect(handsOn).toMatchObject({ order: 16, level: "ic" });
    expect(handsOn?.text).toMatch(/^How many hours this week/);
  });

  it("normalises the level and accepts none", () => {
    const prompts = loadPrompts(
      folder({ "a.md": prompt("order: 2\nlevel: Narrow"), "b.md": prompt("order: 1") }),
    );
    expect(prompts.map((p) => [p.id, p.order, p.level])).toEqual([
      ["b", 1, null],
      ["a", 2, "narrow"],
    ]);
  });

  const promptError = (files: Record<string, string>) => {
    const root = folder(files);
    return { root, error: contentError(() => loadPrompts(root)) };
  };

  it("rejects a bad level", () => {
    const { root, error } = promptError({ "x.md": prompt("order: 1\nlevel: senior") });
    expect(error.file).toBe(join(root, "x.md"));
    expect(error.reason).toBe('bad level "senior": use narrow, wide, ic or null');
  });

  it("rejects two prompts with the same order", () => {
    const { root, error } = promptError({ "a.md": prompt("order: 3"), "b.md": prompt("order: 3") });
    expect(error.file).toBe(join(root, "b.md"));
    expect(error.reason).toContain("order 3 is also used by a.md");
  });

  it("rejects empty text", () => {
    const { error } = promptError({ "e.md": prompt("order: 1", "   ") });
    expect(error.reason).toContain("empty text");
  });

  it("rejects a missing or fractional order", () => {
    expect(promptError({ "m.md": prompt("level: ic") }).error.reason).toContain("missing order");
    expect(promptError({ "f.md": prompt("order: 1.5") }).error.reason).toBe(
      "order must be a whole number, got 1.5",
    );
  });

  it("rejects a folder with no prompts, and a missing folder", () => {
    const { root, error } = promptError({ "readme.txt": "nothing" });
    expect(error.file).toBe(root);
    expect(error.reason).toContain("no prompts");
    const missing = join(root, "nope");
    expect(contentError(() => loadPrompts(missing)).reason).toBe("prompts folder not found");
  });
});

describe("parseArticle", () => {
  it("names the file in every error", () => {
    const error = contentError(() => parseArticle("deep/path/x.md", "---\ntitle: x\n---\n"));
    expect(error.message).toMatch(/^deep\/path\/x\.md: /);
  });
});

// A thematic break (`---`, `***`) or an image-only paragraph is not a section: its id would slugify
// to "" and the article would not load.
describe("breaks, images and comments", () => {
  it.each(["---", "***", "___", "![](diagram.png)"])("an article with a %j line loads", (line) => {
    const parsed = parseArticle(
      "t.md",
      `---\ntitle: T\n---\nFirst paragraph.\n\n${line}\n\nSecond paragraph.\n`,
    );
    expect(parsed.sections.map((s) => s.id)).toEqual(["first-paragraph", "second-paragraph"]);
  });
});

describe("labelled examples (examples.jsonl)", () => {
  const ARTICLE = article(
    "title: Levels\nsections:\n  - section: narrow\n    aliases: [my team]",
    "- **Narrow**: grow your team.\n- **Wide**: many teams.\n\nOnboarding takes two years.\n",
  );
  const load = (examples: string, extra: Record<string, string> = {}) =>
    loadLibrary(folder({ "levels.md": ARTICLE, "examples.jsonl": examples, ...extra }));
  const broken = (examples: string, extra: Record<string, string> = {}) =>
    contentError(() => load(examples, extra));

  it("reads questions with their section, or null for no guidance, keyed by article", () => {
    const library = load(
      '{"question":" how do I grow my people ","section":"narrow"}\n\n{"question":"best pizza","section":null}\n',
    );
    expect(library.examples).toEqual([
      { question: "how do I grow my people", section: "levels#narrow" },
      { question: "best pizza", section: null },
    ]);
  });

  it("takes the address a real question was asked at, and only an http(s) one", () => {
    const library = load('{"question":"q","section":"narrow","url":"https://forum.example/t/1"}');
    expect(library.examples).toEqual([{ question: "q", section: "levels#narrow" }]);
    for (const url of ['"ftp://x.example/1"', '"see the forum"', "3"]) {
      expect(broken(`{"question":"q","section":"narrow","url":${url}}`).reason).toContain(
        '"url", when given, must be the http(s) address',
      );
    }
  });

  it("is optional", () => {
    expect(loadLibrary(folder({ "levels.md": ARTICLE })).examples).toEqual([]);
  });

  it.each([
    ["not json", "examples.jsonl line 1", "not valid JSON"],
    ['["a list"]', "examples.jsonl line 1", "must be an object"],
    ['{"question":"q","section":"narrow","why":"x"}', "examples.jsonl line 1", "unknown key(s): why"],
    [
      '{"question":"   ","section":"narrow"}',
      "examples.jsonl line 1",
      '"question" must be a non-empty string',
    ],
    ['{"section":"narrow"}', "examples.jsonl line 1", '"question" must be a non-empty string'],
    ['{"question":"q","section":3}', "examples.jsonl line 1", '"section" must be a section id'],
    ['{"question":"q","section":"nope"}', "examples.jsonl line 1", 'no section has the id "nope"'],
    [
      '{"question":"q","section":"narrow"}\n{"question":"Q ","section":"wide"}',
      "examples.jsonl line 2",
      "the same question is already on line 1",
    ],
    [
      `{"question":"${"x".repeat(2001)}","section":null}`,
      "examples.jsonl line 1",
      "longer than 2000 characters",
    ],
  ])("rejects %j", (source, file, reason) => {
    const error = broken(source);
    expect(error.file).toBe(file);
    expect(error.reason).toContain(reason);
  });

  it("asks for <article>#<id> when two articles share a section id", () => {
    const other = article("title: Other", "- **Narrow**: something else.\n");
    const error = broken('{"question":"q","section":"narrow"}', { "other.md": other });
    expect(error.reason).toContain(
      '"narrow" is in several articles; write "levels#narrow" or "other#narrow"',
    );
    const library = load('{"question":"q","section":"other#narrow"}', { "other.md": other });
    expect(library.examples).toEqual([{ question: "q", section: "other#narrow" }]);
  });
});

describe("section roles", () => {
  const load = (frontMatter: string) =>
    loadLibrary(
      folder({ "a.md": article(`title: A\n${frontMatter}`, "Intro words.\n\n- **Narrow**: one team.\n") }),
    );

  it("gives level sections the level role and others topic, unless front matter says overview", () => {
    const plain = load("");
    expect(plain.sections.map((s) => [s.id, s.role])).toEqual([
      ["intro-words", "topic"],
      ["narrow", "level"],
    ]);
    const marked = load("sections:\n  - section: intro-words\n    role: overview");
    expect(marked.sections[0]?.role).toBe("overview");
  });

  it("rejects an unknown role, and a role on a level section", () => {
    expect(contentError(() => load("sections:\n  - section: intro-words\n    role: boss")).reason).toContain(
      'role must be "overview"',
    );
    expect(contentError(() => load("sections:\n  - section: narrow\n    role: overview")).reason).toContain(
      'section "narrow" has a level, so it cannot also have role "overview"',
    );
  });

  it("marks the seed article's intro and levels overview as overviews", () => {
    const seed = loadLibrary(CONTENT);
    expect(seed.sections.filter((s) => s.role === "overview").map((s) => s.id)).toEqual([
      "levels-of-engineering-management-focus",
      "focus-levels",
    ]);
  });
});

describe("plainText", () => {
  it.each([
    ["plain words stay as they are", "plain words stay as they are"],
    ["a [link](https://x.test) and ![an image](i.png)", "a link and an image"],
    ["see <https://x.test/a> now", "see https://x.test/a now"],
    ["run `npm test` first", "run npm test first"],
    ["**bold**, __also__, *em* and _em_", "bold, also, em and em"],
    ["snake_case_word and 2*3*4 stay", "snake_case_word and 2*3*4 stay"],
    ["## A heading\n- an item\n1) a step", "A heading an item a step"],
    ["a # that is not a heading", "a # that is not a heading"],
    ["**[bold link](u)** with `code` <https://x.test>", "bold link with code https://x.test"],
  ])("%j → %j", (markdown, plain) => {
    expect(plainText(markdown)).toBe(plain);
  });
});
