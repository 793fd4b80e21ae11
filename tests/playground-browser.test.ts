import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../src/config.js";
import { createLogger } from "../src/log.js";
import { playgroundGaps, startPlayground } from "../src/playground/start.js";
import { openStore } from "../src/store/open.js";
import type { Store } from "../src/store/types.js";
import { TWO_SECTIONS } from "../test-support/questions.js";

/*
 * The playground in a real browser: Debian's Chromium (apt-get install chromium; .ci/run installs
 * it), driven by playwright-core through its executablePath. Nothing downloads a browser.
 */
const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const SKIP_REASON = `skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run installs it)`;
/** Git-ignored; the screenshots of each tab at phone and desktop width. */
const SHOTS = join(import.meta.dirname, "..", "screenshots");

if (!hasChromium) console.warn(`playground browser tests ${SKIP_REASON}`);

describe.skipIf(!hasChromium)(`the playground in Chromium${hasChromium ? "" : ` (${SKIP_REASON})`}`, () => {
  let browser: Browser;
  let page: Page;
  let store: Store;
  let dir: string;
  let server: Awaited<ReturnType<typeof startPlayground>>;
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "em-focus-browser-"));
    const config = readConfig({ HOST: "127.0.0.1", DATABASE_URL: join(dir, "play.db") });
    store = await openStore(config.databaseUrl);
    const logger = createLogger("error");
    server = await startPlayground(config, logger, playgroundGaps(config, store, logger, 0));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
    await page.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.hostname !== "127.0.0.1") {
        foreignRequests.push(url.href);
        return route.abort();
      }
      return route.continue();
    });
    await page.goto(server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function ask(question: string) {
    const before = await page.locator("#conversation .turn").count();
    await page.fill("#question", question);
    await page.press("#question", "Enter");
    await page.locator("#conversation .turn").nth(before).waitFor();
    return page.locator("#conversation .turn").nth(before);
  }

  it("asks a question with Enter and shows the level and the guidance", async () => {
    const turn = await ask("I now run three teams through their leads");
    // The level at a glance is the card's own marker, as in Slack; its colour is drawn from it.
    await expect(turn.locator(".card-wide .bk-text").first().textContent()).resolves.toMatch(
      /^🟩 Wide focus · /,
    );
    await expect(turn.locator(".level-banner").count()).resolves.toBe(0);
    await expect(turn.getByRole("button", { name: "Other levels" }).isVisible()).resolves.toBe(true);
  });

  it("Other levels and Also relevant work as in Slack", async () => {
    const turn = await ask("I miss coding, should I go back?");
    const cards = turn.locator(".card");
    await turn.getByRole("button", { name: "Other levels" }).click();
    await cards.nth(1).waitFor();
    await expect(cards.nth(1).textContent()).resolves.toContain("the article names these levels of focus");

    const alsoTurn = await ask(TWO_SECTIONS);
    const also = alsoTurn.getByRole("button", { name: /^Also relevant:/ }).first();
    const label = ((await also.textContent()) ?? "").replace("Also relevant: ", "");
    await also.click();
    await alsoTurn.locator(".card .bk-text", { hasText: label }).first().waitFor();

    await turn.getByRole("button", { name: "👎 Not helpful" }).click();
    await turn.getByText("👎 Thanks — noted.").waitFor();
    await turn.getByRole("button", { name: "Share in channel" }).click();
    await turn.getByText("Share preview: what the channel would see").waitFor();
  });

  it("shows hostile input as text and runs nothing", async () => {
    const question = `<script>window.pwned = 1</script> <img src=x onerror="window.pwned=2"> <!channel> 🎉 ${"long ".repeat(8000)}`;
    const turn = await ask(question);
    await expect(turn.locator(".own .bk-text").textContent()).resolves.toContain(
      "<script>window.pwned = 1</script>",
    );
    await expect(page.evaluate<unknown>("window.pwned")).resolves.toBeUndefined();
    await expect(turn.locator("img").count()).resolves.toBe(0);
  });

  it("answers this week's prompt, adds a note, and the Home chart changes; next week moves on", async () => {
    await page.getByRole("tab", { name: "Prompts" }).click();
    await page.locator("#prompt .bk-actions button").first().waitFor();
    await expect(page.locator("#home").textContent()).resolves.not.toContain("Your last");
    await page.locator("#prompt").getByRole("button", { name: "Mostly Narrow" }).click();
    // The chart starts at the first prompt: one week, not twelve.
    await page.locator("#home", { hasText: "Your last week" }).waitFor();
    await expect(page.locator("#home").textContent()).resolves.toContain("Narrow 1");
    await page.locator("#prompt").getByRole("button", { name: "Write a note" }).click();
    await page.fill("#note", "hiring loop all week");
    await page.getByRole("button", { name: "Save note" }).click();
    await page.locator("#note-form").waitFor({ state: "hidden" });
    const clock = (await page.locator("#clock").textContent()) ?? "";
    await page.getByRole("button", { name: "Next week →" }).click();
    await page.locator("#clock", { hasNotText: clock }).waitFor();
    await page.locator("#prompt").getByRole("button", { name: "Mostly Wide" }).click();
    await page.locator("#home", { hasText: "Wide 1" }).waitFor();
    await expect(page.locator("#home").textContent()).resolves.toContain("Narrow 1");
    // The note of the first week is back in Home.
    await expect(page.locator("#home").textContent()).resolves.toContain("hiring loop all week");
  });

  it("issue 20: the two-part prompt, intended focus and a drift nudge over the weeks, notes edited and deleted in Home, and a team channel of five", async () => {
    await page.getByRole("tab", { name: "Prompts" }).click();
    await page.locator("#prompt .bk-actions button").first().waitFor();
    // Week 2 of the playground (after the test above): the focus check and the week's question.
    await expect(page.locator("#prompt").textContent()).resolves.toContain(
      "Where did your focus go this week?",
    );
    await expect(page.locator("#prompt").textContent()).resolves.toContain("This week's question");
    // The chosen answer is shown as chosen.
    await page.locator("#prompt").getByRole("button", { name: "Mostly Narrow" }).click();
    await page.locator("#prompt .bk-button.primary", { hasText: "Mostly Narrow" }).waitFor();
    // Intended focus: Wide (off until chosen).
    await expect(page.locator("#home").textContent()).resolves.toContain("Intended focus: not set");
    await page.locator("#home").getByRole("button", { name: "Wide", exact: true }).click();
    await page.locator("#home", { hasText: "Your intended focus this quarter: Wide" }).waitFor();
    const nudges: boolean[] = [];
    for (let week = 3; week <= 8; week++) {
      const clock = (await page.locator("#clock").textContent()) ?? "";
      await page.getByRole("button", { name: "Next week →" }).click();
      await page.locator("#clock", { hasNotText: clock }).waitFor();
      await page.locator("#prompt .bk-actions button").first().waitFor();
      const text = (await page.locator("#prompt").textContent()) ?? "";
      nudges.push(text.includes("On purpose, or drifting?"));
      if (text.includes("On purpose, or drifting?")) {
        expect(text).toContain("Where your weeks went: Narrow");
        expect(text).toContain("What you intended: Wide");
        await page.screenshot({ path: join(SHOTS, "prompts-drift-nudge-1440.png"), fullPage: true });
      }
      await page.locator("#prompt").getByRole("button", { name: "Mostly Narrow" }).click();
      await page.locator("#prompt .bk-button.primary", { hasText: "Mostly Narrow" }).waitFor();
    }
    // Weeks 0 and 1 (changed above to Narrow), 2 and 3 Narrow, intended Wide: week 4's prompt is
    // nudged; weeks 5 to 7 are within 30 days of it.
    expect(nudges).toEqual([false, false, true, false, false, false]);

    // Notes: edit the first week's note from Home, then delete it.
    page.once("dialog", (dialog) => void dialog.accept());
    await page.locator("#home").getByRole("button", { name: "Edit" }).first().click();
    await page.locator("#note-form").waitFor();
    await expect(page.locator("#note").inputValue()).resolves.toBe("hiring loop all week");
    await page.fill("#note", "hiring loop all week, and a <b>bold</b> claim");
    await page.getByRole("button", { name: "Save note" }).click();
    await page.locator("#home", { hasText: "a <b>bold</b> claim" }).waitFor();
    // Shown as text: the note's markup is not drawn.
    await expect(page.locator("#home").getByText("bold", { exact: true }).count()).resolves.toBe(0);
    await page.locator("#home").getByRole("button", { name: "Delete" }).first().click();
    await page.locator("#home", { hasNotText: "hiring loop" }).waitFor();

    // The team channel: the summary the channel saw, its counts, only the opted-in names, no notes.
    const summary = page.locator("#team-summary");
    await summary.waitFor();
    const shown = (await summary.textContent()) ?? "";
    expect(shown).toMatch(/answered|Not enough answers/);
    expect(shown).not.toMatch(/U0BEN|U0DEE|U0ELI/);
    await page.screenshot({ path: join(SHOTS, "prompts-reflection-1440.png"), fullPage: true });
    await page.setViewportSize({ width: 375, height: 812 });
    await page.screenshot({ path: join(SHOTS, "prompts-reflection-375.png"), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it("the Content tab lists sections and explains a match", async () => {
    await page.getByRole("tab", { name: "Content" }).click();
    await page.locator("table.sections").first().waitFor();
    await expect(page.locator("#problems").textContent()).resolves.toContain("no problems");
    await page.fill("#explain-question", "I miss coding");
    await page.press("#explain-question", "Enter");
    await page.locator("#explain tr.chosen").waitFor();
    await expect(page.locator("#explain tr.chosen").textContent()).resolves.toContain("coding");
  });

  it("a gap appears after an unanswered question, and can be tried against the content", async () => {
    await page.getByRole("tab", { name: "Ask" }).click();
    const turn = await ask("which parking garage level is reserved for visitors");
    await expect(turn.locator(".card").first().getAttribute("class")).resolves.toBe("card");
    await expect(turn.locator(".card").first().textContent()).resolves.toContain("I have no guidance");
    await page.getByRole("tab", { name: "Gaps" }).click();
    const gap = page.locator("#gaps .gap", {
      hasText: "which parking garage level is reserved for visitors",
    });
    await gap.waitFor();
    await gap.getByRole("button", { name: "Try it" }).click();
    await page.locator("#panel-content").waitFor();
    await page.locator("#explain .verdict", { hasText: "no guidance" }).waitFor();
  });

  it("works from the keyboard alone: tabs, focus order, Enter to ask", async () => {
    await page.goto(server.url);
    await expect(page.evaluate<string | undefined>("document.activeElement?.id")).resolves.toBe("question");
    await page.keyboard.type("how long until I am good at this job");
    await page.keyboard.press("Enter");
    await page.locator("#conversation .turn").first().waitFor();
    // From the top: the selected tab first, then the question box and its button.
    await page.focus("#tab-ask");
    await page.keyboard.press("ArrowRight");
    await expect(page.evaluate<string | undefined>("document.activeElement?.id")).resolves.toBe(
      "tab-prompts",
    );
    await expect(page.locator("#panel-prompts").isVisible()).resolves.toBe(true);
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("Tab");
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      order.push(
        await page.evaluate<string>(
          'document.activeElement?.textContent?.trim().slice(0, 30) || document.activeElement?.id || ""',
        ),
      );
      await page.keyboard.press("Tab");
    }
    // Through the answer's buttons to the question box.
    expect(order.join(" | ")).toMatch(/Share in channel \| Other levels \| 👍 Helpful \| 👎 Not helpful/);
    await expect(page.evaluate<string | undefined>("document.activeElement?.id")).resolves.toBe("question");
  });

  describe("on a phone, 375 px wide (issue 21, item 4)", () => {
    beforeAll(async () => {
      await page.setViewportSize({ width: 375, height: 812 });
      await page.goto(server.url);
    });
    afterAll(async () => {
      await page.setViewportSize({ width: 1440, height: 900 });
    });

    /** How far an element reaches, and whether it is inside the visible screen. */
    async function onScreen(selector: string): Promise<boolean> {
      const box = await page.locator(selector).boundingBox();
      return (
        box !== null && box.y >= 0 && box.y + box.height <= 812 && box.x >= 0 && box.x + box.width <= 375
      );
    }

    it("the question box stays on screen, with the focus, after asking (twice)", async () => {
      await ask("I now run three teams through their leads");
      await ask("I miss coding, should I go back?");
      await expect(page.evaluate<string | undefined>("document.activeElement?.id")).resolves.toBe("question");
      await expect(onScreen("#question")).resolves.toBe(true);
      await expect(onScreen("#ask-form .send")).resolves.toBe(true);
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, "phone-after-asking-375.png") });
    });

    it("Other levels is added once however often it is clicked, and replies come oldest first", async () => {
      const turn = await ask("How do I focus on supporting one team day to day?");
      const otherLevels = turn.getByRole("button", { name: "Other levels" });
      await otherLevels.click();
      await turn.locator(".card.extra").first().waitFor();
      await otherLevels.click();
      await turn.getByRole("button", { name: "Share in channel" }).click();
      await turn.locator(".card.extra", { hasText: "Share preview" }).waitFor();
      const extras = await turn.locator(".card.extra").allTextContents();
      expect(extras).toHaveLength(2);
      expect(extras[0]).toContain("the article names these levels of focus");
      expect(extras[1]).toContain("Share preview: what the channel would see");
      await page.screenshot({ path: join(SHOTS, "phone-replies-375.png"), fullPage: true });
    });

    it("the Content tab's explanation fits the screen, without sideways scrolling", async () => {
      await page.getByRole("tab", { name: "Content" }).click();
      await page.fill("#explain-question", "I miss coding and my three teams need me, narrow vs wide?");
      await page.press("#explain-question", "Enter");
      await page.locator("#explain tr.chosen").waitFor();
      const overflow = await page.evaluate<{ page: number; table: number; wrap: number }>(`({
        page: document.documentElement.scrollWidth,
        table: document.querySelector("#explain table").scrollWidth,
        wrap: document.querySelector("#explain .table-wrap").clientWidth,
      })`);
      expect(overflow.page).toBeLessThanOrEqual(375);
      expect(overflow.table).toBeLessThanOrEqual(overflow.wrap);
      await page.locator("#explain").screenshot({ path: join(SHOTS, "phone-explain-375.png") });
    });

    it("level labels have a contrast of at least 4.5:1", async () => {
      await page.locator("table.sections .level").first().waitFor();
      const ratios = await page.evaluate<number[]>(`(() => {
        const rgb = (c) => c.match(/[0-9.]+/g).slice(0, 3).map(Number);
        const lum = (c) => {
          const [r, g, b] = rgb(c).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        return [...document.querySelectorAll(".level")].map((el) => {
          const style = getComputedStyle(el);
          const [a, b] = [lum(style.color), lum(style.backgroundColor)].sort((x, y) => y - x);
          return (a + 0.05) / (b + 0.05);
        });
      })()`);
      expect(ratios.length).toBeGreaterThan(3);
      for (const ratio of ratios) expect(ratio).toBeGreaterThanOrEqual(4.5);
    });

    it("“Next week” keeps its distance from the prompt card", async () => {
      await page.getByRole("tab", { name: "Prompts" }).click();
      await page.locator("#prompt .bk-actions button").first().waitFor();
      const button = await page.locator("#next-week").boundingBox();
      const card = await page.locator("#prompt").boundingBox();
      expect(button && card && card.y - (button.y + button.height)).toBeGreaterThanOrEqual(8);
      await page.screenshot({ path: join(SHOTS, "phone-prompts-375.png") });
    });
  });

  it("saves screenshots of each tab at 375 px and 1440 px", async () => {
    mkdirSync(SHOTS, { recursive: true });
    await page.goto(server.url);
    await ask("I now run three teams through their leads");
    for (const width of [375, 1440]) {
      await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
      for (const tab of ["Ask", "Prompts", "Content", "Gaps"]) {
        await page.getByRole("tab", { name: tab }).click();
        await page.locator(`#panel-${tab.toLowerCase()} :is(.message, table, .gap, .hint)`).first().waitFor();
        await page.screenshot({
          path: join(SHOTS, `${tab.toLowerCase()}-${width}.png`),
          fullPage: tab !== "Content", // the Content tab is one long table
        });
      }
    }
  });

  it("logged no console errors and sent no request beyond 127.0.0.1", () => {
    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });
});
