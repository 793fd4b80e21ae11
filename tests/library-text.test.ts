import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { formatAnswer } from "../src/cli/ask.js";
import { suggestedAcross } from "../src/content/about.js";
import { loadLibrary } from "../src/content/load.js";
import { LEVEL_NAMES, type Section } from "../src/content/types.js";
import { type Answer, answerQuestion } from "../src/match/answer.js";
import { Matcher } from "../src/match/matcher.js";
import { articlesNamed, installPage } from "../src/slack/oauth-pages.js";
import { ACTIONS, answerView, type MessageView } from "../src/slack/views/answer.js";
import { greetingView, panelAnswerView, panelPrompts } from "../src/slack/views/assistant.js";
import { homeView } from "../src/slack/views/home.js";
import { offersOtherLevels, otherLevelsView, overviewView, replyView } from "../src/slack/views/overview.js";
import { renderPromptMessage } from "../src/slack/views/prompt.js";
import type { Delivery } from "../src/store/types.js";
import { validateBlocks } from "../test-support/fake-slack.js";

const CONTENT = fileURLToPath(new URL("../content", import.meta.url));
const SEED = "levels-of-engineering-management-focus";
const ROOT = fileURLToPath(new URL("..", import.meta.url));

const SECOND = `---
title: Running a Leadership Offsite
about: planning and running an offsite for a leadership team
suggested_prompts:
  - title: Plan an offsite
    message: How do I plan a leadership offsite?
  - title: Offsite agenda
    message: What goes on an offsite agenda?
sections:
  - section: Agenda
    aliases: [offsite agenda, what to put on the agenda]
---

## Agenda

Keep the agenda to three questions the team cannot settle in its weekly meeting.

## Follow-up

Write the decisions down before everyone leaves the room, each with an owner.
`;

