import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadLibrary } from "../src/content/load.js";
import { MESSAGES_TAB_PROMPTS_TITLE } from "../src/slack/agent-view.js";
import { ACTIONS } from "../src/slack/views/answer.js";
import {
  ASSISTANT_ACTIONS,
  FEEDBACK_REFUSED,
  FEEDBACK_THANKS,
  THINKING_STATUS,
} from "../src/slack/views/assistant.js";
import type { RecordedCall, SlackMessage } from "../test-support/fake-slack.js";
import {
  ARTICLE_SLUG,
  type Block,
  blocksOf,
  buttonsOf,
  CONTENT_DIR,
  settle,
  startTestBot,
  type TestBot,
  unsafeMarkup,
  visibleText,
} from "./helpers/bot.js";
import {
  appHomeOpenedEvent,
  imMessageEvent,
  sendAction,
  sendEvent,
  TEST_TEAM_ID,
} from "./helpers/slack-requests.js";

/*
 * Issue 19, item 8: Slack's Agent messaging experience (`agent_view`, SLACK_AGENT_VIEW=on). The
 * Messages tab is the agent's surface: suggested prompts pinned there without a thread, questions
 * answered in the thread under them with the panel's card and native feedback.
 */

const ASKER = "U0AGENT";
const IC_QUESTION = "I miss coding, should I go back?";
const CONTENT_PROMPTS = loadLibrary(CONTENT_DIR)
  .articles.flatMap((a) => a.suggestedPrompts ?? [])
  .map(({ title, message }) => ({ title, message }));

function feedbackButtons(message: unknown): { block: Block; element: Record<string, unknown> } | null {
  const block = blocksOf(message).find((b) => b.type === "context_actions");
  const element = block?.elements?.find((e) => e.type === "feedback_buttons");
  return block && element ? { block, element } : null;
}

