import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadLibrary } from "../src/content/load.js";
import { ACTIONS } from "../src/slack/views/answer.js";
import {
  ANSWER_FAILED,
  ASSISTANT_ACTIONS,
  FEEDBACK_REFUSED,
  FEEDBACK_THANKS,
  THINKING_STATUS,
} from "../src/slack/views/assistant.js";
import type { RecordedCall, SlackMessage } from "../test-support/fake-slack.js";
import { TWO_SECTIONS } from "../test-support/questions.js";
import {
  assistantThreadContextChangedEvent,
  assistantThreadStartedEvent,
} from "./helpers/assistant-events.js";
import {
  ARTICLE_SLUG,
  ARTICLE_URL,
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
  BOT_ID,
  BOT_USER_ID,
  imMessageEvent,
  nextTs,
  sendAction,
  sendEvent,
  TEST_TEAM_ID,
} from "./helpers/slack-requests.js";

const ASKER = "U0ASKER";
const IC_QUESTION = "I miss coding, should I go back?";
const WIDE_QUESTION = "I now run three teams through their leads";
const OFF_TOPIC = "What is the best pizza topping?";
const CONTENT_PROMPTS = loadLibrary(CONTENT_DIR).articles.flatMap((a) => a.suggestedPrompts ?? []);

interface Thread {
  channel: string;
  threadTs: string;
}

interface FeedbackRow {
  team_id: string;
  user_id: string;
  article_slug: string;
  section_id: string;
  helpful: number;
}

function firstLine(call: RecordedCall): string {
  return blocksOf(call.args)[0]?.text?.text ?? "";
}

function feedbackButtons(message: unknown): { block: Block; element: Record<string, unknown> } | null {
  const block = blocksOf(message).find((b) => b.type === "context_actions");
  const element = block?.elements?.find((e) => e.type === "feedback_buttons");
  return block && element ? { block, element } : null;
}

