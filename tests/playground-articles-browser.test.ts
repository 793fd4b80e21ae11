import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../src/config.js";
import { loadLibrary } from "../src/content/load.js";
import { questionsBySlug } from "../src/content/questions.js";
import { createLogger } from "../src/log.js";
import { articleRow, articleScores } from "../src/match/article-eval.js";
import { Matcher } from "../src/match/matcher.js";
import { startPlayground } from "../src/playground/start.js";

/*
 * The Content tab's per-article table (issue 18, item 3) in Chromium: a library of the seed article
 * (no questions file) and a second article with one, the same rows `npm run eval` prints.
 */
const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const SHOTS = join(import.meta.dirname, "..", "screenshots");
const CONTENT = fileURLToPath(new URL("../content", import.meta.url));

const OFFSITE = `---
title: Running a Leadership Offsite
about: planning and running an offsite for a leadership team
sections:
  - section: Agenda
    aliases: [offsite agenda, what to put on the agenda of an offsite]
  - section: Follow-up
    aliases: [after the offsite, offsite decisions and owners]
---

## Agenda

Keep the offsite agenda to three questions the leadership team cannot settle in its weekly meeting.

## Follow-up

Write the offsite's decisions down before everyone leaves the room, each with an owner and a date.
`;

const QUESTIONS = [
  { question: "what should go on the agenda for our leadership offsite", section: "agenda" },
  { question: "how do we make offsite decisions stick afterwards", section: "follow-up" },
  { question: "who owns the decisions after the offsite", section: "follow-up" },
  { question: "best hotel for a team offsite in Lisbon", section: null },
]
  .map((q) => JSON.stringify(q))
  .join("\n");

describe.skipIf(!hasChromium)("the Content tab's per-article table in Chromium", () => {
  let browser: Browser;
  let page: Page;
  let dir: string;
  let server: Awaited<ReturnType<typeof startPlayground>>;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "em-focus-articles-browser-"));
    const content = join(dir, "content");
    cpSync(CONTENT, content, { recursive: true });
    writeFileSync(join(content, "running-a-leadership-offsite.md"), OFFSITE);
    writeFileSync(join(content, "running-a-leadership-offsite.questions.jsonl"), QUESTIONS);
    const config = readConfig({
      HOST: "127.0.0.1",
      CONTENT_DIR: content,
      DATABASE_URL: join(dir, "play.db"),
    });
    server = await startPlayground(config, createLogger("error"), { port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
      ],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
    await page.goto(server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("shows each article's figures, and where to add a questions file for the one without", async () => {
    await page.getByRole("tab", { name: "Content" }).click();
    const table = page.locator("table.article-scores");
    await table.waitFor();
    const rows = table.locator("tbody tr");
    await expect(rows.count()).resolves.toBe(2);
    const content = join(dir, "content");
    await expect(rows.nth(0).textContent()).resolves.toContain(
      `no questions yet: add ${content}/levels-of-engineering-management-focus.questions.jsonl to measure this article`,
    );
    // The same cells as npm run eval's table, from the same function.
    const library = loadLibrary(content, { baseUrl: null });
    const expected = articleScores(
      new Matcher(library),
      library.articles,
      questionsBySlug(content, library.articles),
    );
    const offsite = expected.find((s) => s.slug === "running-a-leadership-offsite");
    if (!offsite) throw new Error("no offsite row");
    const cells = await rows.nth(1).locator("td").allTextContents();
    expect(cells).toEqual(articleRow(offsite, content));
    expect(cells[1]).toBe("4 (running-a-leadership-offsite.questions.jsonl)");
    mkdirSync(SHOTS, { recursive: true });
    await table.screenshot({ path: join(SHOTS, "content-article-scores-1440.png") });
    await page.setViewportSize({ width: 375, height: 812 });
    await table.screenshot({ path: join(SHOTS, "content-article-scores-375.png") });
    expect(consoleErrors).toEqual([]);
  });
});
