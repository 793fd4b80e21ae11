import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadLibrary } from "../src/content/load.js";
import type { Section } from "../src/content/types.js";
import { ACTIONS, decodeAnswerRef } from "../src/slack/views/answer.js";
import { validateBlocks } from "../test-support/fake-slack.js";
import {
  ARTICLE_SLUG,
  ARTICLE_URL,
  asMessage,
  blocksOf,
  buttonsOf,
  CONTENT_BASE_URL,
  CONTENT_DIR,
  parsedText,
  startTestBot,
  type TestBot,
  textFields,
  unsafeMarkup,
  visibleText,
} from "./helpers/bot.js";
import { sendCommand } from "./helpers/slack-requests.js";

const library = loadLibrary(CONTENT_DIR, { baseUrl: CONTENT_BASE_URL });

function section(id: string): Section {
  const found = library.sections.find((s) => s.id === id);
  if (!found) throw new Error(`no section ${id} in the content`);
  return found;
}

const NO_GUIDANCE = "I have no guidance on that in the article";

/** The overview every help-like reply contains: title, then Narrow → Wide → IC with their links. */
function expectOverview(body: unknown): void {
  const blocks = blocksOf(body);
  expect(
    blocks.some((b) => b.type === "header" && b.text?.text === "Levels of Engineering (Management) Focus"),
  ).toBe(true);
  const text = visibleText(body);
  const positions = ["narrow", "wide", "ic"].map((id) => {
    const s = section(id);
    expect(text).toContain(s.summary);
    expect(text).toContain(`<${ARTICLE_URL}#${id}|more>`);
    return text.indexOf(s.summary);
  });
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
  expect(text).toContain("*Narrow focus*");
  expect(text).toContain("*Wide focus*");
  expect(text).toContain("*IC focus*");
  expect(text).toContain("How to ask");
}

function expectValidBlocks(body: unknown): void {
  expect(validateBlocks(asMessage(body).blocks, 50)).toEqual([]);
}