describe("Slack's agent messaging (agent_view) over the real HTTP receiver", () => {
  let t: TestBot;
  let clicks = 0;

  beforeAll(async () => {
    t = await startTestBot({ env: { SLACK_AGENT_VIEW: "on" } });
  });
  beforeEach(() => t.fake.setMessagingExperience("agent_view"));
  afterEach(() => t.fake.reset());
  afterAll(async () => {
    await t?.stop();
  });

  /** The person sends a message in the Messages tab (typed, or a suggested prompt clicked). */
  async function ask(
    text: string,
    user = ASKER,
  ): Promise<{ channel: string; ts: string; answer: RecordedCall }> {
    const event = imMessageEvent({ text, user });
    const channel = String(event.channel);
    const ts = String(event.ts);
    // As in Slack: the person's message is the root of the thread the answer goes into.
    t.fake.setThread(channel, ts, [{ type: "message", user, text, ts }]);
    const answer = t.fake.waitForCall(
      "chat.postMessage",
      (c) => c.args.channel === channel && c.args.thread_ts === ts,
    );
    expect((await sendEvent(t.target, event)).status).toBe(200);
    return { channel, ts, answer: await answer };
  }

  function posted(channel: string, ts: string, call: RecordedCall): SlackMessage {
    const found = (t.fake.thread(channel, ts) ?? []).find(
      (m) => m.bot_id !== undefined && m.text === call.args.text,
    );
    if (!found) throw new Error("the answer is not in the thread");
    return found;
  }

  async function clickFeedback(message: SlackMessage, channel: string, helpful: boolean, user = ASKER) {
    const found = feedbackButtons(message);
    if (!found) throw new Error("the message has no feedback buttons");
    const button = found.element[helpful ? "positive_button" : "negative_button"] as { value: string };
    clicks += 1;
    const id = `agent-feedback-${clicks}`;
    const response = await sendAction(t.target, {
      actions: [
        {
          type: "feedback_buttons",
          action_id: String(found.element.action_id),
          block_id: String(found.block.block_id),
          value: button.value,
          text: { type: "plain_text", text: helpful ? "👍" : "👎", emoji: true },
        },
      ],
      user: { id: user, username: "someone" },
      channel: { id: channel, name: "directmessage" },
      container: {
        type: "message",
        message_ts: message.ts,
        channel_id: channel,
        is_ephemeral: false,
        thread_ts: message.thread_ts,
      },
      message,
      response_url: t.fake.responseUrl(id),
    });
    expect(response.status).toBe(200);
    return id;
  }

  function feedbackRows() {
    const db = new Database(t.databasePath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare("SELECT team_id, user_id, article_slug, section_id, helpful FROM feedback").all();
    } finally {
      db.close();
    }
  }

  it("pins the content's suggested prompts to the Messages tab, without a thread", async () => {
    expect((await sendEvent(t.target, appHomeOpenedEvent(ASKER, "messages"))).status).toBe(200);
    const call = await t.fake.waitForCall("assistant.threads.setSuggestedPrompts");
    expect(call.error).toBeUndefined();
    expect(call.args.thread_ts).toBeUndefined();
    expect(call.args.channel_id).toBe(`D${ASKER}`);
    expect(t.fake.messagesTabPrompts(`D${ASKER}`)).toEqual({
      title: MESSAGES_TAB_PROMPTS_TITLE,
      prompts: CONTENT_PROMPTS,
    });
    // The Home tab is still the Home page, and gets no prompts.
    await sendEvent(t.target, appHomeOpenedEvent(ASKER, "home"));
    await t.fake.waitForCall("views.publish");
    await settle(100);
    expect(t.fake.callsTo("assistant.threads.setSuggestedPrompts")).toHaveLength(1);
    expect(t.fake.callsTo("chat.postMessage")).toEqual([]);
  });

  it("answers a suggested prompt in the thread under it: status, title, the panel's card with native feedback", async () => {
    const prompt = CONTENT_PROMPTS[0];
    if (!prompt) throw new Error("the content has no suggested prompts");
    const { channel, ts, answer } = await ask(prompt.message);
    expect(answer.error).toBeUndefined();
    const status = t.fake.callsTo("assistant.threads.setStatus");
    expect(status.map((c) => [c.args.channel_id, c.args.thread_ts, c.args.status, c.error])).toEqual([
      [channel, ts, THINKING_STATUS, undefined],
    ]);
    expect(t.fake.calls.indexOf(status[0] as RecordedCall)).toBeLessThan(t.fake.calls.indexOf(answer));
    expect(t.fake.assistantTitle(channel, ts)).toBe(prompt.message);
    expect(blocksOf(answer.args)[0]?.text?.text).toMatch(/^🟧 \*IC focus\* · /);
    expect(visibleText(answer.args)).toContain(`You asked: “${prompt.message}”`);
    const buttons = buttonsOf(answer.args).map((b) => b.action_id);
    expect(buttons).toContain(ACTIONS.otherLevels);
    expect(buttons).not.toContain(ACTIONS.helpful);
    expect(feedbackButtons(answer.args)?.element.action_id).toBe(ASSISTANT_ACTIONS.feedback);
    expect(unsafeMarkup(answer.args)).toEqual([]);
    expect(t.fake.assistantStatus(channel, ts)).toBeUndefined();
    // One answer, in the thread; nothing top-level.
    await settle(150);
    expect(t.fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("answers a follow-up in that thread once, without renaming it", async () => {
    const { channel, ts } = await ask(IC_QUESTION);
    const followUp = imMessageEvent({
      text: "and what about running several teams?",
      user: ASKER,
      thread_ts: ts,
    });
    t.fake
      .thread(channel, ts)
      ?.push({ type: "message", user: ASKER, text: followUp.text, ts: followUp.ts, thread_ts: ts });
    const before = t.fake.callsTo("chat.postMessage").length;
    await sendEvent(t.target, followUp);
    await t.fake.waitForCall("chat.postMessage", () => t.fake.callsTo("chat.postMessage").length > before);
    await settle(150);
    expect(t.fake.callsTo("chat.postMessage").map((c) => c.args.thread_ts)).toEqual([ts, ts]);
    expect(t.fake.callsTo("assistant.threads.setTitle").map((c) => c.args.title)).toEqual([IC_QUESTION]);
  });

  it("records the native 👍 on an answer and thanks in the thread; refuses someone else's click", async () => {
    const { channel, ts, answer } = await ask(IC_QUESTION);
    const message = posted(channel, ts, answer);
    const before = feedbackRows().length;
    await clickFeedback(message, channel, true);
    const thanks = await t.fake.waitForCall(
      "chat.postEphemeral",
      (c) => c.args.text === FEEDBACK_THANKS.helpful,
    );
    expect(thanks.args).toMatchObject({ channel, user: ASKER, thread_ts: ts });
    expect(feedbackRows().slice(before)).toEqual([
      { team_id: TEST_TEAM_ID, user_id: ASKER, article_slug: ARTICLE_SLUG, section_id: "ic", helpful: 1 },
    ]);
    const id = await clickFeedback(message, channel, false, "U0MALLORY");
    const told = await t.fake.waitForResponse((r) => r.id === id);
    expect(told.body.text).toBe(FEEDBACK_REFUSED);
    expect(feedbackRows()).toHaveLength(before + 1);
  });

  it("still answers when the app is on the legacy panel and Slack refuses prompts without a thread", async () => {
    // SLACK_AGENT_VIEW=on with a manifest still on assistant_view: a setting that does not match.
    t.fake.setMessagingExperience("assistant_view");
    await sendEvent(t.target, appHomeOpenedEvent(ASKER, "messages"));
    const refused = await t.fake.waitForCall("assistant.threads.setSuggestedPrompts");
    expect(refused.error).toBe("invalid_arguments");
    const { answer } = await ask(IC_QUESTION);
    expect(answer.error).toBeUndefined();
  });
});

describe("without SLACK_AGENT_VIEW (assistant_view or no AI features)", () => {
  let t: TestBot;

  beforeAll(async () => {
    t = await startTestBot();
  });
  afterEach(() => t.fake.reset());
  afterAll(async () => {
    await t?.stop();
  });

  it("leaves the Messages tab alone and answers a top-level DM at the top level, as before", async () => {
    await sendEvent(t.target, appHomeOpenedEvent(ASKER, "messages"));
    const event = imMessageEvent({ text: IC_QUESTION, user: ASKER });
    await sendEvent(t.target, event);
    const answer = await t.fake.waitForCall("chat.postMessage");
    expect(answer.args.thread_ts).toBeUndefined();
    expect(blocksOf(answer.args)[0]?.text?.text).toMatch(/^🟧 \*IC focus\* · /);
    expect(feedbackButtons(answer.args)).toBeNull();
    await settle(150);
    expect(t.fake.callsTo("assistant.threads.setSuggestedPrompts")).toEqual([]);
    expect(t.fake.callsTo("assistant.threads.setStatus")).toEqual([]);
  });
});