const root = mkdtempSync(join(tmpdir(), "em-focus-two-articles-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
for (const file of readdirSync(CONTENT).filter((f) => f.endsWith(".md"))) {
  writeFileSync(join(root, file), readFileSync(join(CONTENT, file), "utf8"));
}
writeFileSync(join(root, "running-a-leadership-offsite.md"), SECOND);
const library = loadLibrary(root, { baseUrl: null });
const matcher = new Matcher(library);

function text(view: { text: string; blocks: unknown[] }): string {
  return JSON.stringify(view.blocks) + view.text;
}

function declinedAnswer(question: string): Answer {
  return { question, outcome: "off-topic", answer: null, section: null, alternatives: [], matchedWords: [] };
}

function answer(section: Section, question = "a question"): Answer {
  return {
    ...answerQuestion(matcher, question),
    section,
    alternatives: [],
    matchedWords: [],
  } as Answer;
}

describe("a library of two articles: replies written over the whole library (issue 18, item 7)", () => {
  const offsite = library.articles.find((a) => a.slug === "running-a-leadership-offsite");
  const seed = library.articles.find((a) => a.slug === SEED);
  if (!offsite || !seed) throw new Error("both articles must load");

  it("the greeting names both articles with what each is about", () => {
    const view = greetingView(library);
    expect(validateBlocks(view.blocks, 50)).toEqual([]);
    expect(view.text).toContain("“Running a Leadership Offsite” — planning and running an offsite");
    expect(view.text).toContain(`“${seed.title}” — ${seed.about}`);
  });

  it("the suggested prompts take turns across articles, at most Slack's four", () => {
    const prompts = panelPrompts(library);
    expect(prompts).toHaveLength(4);
    expect(prompts.map((p) => p.title)).toEqual([
      seed.suggestedPrompts?.[0]?.title,
      "Plan an offsite",
      seed.suggestedPrompts?.[1]?.title,
      "Offsite agenda",
    ]);
    expect(suggestedAcross([{ suggestedPrompts: [] }, {}])).toEqual([]);
  });

  it("help and the App Home describe both articles, and only the seed's levels under it", () => {
    for (const [view, max] of [
      [overviewView(library), 50],
      [{ text: "", blocks: homeView(library, undefined, null).blocks }, 100],
    ] as const) {
      expect(validateBlocks(view.blocks, max)).toEqual([]);
      const shown = text(view);
      expect(shown).toContain("*Running a Leadership Offsite* — planning and running an offsite");
      expect(shown).toContain(`*${seed.title}* — `);
      // The example in How to ask is the library's first suggested prompt, not text in code.
      expect(shown).toContain(`/em-focus ${seed.suggestedPrompts?.[0]?.message}`);
    }
    expect(overviewView(library).blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "em-focus — the articles I answer from", emoji: true },
    });
  });

  it('"no guidance" speaks of the library, not of one article', () => {
    // The reply to a question the matcher declined; which questions it declines is the matcher's business.
    const declined = declinedAnswer("how do I set up kubernetes ingress");
    const view = replyView(library, declined);
    expect(view.text).toBe(
      "I have no guidance on that in the articles I answer from. Here is what they cover:",
    );
    expect(text(view)).toContain("Running a Leadership Offsite");
    expect(formatAnswer(declined, library.articles)).toBe(
      "The articles have no guidance on that. They are:\n" +
        `- “${seed.title}” — ${seed.about}\n` +
        "- “Running a Leadership Offsite” — planning and running an offsite for a leadership team\n",
    );
  });

  it("Other levels is offered only on answers from an article with levels, and lists that article's levels", () => {
    const agenda = offsite.sections[0] as Section;
    const narrow = seed.sections.find((s) => s.level === "narrow") as Section;
    expect(offersOtherLevels(library, agenda)).toBe(false);
    expect(offersOtherLevels(library, narrow)).toBe(true);
    const ids = (view: MessageView) =>
      view.blocks
        .flatMap((b) => ("elements" in b ? (b.elements as { action_id?: string }[]) : []))
        .map((e) => e.action_id);
    expect(ids(replyView(library, answer(agenda), { buttons: true }))).not.toContain(ACTIONS.otherLevels);
    expect(ids(replyView(library, answer(narrow), { buttons: true }))).toContain(ACTIONS.otherLevels);
    expect(ids(panelAnswerView(library, answer(agenda)))).not.toContain(ACTIONS.otherLevels);
    expect(ids(panelAnswerView(library, answer(narrow)))).toContain(ACTIONS.otherLevels);
    expect(ids(answerView({ ...answer(narrow), section: narrow }, { buttons: true }))).not.toContain(
      ACTIONS.otherLevels,
    );
    const others = text(otherLevelsView(library, narrow));
    expect(others).toContain(`Besides ${LEVEL_NAMES.narrow}`);
    expect(others).not.toContain("Agenda");
  });

  it("the seed alone still greets and declines by its own front matter", () => {
    const seedOnly = loadLibrary(CONTENT, { baseUrl: null });
    expect(greetingView(seedOnly).text).toBe(
      `Hi! Ask me a question — I answer with the part of the article “${seed.title}” — ${seed.about} that fits. Pick a suggestion or type your own question.`,
    );
    const declined = replyView(
      seedOnly,
      answerQuestion(new Matcher(seedOnly), "how do I set up kubernetes ingress"),
    );
    expect(declined.text).toBe(
      `I have no guidance on that in the article “${seed.title}” — ${seed.about}. Here is the overview:`,
    );
  });
});