describe("/em-focus over the real HTTP receiver", () => {
  let t: TestBot;

  beforeAll(async () => {
    t = await startTestBot();
  });
  afterEach(() => t.fake.reset());
  afterAll(async () => {
    await t?.stop();
  });

  /** Web API calls the app made after start-up (auth.test is part of starting). */
  const apiCalls = () => t.fake.calls.filter((call) => call.method !== "auth.test");

  it.each([
    { question: "I miss coding, should I go back?", id: "ic", words: ["coding", "back"] },
    { question: "I now run three teams through their leads", id: "wide", words: ["teams"] },
    { question: "How do I focus on supporting one team day to day?", id: "narrow", words: ["team"] },
  ])("answers “$question” with the $id level in the acknowledgement", async ({ question, id, words }) => {
    const responseUrl = t.fake.responseUrl(`ask-${id}`);
    const response = await sendCommand(t.target, {
      text: question,
      user_id: "U0ASKER",
      response_url: responseUrl,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    const body = asMessage(response.json);
    expect(body.response_type).toBe("ephemeral");
    expectValidBlocks(body);

    const expected = section(id);
    const levelName = { narrow: "Narrow", wide: "Wide", ic: "IC" }[id];
    expect(body.text).toBe(`${levelName} focus: ${expected.summary}`);

    const blocks = blocksOf(body);
    // Level name and summary first, then the guidance itself, then why and where to read more.
    // The level's marker, the Home chart's square, opens the card (issue 21, item 1).
    const marker = { narrow: "🟦", wide: "🟩", ic: "🟧" }[id];
    expect(blocks[0]?.text?.text).toBe(`${marker} *${levelName} focus* · ${expected.summary}`);
    expect(blocks[0]?.block_id).toBe("answer_level");
    expect(blocks[1]?.type).toBe("section");
    const guidanceStart = expected.text.replace(/[*_[\]]/g, "").slice(0, 30);
    expect(blocks[1]?.text?.text.replace(/[*_]/g, "")).toContain(guidanceStart);

    const context = blocks.find((b) => b.type === "context");
    const contextTexts = (context?.elements ?? []).map((e) => String(e.text));
    expect(contextTexts).toContain(`You asked: “${question}”`);
    const why = contextTexts.find((text) => text.startsWith("Why this: you mentioned"));
    expect(why).toBeDefined();
    for (const word of words) expect(why).toContain(`“${word}”`);
    expect(why).toContain(`From <${ARTICLE_URL}#${id}|Levels of Engineering (Management) Focus>`);

    const buttons = buttonsOf(body);
    expect(buttons.map((b) => b.action_id)).toEqual([
      ACTIONS.share,
      ACTIONS.otherLevels,
      ACTIONS.helpful,
      ACTIONS.notHelpful,
    ]);
    for (const button of buttons) {
      expect(decodeAnswerRef(button.value)).toEqual({ article: ARTICLE_SLUG, section: id, question });
    }

    // The answer rides on the ack: nothing goes to Slack's Web API or the response_url.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(apiCalls()).toEqual([]);
    expect(t.fake.responses).toEqual([]);
  });

  it("answers well within Slack's 3-second window", async () => {
    const started = Date.now();
    const response = await sendCommand(t.target, { text: "I miss coding, should I go back?" });
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it.each([
    { name: "no text", text: "" },
    { name: "only spaces", text: "   " },
    { name: "help", text: "help" },
    { name: "HELP in capitals", text: "HELP" },
    { name: "?", text: "?" },
  ])("shows the overview of the three levels for $name", async ({ text }) => {
    const response = await sendCommand(t.target, { text });
    expect(response.status).toBe(200);
    const body = asMessage(response.json);
    expect(body.response_type).toBe("ephemeral");
    expectValidBlocks(body);
    expectOverview(body);
    expect(visibleText(body)).not.toContain(NO_GUIDANCE);
    expect(buttonsOf(body)).toEqual([]);
  });

  it("treats “help …” with more words as a question", async () => {
    const response = await sendCommand(t.target, { text: "help, I miss coding, should I go back?" });
    expect(response.status).toBe(200);
    expect(blocksOf(response.json)[0]?.text?.text).toMatch(/^🟧 \*IC focus\*/);
  });

  it.each([
    { name: "an off-topic question", text: "how do I set up kubernetes ingress" },
    { name: "an unknown subcommand", text: "frobnicate" },
    { name: "an unknown subcommand with arguments", text: "frobnicate the widgets --force" },
  ])("says there is no guidance for $name, echoes it safely and shows the overview", async ({ text }) => {
    const response = await sendCommand(t.target, { text });
    expect(response.status).toBe(200);
    const body = asMessage(response.json);
    expect(body.response_type).toBe("ephemeral");
    expectValidBlocks(body);
    expect(body.text).toContain(NO_GUIDANCE);
    expect(blocksOf(body)[0]?.text?.text).toContain(NO_GUIDANCE);
    expectOverview(body);
    // The question comes back only as plain text, which Slack never parses.
    const echoes = textFields(body).filter((field) => field.text.includes(text));
    expect(echoes.length).toBeGreaterThan(0);
    for (const echo of echoes) expect(echo.kind).toBe("plain_text");
    expect(echoes[0]?.text).toBe(`You asked: “${text}”`);
    expect(buttonsOf(body)).toEqual([]);
  });

  it("never echoes a question into mrkdwn, even when it is full of markup", async () => {
    const question =
      "how do I set up <!channel> kubernetes <@U123> *bold* <https://evil.example|ingress> & co";
    const response = await sendCommand(t.target, { text: question });
    expect(response.status).toBe(200);
    expect(unsafeMarkup(response.json, { forbiddenHosts: ["evil.example"] })).toEqual([]);
    for (const text of parsedText(response.json)) {
      expect(text).not.toContain("evil.example");
      expect(text).not.toContain("kubernetes");
    }
  });

  it("acknowledges a subscription subcommand at once and answers through the response_url", async () => {
    const responseUrl = t.fake.responseUrl("status-1");
    const response = await sendCommand(t.target, {
      text: "status",
      response_url: responseUrl,
      user_id: "U0STATUS",
    });
    expect(response.status).toBe(200);
    expect(response.text).toBe("");
    const posted = await t.fake.waitForResponse((r) => r.id === "status-1");
    expect(posted.body.response_type ?? "ephemeral").toBe("ephemeral");
    // U0STATUS has never subscribed: the reply says so and how to start.
    expect(posted.body.text).toMatch(
      /^You have no weekly reflection prompts\. Start with `\/em-focus subscribe/,
    );
    if (posted.body.blocks !== undefined) expectValidBlocks(posted.body);
  });
});
