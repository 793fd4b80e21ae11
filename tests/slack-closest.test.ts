import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "../src/slack/views/answer.js";
import { ASSISTANT_ACTIONS } from "../src/slack/views/assistant.js";
import { validateBlocks } from "../test-support/fake-slack.js";
import { assistantThreadStartedEvent } from "./helpers/assistant-events.js";
import {
  ARTICLE_URL,
  asMessage,
  blocksOf,
  buttonsOf,
  startTestBot,
  type TestBot,
  unsafeMarkup,
  visibleText,
} from "./helpers/bot.js";
import { imMessageEvent, nextTs, sendAction, sendCommand, sendEvent } from "./helpers/slack-requests.js";

/**
 * The real bot, deciding so that no answer is confident enough to be "high" (no confidence reaches
 * 1.01) while anything at 0.5 or above is the closest guidance: the shipped model, other lines.
 */
const ONLY_CLOSEST = { minConfidence: 1.01, closestConfidence: 0.5 };
const ASKER = "U0ASKER";
const QUESTION = "I now run three teams through their leads";
const OFF_TOPIC = "What is the best pizza topping?";
const LEAD =
  /^\*The closest guidance I have:\* the article does not answer this exactly; this is the part that comes nearest\. If it misses, try \*.+\* below\.$/;

const firstText = (message: unknown) => blocksOf(message)[0]?.text?.text ?? "";
const alsoRelevant = (message: unknown) =>
  buttonsOf(message).filter((b) => b.action_id.startsWith(ACTIONS.alsoRelevant));

describe("closest guidance over the real HTTP receiver", () => {
  let t: TestBot;
  let clicks = 0;

  beforeAll(async () => {
    t = await startTestBot({ matcher: ONLY_CLOSEST });
  });
  afterEach(() => t.fake.reset());
  afterAll(async () => {
    await t?.stop();
  });

  async function ask(question: string): Promise<unknown> {
    const response = await sendCommand(t.target, { text: question, user_id: ASKER });
    expect(response.status).toBe(200);
    return response.json;
  }

  /** Clicks a button of a private answer; resolves with what the bot sent to the response_url. */
  async function click(message: unknown, actionId: string): Promise<ReturnType<typeof asMessage>> {
    const button = buttonsOf(message).find((b) => b.action_id === actionId);
    if (!button) throw new Error(`no ${actionId} button`);
    clicks += 1;
    const id = `closest-${clicks}`;
    const response = await sendAction(t.target, {
      actions: [{ action_id: actionId, block_id: button.block_id, value: button.value }],
      user: { id: ASKER, username: "asker" },
      container: { type: "message", message_ts: nextTs(), channel_id: "C0TEST", is_ephemeral: true },
      response_url: t.fake.responseUrl(id),
    });
    expect(response.status).toBe(200);
    return asMessage((await t.fake.waitForResponse((r) => r.id === id)).body);
  }

  describe("/em-focus", () => {
    it("answers with the closest guidance and its alternative in the acknowledgement", async () => {
      const body = asMessage(await ask(QUESTION));
      expect(body.response_type).toBe("ephemeral");
      expect(validateBlocks(body.blocks, 50)).toEqual([]);
      expect(firstText(body)).toMatch(LEAD);
      expect(blocksOf(body)[1]?.text?.text).toMatch(/^🟩 \*Wide focus\* · /);
      expect(String(body.text)).toMatch(/^The closest guidance I have: Wide focus: /);
      expect(visibleText(body)).toContain(
        `From <${ARTICLE_URL}#wide|Levels of Engineering (Management) Focus>`,
      );
      const also = alsoRelevant(body);
      expect(also.length).toBeGreaterThan(0);
      expect(visibleText(body)).toContain("Also relevant: ");
      expect(buttonsOf(body).map((b) => b.action_id)).toContain(ACTIONS.helpful);
      expect(unsafeMarkup(body)).toEqual([]);
    });

    it("still answers an off-topic question with no guidance", async () => {
      const body = await ask(OFF_TOPIC);
      expect(visibleText(body)).toContain("I have no guidance on that in the article");
      expect(visibleText(body)).not.toContain("closest guidance");
    });

    it("keeps saying so after 👍, and a section the person picks is shown as a plain answer", async () => {
      const answer = await ask(QUESTION);
      const thanked = await click(answer, ACTIONS.helpful);
      expect(firstText(thanked)).toMatch(LEAD);
      expect(visibleText(thanked)).toContain("👍 Thanks");
      const picked = await click(answer, ACTIONS.alsoRelevant);
      expect(picked.replace_original).toBe(true);
      expect(visibleText(picked)).not.toContain("The closest guidance I have");
      expect(firstText(picked)).not.toMatch(/^🟩 \*Wide focus\*/);
    });

    it("tells the channel too when a closest answer is shared", async () => {
      const shared = await click(await ask(QUESTION), ACTIONS.share);
      expect(shared.response_type).toBe("in_channel");
      expect(firstText(shared)).toMatch(
        /^\*The closest guidance I have:\* the article does not answer this exactly/,
      );
      expect(alsoRelevant(shared)).toEqual([]);
    });
  });

  describe("the assistant panel", () => {
    it("answers in the thread with the closest guidance, its alternative and native feedback", async () => {
      const thread = { channel: `D${ASKER}`, threadTs: nextTs() };
      t.fake.setThread(thread.channel, thread.threadTs, [
        { type: "message", subtype: "assistant_app_thread", text: "New chat", ts: thread.threadTs },
      ]);
      await sendEvent(t.target, assistantThreadStartedEvent({ user: ASKER, ...thread }));
      await t.fake.waitForCall(
        "assistant.threads.setSuggestedPrompts",
        (c) => c.args.thread_ts === thread.threadTs,
      );
      const seen = new Set(t.fake.callsTo("chat.postMessage"));
      const event = imMessageEvent({
        text: QUESTION,
        user: ASKER,
        channel: thread.channel,
        thread_ts: thread.threadTs,
      });
      const reply = t.fake.waitForCall(
        "chat.postMessage",
        (c) => !seen.has(c) && c.args.thread_ts === thread.threadTs,
      );
      expect((await sendEvent(t.target, event)).status).toBe(200);
      const answer = (await reply).args;
      expect(firstText(answer)).toMatch(LEAD);
      expect(blocksOf(answer)[1]?.text?.text).toMatch(/^🟩 \*Wide focus\* · /);
      expect(alsoRelevant(answer).length).toBeGreaterThan(0);
      expect(buttonsOf(answer).map((b) => b.action_id)).toContain(ACTIONS.otherLevels);
      const feedback = blocksOf(answer).find((b) => b.type === "context_actions");
      expect(feedback?.elements?.[0]?.action_id).toBe(ASSISTANT_ACTIONS.feedback);
      expect(validateBlocks(blocksOf(answer), 50)).toEqual([]);
      expect(unsafeMarkup(answer)).toEqual([]);
    });
  });
});