describe("the weekly prompt's level hints come from the level sections' front matter", () => {
  const prompt = { id: "p", order: 1, level: null, text: "What did you learn this week?" };
  const delivery = { id: "d1", targetType: "user", targetId: "U1" } as unknown as Delivery;
  /** The context line under the focus check: the levels and their hints. */
  function hintsLine(lib: ReturnType<typeof loadLibrary>): string {
    const view = renderPromptMessage(lib, prompt, delivery);
    expect(validateBlocks(view.blocks, 50)).toEqual([]);
    const focus = view.blocks.findIndex((b) => "block_id" in b && b.block_id === "prompt_focus");
    const line = view.blocks[focus + 1] as { type: string; elements: { text: string }[] };
    expect(line.type).toBe("context");
    return line.elements.map((e) => e.text).join("");
  }
  function only(name: string, article: string) {
    const dir = mkdtempSync(join(tmpdir(), "em-focus-hints-"));
    writeFileSync(join(dir, name), article);
    try {
      return loadLibrary(dir, { baseUrl: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const levelsArticle = (hints: string) => `---
title: Where Managers Spend Their Week
sections:
${hints}
---

- **Narrow**: your own squad and its backlog.
- **Wide**: the whole department and its peers.
- **IC**: a problem of your own, hands on keyboard.
`;

  it("shows each level's hint as the seed article writes it", () => {
    const seed = loadLibrary(CONTENT, { baseUrl: null });
    const levels = seed.sections.filter((s) => s.level);
    expect(levels.map((s) => s.level)).toEqual(["narrow", "wide", "ic"]);
    for (const s of levels) expect(s.hint?.length).toBeGreaterThan(0);
    expect(hintsLine(seed)).toBe(levels.map((s) => `${LEVEL_NAMES[s.level ?? "ic"]}: ${s.hint}`).join(" · "));
    // A second article without levels changes nothing.
    expect(hintsLine(library)).toBe(hintsLine(seed));
  });

  it("shows another library's hints, escaped, and none of the seed's", () => {
    const other = only(
      "week.md",
      levelsArticle(
        "  - section: narrow\n    hint: my squad & its backlog\n  - section: wide\n    hint: the department\n  - section: ic\n    hint: <hands on>",
      ),
    );
    expect(hintsLine(other)).toBe(
      "Narrow: my squad &amp; its backlog · Wide: the department · IC: &lt;hands on&gt;",
    );
  });

  it("shows the level names alone where a level has no hint, or the library has no levels", () => {
    const someHints = only("week.md", levelsArticle("  - section: wide\n    hint: the department"));
    expect(hintsLine(someHints)).toBe("Narrow · Wide: the department · IC");
    const noLevels = only("offsite.md", SECOND);
    expect(noLevels.sections.some((s) => s.level)).toBe(false);
    expect(hintsLine(noLevels)).toBe("Narrow · Wide · IC");
  });
});

describe("the install page names the library's articles from content", () => {
  it("names one article, several, or a long list by its first three, escaped", () => {
    const page = installPage("https://slack.test/oauth?state=1", library.articles);
    expect(page).toContain(
      `the part of the articles <em>${library.articles[0]?.title}</em> and <em>Running a Leadership Offsite</em> that fits`,
    );
    expect(articlesNamed([{ title: "Tech Lead & Manager" }])).toBe(
      "the article <em>Tech Lead &amp; Manager</em>",
    );
    const titles = ["A", "B", "C", "D", "E"].map((title) => ({ title }));
    expect(articlesNamed(titles.slice(0, 4))).toBe(
      "the articles <em>A</em>, <em>B</em>, <em>C</em> and <em>D</em>",
    );
    expect(articlesNamed(titles)).toBe("the articles <em>A</em>, <em>B</em>, <em>C</em> and 2 more articles");
  });
});

/** Files whose text reaches people: Slack views and pages, the playground, the CLI, health pages. */
const SURFACES = [
  "src/slack",
  "src/playground",
  "src/cli",
  "src/cli.ts",
  "src/health.ts",
  "public/playground",
];

function surfaceFiles(path: string): string[] {
  const full = join(ROOT, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full)
    .flatMap((name) => surfaceFiles(`${path}/${name}`))
    .filter((file) => /\.(ts|js|html|css)$/.test(file));
}

describe("no text in the Slack, playground, CLI or health surfaces names the seed article except through content", () => {
  const seed = loadLibrary(CONTENT, { baseUrl: null }).articles[0];
  if (!seed) throw new Error("no seed article");
  // Words only the seed article's content may bring: its title, slug, about, headings, summaries,
  // level hints, suggested prompts, the levels' names and the phrases its sections are known by.
  const phrases = [
    seed.title,
    seed.slug,
    seed.about ?? seed.title,
    ...seed.sections.filter((s) => s.role !== "level").map((s) => s.heading),
    ...seed.sections.flatMap((s) => [s.summary, ...(s.hint ? [s.hint] : [])]),
    ...(seed.suggestedPrompts ?? []).flatMap((p) => [p.title, p.message]),
    "management is not a promotion",
    "engineering leader",
    "I miss coding",
    "VP path",
    "own team",
    "other orgs",
    "as an engineer",
  ];
  const levelWords = Object.values(LEVEL_NAMES);
  const files = SURFACES.flatMap(surfaceFiles);

  it("covers the views, listeners, pages, playground and CLI", () => {
    for (const file of ["src/slack/views/prompt.ts", "src/playground/pages.ts", "src/cli/ask.ts"]) {
      expect(files).toContain(file);
    }
    expect(files.length).toBeGreaterThan(40);
  });

  for (const file of files) {
    it(`${file} has none`, () => {
      const code = readFileSync(join(ROOT, file), "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/^\s*\/\/.*$/gm, "")
        .replace(/\s\/\/.*$/gm, "");
      for (const phrase of phrases) expect(code.toLowerCase()).not.toContain(phrase.toLowerCase());
      for (const word of levelWords) expect(code).not.toMatch(new RegExp(`["\`\\s]${word}\\b`));
    });
  }
});