describe("Slack's assistant panel over the real HTTP receiver", () => {
  let t: TestBot;
  let clicks = 0;

  beforeAll(async () => {
    t = await startTestBot();
  });
  afterEach(() => t.fake.reset());
  afterAll(async () => {
    await t?.stop();
  });

  /** The person opens the panel: Slack makes the thread's root and sends assistant_thread_started. */
  async function openPanel(user = ASKER, context = { channel_id: "C0LOOKING", team_id: TEST_TEAM_ID }) {
    const thread: Thread = { channel: `D${user}`, threadTs: nextTs() };
    t.fake.setThread(thread.channel, thread.threadTs, [
      { type: "message", subtype: "assistant_app_thread", text: "New chat", ts: thread.threadTs },
    ]);
    const response = await sendEvent(t.target, assistantThreadStartedEvent({ user, ...thread, context }));
    expect(response.status).toBe(200);
    // The suggested prompts come last, after the greeting.
    await t.fake.waitForCall(
      "assistant.threads.setSuggestedPrompts",
      (c) => c.args.thread_ts === thread.threadTs,
    );
    return thread;
  }

  /** Waits for the next message the app posts in the thread (not one it posted before). */
  function nextPost(thread: Thread): Promise<RecordedCall> {
    const seen = new Set(t.fake.callsTo("chat.postMessage"));
    return t.fake.waitForCall(
      "chat.postMessage",
      (c) => !seen.has(c) && c.args.channel === thread.channel && c.args.thread_ts === thread.threadTs,
    );
  }

  /** The person types in the panel thread; resolves with the app's reply there. */
  async function ask(thread: Thread, text: string, user = ASKER): Promise<RecordedCall> {
    const event = imMessageEvent({ text, user, channel: thread.channel, thread_ts: thread.threadTs });
    t.fake.thread(thread.channel, thread.threadTs)?.push({
      type: "message",
      user,
      text,
      ts: event.ts,
      thread_ts: thread.threadTs,
    });
    const reply = nextPost(thread);
    const response = await sendEvent(t.target, event);
    expect(response.status).toBe(200);
    return reply;
  }

  /** The message as Slack keeps it (and sends it back in a click's payload). */
  function posted(thread: Thread, call: RecordedCall): SlackMessage {
    const messages = t.fake.thread(thread.channel, thread.threadTs) ?? [];
    const found = messages.filter((m) => m.bot_id !== undefined && m.text === call.args.text).at(-1);
    if (!found) throw new Error("the answer is not in the thread");
    return found;
  }

  /** Clicks 👍 or 👎 on `message` in `channel` as `user`; returns the response_url id. */
  async function clickFeedback(
    message: SlackMessage,
    channel: string,
    helpful: boolean,
    user = ASKER,
    value?: string,
  ): Promise<string> {
    const found = feedbackButtons(message);
    if (!found) throw new Error("the message has no feedback buttons");
    const button = found.element[helpful ? "positive_button" : "negative_button"] as { value: string };
    clicks += 1;
    const id = `feedback-${clicks}`;
    const response = await sendAction(t.target, {
      actions: [
        {
          type: "feedback_buttons",
          action_id: String(found.element.action_id),
          block_id: String(found.block.block_id),
          value: value ?? button.value,
          text: { type: "plain_text", text: helpful ? "👍" : "👎", emoji: true },
        },
      ],
      user: { id: user, username: "someone" },
      channel: { id: channel, name: channel.startsWith("D") ? "directmessage" : "general" },
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

  function feedbackRows(): FeedbackRow[] {
    const db = new Database(t.databasePath, { readonly: true, fileMustExist: true });
    try {
      return db
        .prepare(
          "SELECT team_id, user_id, article_slug, section_id, helpful FROM feedback ORDER BY created_at",
        )
        .all() as FeedbackRow[];
    } finally {
      db.close();
    }
  }

  describe("assistant_thread_started", () => {
    it("greets in the thread and suggests the prompts from the content", async () => {
      expect(CONTENT_PROMPTS.length).toBeGreaterThanOrEqual(3);
      const thread = await openPanel();
      const prompts = await t.fake.waitForCall(
        "assistant.threads.setSuggestedPrompts",
        (c) => c.args.thread_ts === thread.threadTs,
      );
      expect(prompts.error).toBeUndefined();
      expect(prompts.args.channel_id).toBe(thread.channel);
      expect(prompts.args.prompts).toEqual(CONTENT_PROMPTS.map(({ title, message }) => ({ title, message })));
      const greeting = t.fake.callsTo("chat.postMessage").find((c) => c.args.thread_ts === thread.threadTs);
      expect(greeting?.error).toBeUndefined();
      expect(greeting?.args.channel).toBe(thread.channel);
      expect(visibleText(greeting?.args)).toContain("Levels of Engineering (Management) Focus");
      expect(unsafeMarkup(greeting?.args)).toEqual([]);
    });
  });

  describe("a question in the panel", () => {
    it("sets the status and the title, answers in the thread with the /em-focus card, and the status is cleared", async () => {
      const thread = await openPanel();
      const answer = await ask(thread, IC_QUESTION);
      expect(answer.error).toBeUndefined();
      // Status first, while the answer is on its way; the title is the question.
      const status = t.fake.callsTo("assistant.threads.setStatus");
      expect(status.map((c) => [c.args.channel_id, c.args.thread_ts, c.args.status])).toEqual([
        [thread.channel, thread.threadTs, THINKING_STATUS],
      ]);
      expect(status[0]?.error).toBeUndefined();
      expect(t.fake.calls.indexOf(status[0] as RecordedCall)).toBeLessThan(t.fake.calls.indexOf(answer));
      const title = t.fake.callsTo("assistant.threads.setTitle");
      expect(title.map((c) => c.args.title)).toEqual([IC_QUESTION]);
      expect(t.fake.assistantTitle(thread.channel, thread.threadTs)).toBe(IC_QUESTION);
      // The answer card: level, guidance, why, link, Other levels, native feedback.
      expect(firstLine(answer)).toMatch(/^🟧 \*IC focus\* · /);
      expect(visibleText(answer.args)).toContain(
        `From <${ARTICLE_URL}#ic|Levels of Engineering (Management) Focus>`,
      );
      expect(visibleText(answer.args)).toContain(`You asked: “${IC_QUESTION}”`);
      expect(visibleText(answer.args)).toMatch(/Why this: /);
      expect(String(answer.args.unfurl_links)).toBe("false");
      const buttons = buttonsOf(answer.args).map((b) => b.action_id);
      expect(buttons).toContain(ACTIONS.otherLevels);
      expect(buttons).not.toContain(ACTIONS.share);
      expect(buttons).not.toContain(ACTIONS.helpful);
      const feedback = feedbackButtons(answer.args);
      expect(feedback?.element.action_id).toBe(ASSISTANT_ACTIONS.feedback);
      expect(unsafeMarkup(answer.args)).toEqual([]);
      // Slack clears the status when the reply arrives; nothing is left showing.
      expect(t.fake.assistantStatus(thread.channel, thread.threadTs)).toBeUndefined();
      // The thread's context (the channel being looked at) rides along as metadata.
      expect(answer.args.metadata).toMatchObject({ event_payload: { channel_id: "C0LOOKING" } });
    });

    it("shows alternatives as Also relevant buttons when a question touches more than one section", async () => {
      const thread = await openPanel();
      const answer = await ask(thread, TWO_SECTIONS);
      const also = buttonsOf(answer.args).filter((b) => b.action_id.startsWith(ACTIONS.alsoRelevant));
      expect(also.length).toBeGreaterThan(0);
    });

    it("answers a follow-up in the same thread on its own, without renaming the thread", async () => {
      const thread = await openPanel();
      await ask(thread, IC_QUESTION);
      const followUp = await ask(thread, WIDE_QUESTION);
      expect(firstLine(followUp)).toMatch(/^🟩 \*Wide focus\* · /);
      expect(visibleText(followUp.args)).toContain(`You asked: “${WIDE_QUESTION}”`);
      expect(visibleText(followUp.args)).not.toContain(IC_QUESTION);
      expect(t.fake.callsTo("assistant.threads.setTitle").map((c) => c.args.title)).toEqual([IC_QUESTION]);
      expect(t.fake.callsTo("assistant.threads.setStatus")).toHaveLength(2);
      expect(t.fake.assistantStatus(thread.channel, thread.threadTs)).toBeUndefined();
    });

    it("answers an off-topic question with no guidance and the overview, without feedback buttons", async () => {
      const thread = await openPanel();
      const reply = await ask(thread, OFF_TOPIC);
      expect(visibleText(reply.args)).toContain("I have no guidance on that");
      expect(visibleText(reply.args)).toContain("Narrow focus");
      expect(feedbackButtons(reply.args)).toBeNull();
      expect(t.fake.assistantStatus(thread.channel, thread.threadTs)).toBeUndefined();
    });

    it("answers a message of only markup and emoji with the overview, echoing nothing it could ping", async () => {
      const thread = await openPanel();
      const reply = await ask(thread, "<!channel> <@U0OTHER> :wave: :thinking_face:");
      expect(visibleText(reply.args)).not.toContain("I have no guidance on that");
      expect(visibleText(reply.args)).toContain("How to ask");
      expect(unsafeMarkup(reply.args)).toEqual([]);
      // Nothing is left to name the thread with.
      expect(t.fake.callsTo("assistant.threads.setTitle")).toEqual([]);
    });

    it("drops control characters from the question before echoing it or naming the thread", async () => {
      const thread = await openPanel();
      const answer = await ask(thread, "I miss\u0007 coding\u001b[31m, should I go back?\u0000");
      expect(firstLine(answer)).toMatch(/^🟧 \*IC focus\* · /);
      const control = /[^\P{Cc}\n]/u;
      expect(visibleText(answer.args)).not.toMatch(control);
      const [title] = t.fake.callsTo("assistant.threads.setTitle").map((c) => String(c.args.title));
      expect(title).not.toMatch(control);
    });

    it("keeps a title short and free of markup", async () => {
      const thread = await openPanel();
      const long = `<@U0OTHER> &lt;!channel&gt; *${"I miss coding and wonder whether I should go back ".repeat(4)}*`;
      await ask(thread, long);
      const [title] = t.fake.callsTo("assistant.threads.setTitle").map((c) => String(c.args.title));
      expect(title?.length).toBeLessThanOrEqual(60);
      expect(title).not.toMatch(/[<>*]|U0OTHER/);
    });
  });

  describe("one answer per message", () => {
    it("answers a panel message once and a plain DM once, the DM without panel calls", async () => {
      const thread = await openPanel();
      await ask(thread, IC_QUESTION);
      const dm = imMessageEvent({ text: WIDE_QUESTION, user: "U0PLAIN" });
      await sendEvent(t.target, dm);
      const plain = await t.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "DU0PLAIN");
      expect(firstLine(plain)).toMatch(/^🟩 \*Wide focus\* · /);
      expect(plain.args.thread_ts).toBeUndefined();
      // A plain DM is answered as before: no panel card, no title or status.
      expect(feedbackButtons(plain.args)).toBeNull();
      await settle();
      const inThread = t.fake
        .callsTo("chat.postMessage")
        .filter((c) => c.args.thread_ts === thread.threadTs && firstLine(c).startsWith("🟧 *IC focus*"));
      expect(inThread).toHaveLength(1);
      expect(t.fake.callsTo("chat.postMessage").filter((c) => c.args.channel === "DU0PLAIN")).toHaveLength(1);
      expect(
        t.fake.calls.filter((c) => c.method.startsWith("assistant.") && c.args.channel_id === "DU0PLAIN"),
      ).toEqual([]);
    });
  });

  it("does not answer its own replies or another bot's messages in a panel thread", async () => {
    const thread = await openPanel();
    const own = {
      ...imMessageEvent({
        text: IC_QUESTION,
        user: BOT_USER_ID,
        channel: thread.channel,
        thread_ts: thread.threadTs,
      }),
      bot_id: BOT_ID,
    };
    const otherBot = {
      ...imMessageEvent({
        text: IC_QUESTION,
        user: "U0OTHERBOT",
        channel: thread.channel,
        thread_ts: thread.threadTs,
      }),
      bot_id: "B0OTHER",
    };
    await sendEvent(t.target, own);
    await sendEvent(t.target, otherBot);
    // Positive control: a person's message after them is answered.
    await ask(thread, WIDE_QUESTION);
    await settle();
    const answers = t.fake.callsTo("chat.postMessage").filter((c) => c.args.thread_ts === thread.threadTs);
    expect(answers.map(firstLine).filter((line) => line.includes("focus*"))).toEqual([
      expect.stringMatching(/^🟩 \*Wide focus\* · /),
    ]);
  });

  it("answers a panel message once when Slack resends it", async () => {
    const thread = await openPanel();
    const event = imMessageEvent({
      text: IC_QUESTION,
      user: ASKER,
      channel: thread.channel,
      thread_ts: thread.threadTs,
    });
    const reply = nextPost(thread);
    const first = await sendEvent(t.target, event, { eventId: "EvPANELRETRY1" });
    await sendEvent(t.target, event, { eventId: first.eventId, retryNum: 1 });
    await reply;
    await settle();
    expect(
      t.fake.callsTo("chat.postMessage").filter((c) => c.args.thread_ts === thread.threadTs),
    ).toHaveLength(2); // greeting + answer
    expect(t.fake.callsTo("assistant.threads.setStatus")).toHaveLength(1);
  });

  describe("Slack errors", () => {
    it("still greets when Slack refuses the suggested prompts", async () => {
      t.fake.failNext("assistant.threads.setSuggestedPrompts", { error: "invalid_arguments" });
      const thread = await openPanel();
      const greeting = await t.fake.waitForCall(
        "chat.postMessage",
        (c) => c.args.thread_ts === thread.threadTs,
      );
      expect(greeting.error).toBeUndefined();
      expect(t.fake.callsTo("assistant.threads.setSuggestedPrompts")[0]?.error).toBe("invalid_arguments");
    });

    it("still answers when setStatus and setTitle fail", async () => {
      const thread = await openPanel();
      t.fake.failNext("assistant.threads.setStatus", { error: "invalid_thread_ts" });
      t.fake.failNext("assistant.threads.setTitle", { error: "ratelimited", status: 429 });
      const answer = await ask(thread, IC_QUESTION);
      expect(answer.error).toBeUndefined();
      expect(firstLine(answer)).toMatch(/^🟧 \*IC focus\* · /);
      expect(t.fake.callsTo("assistant.threads.setStatus")[0]?.error).toBe("invalid_thread_ts");
      expect(t.fake.callsTo("assistant.threads.setTitle")[0]?.status).toBe(429);
    });

    it("clears the status and says so when the answer cannot be posted", async () => {
      const thread = await openPanel();
      t.fake.failNext("chat.postMessage", { error: "msg_blocks_too_long" });
      const failed = await ask(thread, IC_QUESTION);
      expect(failed.error).toBe("msg_blocks_too_long");
      const apology = await nextPost(thread);
      expect(apology.args.text).toBe(ANSWER_FAILED);
      const statuses = t.fake.callsTo("assistant.threads.setStatus").map((c) => c.args.status);
      expect(statuses).toEqual([THINKING_STATUS, ""]);
      expect(t.fake.assistantStatus(thread.channel, thread.threadTs) ?? "").toBe("");
    });
  });

  describe("thread context", () => {
    it("keeps each thread's own context when it changes", async () => {
      const mine = await openPanel(ASKER, { channel_id: "C0FIRST", team_id: TEST_TEAM_ID });
      const theirs = await openPanel("U0SECOND", { channel_id: "C0THEIRS", team_id: TEST_TEAM_ID });
      await sendEvent(
        t.target,
        assistantThreadContextChangedEvent({
          user: ASKER,
          ...mine,
          context: { channel_id: "C0MOVED", team_id: TEST_TEAM_ID },
        }),
      );
      // Saving the change needs no Slack call, so it is done before the question below arrives.
      const answer = await ask(mine, IC_QUESTION);
      expect(answer.args.metadata).toMatchObject({ event_payload: { channel_id: "C0MOVED" } });
      const other = await ask(theirs, IC_QUESTION, "U0SECOND");
      expect(other.args.metadata).toMatchObject({ event_payload: { channel_id: "C0THEIRS" } });
    });
  });

  describe("native feedback", () => {
    it.each([
      [true, 1, FEEDBACK_THANKS.helpful],
      [false, 0, FEEDBACK_THANKS.notHelpful],
    ])(
      "records a click (helpful %s) like the /em-focus buttons and thanks in the thread",
      async (helpful, stored, thanks) => {
        const thread = await openPanel();
        const answer = await ask(thread, IC_QUESTION);
        const before = feedbackRows().length;
        await clickFeedback(posted(thread, answer), thread.channel, helpful);
        const ephemeral = await t.fake.waitForCall("chat.postEphemeral", (c) => c.args.text === thanks);
        expect(ephemeral.error).toBeUndefined();
        expect(ephemeral.args).toMatchObject({
          channel: thread.channel,
          user: ASKER,
          thread_ts: thread.threadTs,
        });
        const rows = feedbackRows();
        expect(rows).toHaveLength(before + 1);
        expect(rows.at(-1)).toEqual({
          team_id: TEST_TEAM_ID,
          user_id: ASKER,
          article_slug: ARTICLE_SLUG,
          section_id: "ic",
          helpful: stored,
        });
      },
    );

    // Issue 17, item 13: one person's repeated 👎 on one panel answer counts once.
    it("keeps one vote per person on a panel answer, changeable, and one gap however often 👎 is clicked", async () => {
      const thread = await openPanel();
      const answer = posted(thread, await ask(thread, IC_QUESTION));
      const before = feedbackRows().length;
      const gaps = () => {
        const db = new Database(t.databasePath, { readonly: true, fileMustExist: true });
        try {
          return (
            db.prepare("SELECT count(*) AS n FROM gaps WHERE outcome = 'not-helpful'").get() as { n: number }
          ).n;
        } finally {
          db.close();
        }
      };
      const gapsBefore = gaps();
      for (const helpful of [false, false, true, false]) {
        const thanks = helpful ? FEEDBACK_THANKS.helpful : FEEDBACK_THANKS.notHelpful;
        const sent = t.fake.callsTo("chat.postEphemeral").length;
        await clickFeedback(answer, thread.channel, helpful);
        await t.fake.waitForCall("chat.postEphemeral", (c) => c.args.text === thanks);
        await vi.waitFor(() => expect(t.fake.callsTo("chat.postEphemeral").length).toBe(sent + 1));
      }
      const rows = feedbackRows();
      expect(rows).toHaveLength(before + 1);
      expect(rows.at(-1)).toMatchObject({ user_id: ASKER, helpful: 0 });
      await vi.waitFor(() => expect(gaps()).toBe(gapsBefore + 1));
    });

    it("refuses a forged click on an answer in someone else's conversation", async () => {
      const thread = await openPanel();
      const answer = posted(thread, await ask(thread, IC_QUESTION));
      const before = feedbackRows().length;
      const id = await clickFeedback(answer, thread.channel, false, "U0MALLORY");
      const told = await t.fake.waitForResponse((r) => r.id === id);
      expect(told.body).toMatchObject({
        response_type: "ephemeral",
        replace_original: false,
        text: FEEDBACK_REFUSED,
      });
      expect(feedbackRows()).toHaveLength(before);
      expect(t.fake.callsTo("chat.postEphemeral")).toEqual([]);
    });

    it.each([
      ["in a channel rather than a DM", { channel: "C0TEST" }],
      ["on a message the app did not post", { message: { user: "U0MALLORY", bot_id: undefined } }],
      ["on a message that is not in the thread", { message: { ts: "1.000001" } }],
    ])(
      "refuses a click %s",
      async (_name, forged: { channel?: string; message?: Record<string, unknown> }) => {
        const thread = await openPanel();
        const answer = posted(thread, await ask(thread, IC_QUESTION));
        const before = feedbackRows().length;
        const id = await clickFeedback(
          { ...answer, ...forged.message },
          forged.channel ?? thread.channel,
          true,
        );
        const told = await t.fake.waitForResponse((r) => r.id === id);
        expect(told.body.text).toBe(FEEDBACK_REFUSED);
        expect(feedbackRows()).toHaveLength(before);
      },
    );

    it("explains, without recording, a click whose value names no section", async () => {
      const thread = await openPanel();
      const answer = posted(thread, await ask(thread, IC_QUESTION));
      const before = feedbackRows().length;
      const value = JSON.stringify({ a: ARTICLE_SLUG, s: "gone", h: 1 });
      const id = await clickFeedback(answer, thread.channel, true, ASKER, value);
      const told = await t.fake.waitForResponse((r) => r.id === id);
      expect(String(told.body.text)).toContain("no longer in the article");
      expect(feedbackRows()).toHaveLength(before);
    });

    it("Also relevant on a panel answer keeps Other levels and the native feedback", async () => {
      const thread = await openPanel();
      const answer = posted(thread, await ask(thread, TWO_SECTIONS));
      const also = buttonsOf(answer).find((b) => b.action_id === ACTIONS.alsoRelevant);
      if (!also) throw new Error("no Also relevant button");
      const id = "also-relevant-panel";
      await sendAction(t.target, {
        actions: [{ action_id: also.action_id, block_id: also.block_id, value: also.value }],
        user: { id: ASKER },
        channel: { id: thread.channel, name: "directmessage" },
        container: {
          type: "message",
          message_ts: answer.ts,
          channel_id: thread.channel,
          is_ephemeral: false,
        },
        message: answer,
        response_url: t.fake.responseUrl(id),
      });
      const replaced = await t.fake.waitForResponse((r) => r.id === id);
      expect(replaced.body.replace_original).toBe(true);
      expect(feedbackButtons(replaced.body)).not.toBeNull();
      expect(buttonsOf(replaced.body).map((b) => b.action_id)).toContain(ACTIONS.otherLevels);
    });
  });
});
