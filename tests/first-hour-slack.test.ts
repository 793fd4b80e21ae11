import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEVEL_MARKERS, levelOfBlocks } from "../src/slack/views/levels.js";
import { validateBlocks } from "../test-support/fake-slack.js";
import { ARTICLE_URL, asMessage, blocksOf, startTestBot, type TestBot, visibleText } from "./helpers/bot.js";
import { sendCommand } from "./helpers/slack-requests.js";

/** Issue 21, items 1 to 3: what the answer card says, through the real HTTP receiver with signed requests. */
const TITLE = "Levels of Engineering (Management) Focus";

async function ask(bot: TestBot, text: string) {
  const response = await sendCommand(bot.target, { text });
  expect(response.status).toBe(200);
  const body = asMessage(response.json);
  expect(validateBlocks(body.blocks, 50)).toEqual([]);
  return body;
}

describe("the answer card in Slack (issue 21, items 1–3)", () => {
  let t: TestBot;

  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it.each([
    ["How do I focus on supporting one team day to day?", "narrow"],
    ["I now run three teams through their leads", "wide"],
    ["I miss coding, should I go back?", "ic"],
  ] as const)(
    "item 1: “%s” opens with the %s marker of the Home chart, in the card itself",
    async (question, level) => {
      const body = await ask(t, question);
      const first = blocksOf(body)[0];
      expect(first?.text?.text.startsWith(`${LEVEL_MARKERS[level]} *`)).toBe(true);
      // What the playground reads back to colour the card: the same block, nothing on the side.
      expect(levelOfBlocks(blocksOf(body))).toBe(level);
    },
  );

  it("item 1: a section without a level carries no marker", async () => {
    const body = await ask(t, "how long does onboarding take");
    expect(levelOfBlocks(blocksOf(body))).toBeNull();
    expect(visibleText(body)).not.toMatch(/[🟦🟩🟧]/u);
  });

  it.each(["narrow vs wide", "what is the difference between narrow and wide focus"])(
    "item 2: “%s” is answered with the levels compared: the overview lists all three",
    async (question) => {
      const body = await ask(t, question);
      const text = visibleText(body);
      expect(text).toContain("*The levels of focus*");
      expect(text).toContain("Each level requires a different set of skills");
      expect(text).toMatch(/\*Narrow\*: focus on supporting and growing your team/);
      expect(text).toMatch(/\*Wide\*: as you become a senior engineering manager/);
      expect(text).toMatch(/\*IC: there's nothing stopping you/);
      expect(text).not.toContain("I have no guidance");
    },
  );

  it("item 3: names the article it comes from, linked when the article has an address", async () => {
    const text = visibleText(await ask(t, "I miss coding, should I go back?"));
    expect(text).toContain(`From <${ARTICLE_URL}#ic|${TITLE}>`);
  });
});

describe("the answer card without an address for the article (issue 21, item 3)", () => {
  let bare: TestBot;

  beforeAll(async () => {
    // Neither CONTENT_BASE_URL nor PUBLIC_URL (the default in Socket Mode).
    bare = await startTestBot({ env: { CONTENT_BASE_URL: undefined, PUBLIC_URL: undefined } });
  });
  afterAll(async () => {
    await bare?.stop();
  });

  it("still names the article, with no link", async () => {
    const body = await ask(bare, "I miss coding, should I go back?");
    const text = visibleText(body);
    expect(text).toContain(`From _${TITLE}_`);
    // Links inside the article's own text stay; there is none to the article.
    expect(text).not.toMatch(/\|Levels of Engineering \(Management\) Focus>/);
    expect(text).not.toContain("/articles/");
  });
});
