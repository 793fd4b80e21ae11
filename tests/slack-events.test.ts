import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "../src/slack/views/answer.js";
import { type RecordedCall, validateBlocks } from "../test-support/fake-slack.js";
import { TWO_SECTIONS } from "../test-support/questions.js";
import {
  ARTICLE_URL,
  blocksOf,
  buttonsOf,
  settle,
  startTestBot,
  type TestBot,
  unsafeMarkup,
  visibleText,
} from "./helpers/bot.js";
import {
  appHomeOpenedEvent,
  appMentionEvent,
  BOT_ID,
  BOT_USER_ID,
  imMessageEvent,
  nextTs,
  type SlackEvent,
  sendAction,
  sendEvent,
} from "./helpers/slack-requests.js";

const IC_QUESTION = "I miss coding, should I go back?";
const WIDE_QUESTION = "I now run three teams through their leads";

function firstLine(call: RecordedCall): string {
  return blocksOf(call.args)[0]?.text?.text ?? "";
}

describe("events over the real HTTP receiver", () => {
  let t: TestBot;

  beforeAll(async () => {
    t = await startTestBot();
  });
  afterEach(() => t.fake.reset());
  afterAll(async () => {
    await t?.stop();
  });

  const posts = () => t.fake.callsTo("chat.postMessage");
  const postTo = (channel: string) =>
    t.fake.waitForCall("chat.postMessage", (c) => c.args.channel === channel);

  describe("app_mention", () => {
    it("answers a mention in a channel in a new thread under the mention", async () => {
      const event = appMentionEvent({ text: `<@${BOT_USER_ID}> ${IC_QUESTION}`, channel: "CMENTION1" });
      const response = await sendEvent(t.target, event);
      expect(response.status).toBe(200);
      const call = await postTo("CMENTION1");
      expect(call.error).toBeUndefined();
      expect(call.args.thread_ts).toBe(event.ts);
      expect(firstLine(call)).toMatch(/^🟧 \*IC focus\* · /);
      expect(visibleText(call.args)).toContain(
        `From <${ARTICLE_URL}#ic|Levels of Engineering (Management) Focus>`,
      );
      // The bot's own mention is not part of the question it echoes.
      expect(visibleText(call.args)).toContain(`You asked: “${IC_QUESTION}”`);
      expect(visibleText(call.args)).not.toContain(BOT_USER_ID);
      // Links to the article would otherwise unfurl into a large preview in the channel.
      expect(String(call.args.unfurl_links)).toBe("false");
      // Share and feedback buttons are for the asker's eyes (ephemeral answers); a clear answer in a
      // thread has no buttons at all.
      expect(buttonsOf(call.args)).toEqual([]);
      expect(typeof call.args.text).toBe("string");
      expect(posts()).toHaveLength(1);
    });

    it("answers a mention inside a thread in that thread", async () => {
      const root = nextTs();
      const event = appMentionEvent({
        text: `<@${BOT_USER_ID}> ${WIDE_QUESTION}`,
        channel: "CMENTION2",
        thread_ts: root,
      });
      await sendEvent(t.target, event);
      const call = await postTo("CMENTION2");
      expect(call.args.thread_ts).toBe(root);
      expect(call.args.thread_ts).not.toBe(event.ts);
      expect(firstLine(call)).toMatch(/^🟩 \*Wide focus\* · /);
      // A mention with a question does not need the thread root.
      expect(t.fake.callsTo("conversations.replies")).toEqual([]);
    });

    it("answers the thread's first message when mentioned with no question in a thread", async () => {
      const root = nextTs();
      t.fake.setThread("CTHREAD1", root, [
        { type: "message", user: "U0ROOT", text: WIDE_QUESTION, ts: root },
        { type: "message", user: "U0OTHER", text: "good question", ts: nextTs(), thread_ts: root },
      ]);
      const event = appMentionEvent({ text: `<@${BOT_USER_ID}>`, channel: "CTHREAD1", thread_ts: root });
      await sendEvent(t.target, event);
      const call = await postTo("CTHREAD1");
      expect(call.args.thread_ts).toBe(root);
      expect(firstLine(call)).toMatch(/^🟩 \*Wide focus\* · /);
      expect(visibleText(call.args)).toContain(`You asked: “${WIDE_QUESTION}”`);
      expect(t.fake.callsTo("conversations.replies")[0]?.args).toMatchObject({
        channel: "CTHREAD1",
        ts: root,
      });
      // The reply landed in the thread (the fake appends it).
      expect(t.fake.thread("CTHREAD1", root)?.at(-1)).toMatchObject({ bot_id: BOT_ID, thread_ts: root });
    });

    it("strips the bot's mention from a thread root that itself mentions the bot", async () => {
      const root = nextTs();
      t.fake.setThread("CTHREAD2", root, [
        { type: "message", user: "U0ROOT", text: `<@${BOT_USER_ID}> ${IC_QUESTION}`, ts: root },
      ]);
      await sendEvent(
        t.target,
        appMentionEvent({ text: `<@${BOT_USER_ID}>  `, channel: "CTHREAD2", thread_ts: root }),
      );
      const call = await postTo("CTHREAD2");
      expect(firstLine(call)).toMatch(/^🟧 \*IC focus\* · /);
      expect(visibleText(call.args)).toContain(`You asked: “${IC_QUESTION}”`);
    });

    it("falls back to the overview when the thread root cannot be read", async () => {
      const root = nextTs();
      // No setThread: conversations.replies answers thread_not_found.
      await sendEvent(
        t.target,
        appMentionEvent({ text: `<@${BOT_USER_ID}>`, channel: "CTHREAD3", thread_ts: root }),
      );
      const call = await postTo("CTHREAD3");
      expect(t.fake.callsTo("conversations.replies")[0]?.error).toBe("thread_not_found");
      expect(call.args.thread_ts).toBe(root);
      expect(visibleText(call.args)).toContain("*Narrow focus*");
      expect(visibleText(call.args)).toContain("*Wide focus*");
      expect(visibleText(call.args)).toContain("*IC focus*");
    });

    it("answers a bare mention outside a thread with the overview, in a thread under it", async () => {
      const event = appMentionEvent({ text: `<@${BOT_USER_ID}>`, channel: "CBARE" });
      await sendEvent(t.target, event);
      const call = await postTo("CBARE");
      expect(call.args.thread_ts).toBe(event.ts);
      expect(visibleText(call.args)).toContain("How to ask");
      expect(t.fake.callsTo("conversations.replies")).toEqual([]);
    });

    it("answers an off-topic mention with “no guidance” and the question as plain text", async () => {
      const event = appMentionEvent({
        text: `<@${BOT_USER_ID}> how do I set up kubernetes ingress`,
        channel: "COFF",
      });
      await sendEvent(t.target, event);
      const call = await postTo("COFF");
      expect(String(call.args.text)).toContain("I have no guidance on that in the article");
      expect(visibleText(call.args)).toContain("You asked: “how do I set up kubernetes ingress”");
      expect(unsafeMarkup(call.args)).toEqual([]);
    });
  });

  describe("direct messages", () => {
    it("answers a DM in the DM, not in a thread", async () => {
      const event = imMessageEvent({ text: IC_QUESTION, user: "U0DM1" });
      await sendEvent(t.target, event);
      const call = await postTo("DU0DM1");
      expect(call.error).toBeUndefined();
      expect(call.args.thread_ts).toBeUndefined();
      expect(firstLine(call)).toMatch(/^🟧 \*IC focus\* · /);
      expect(String(call.args.unfurl_links)).toBe("false");
    });

    it("answers a DM sent in a thread of the DM in that thread", async () => {
      const root = nextTs();
      await sendEvent(t.target, imMessageEvent({ text: WIDE_QUESTION, user: "U0DM2", thread_ts: root }));
      const call = await postTo("DU0DM2");
      expect(call.args.thread_ts).toBe(root);
      expect(firstLine(call)).toMatch(/^🟩 \*Wide focus\* · /);
    });

    it("ignores its own messages, other bots, edits, deletions and channel chatter — and still answers people", async () => {
      const ignored: SlackEvent[] = [
        // The bot's own answer echoed back as a message event.
        { ...imMessageEvent({ text: IC_QUESTION, user: BOT_USER_ID, channel: "DIGNORE1" }), bot_id: BOT_ID },
        // Another bot in a DM.
        {
          ...imMessageEvent({ text: IC_QUESTION, user: "U0OTHERBOT", channel: "DIGNORE2" }),
          bot_id: "B0OTHER",
        },
        {
          ...imMessageEvent({ text: IC_QUESTION, user: "U0OTHERBOT", channel: "DIGNORE3" }),
          subtype: "bot_message",
          bot_id: "B0OTHER",
        },
        // An edit of a person's DM.
        {
          type: "message",
          subtype: "message_changed",
          channel_type: "im",
          channel: "DIGNORE4",
          hidden: true,
          ts: nextTs(),
          event_ts: nextTs(),
          message: {
            type: "message",
            user: "U0EDIT",
            text: IC_QUESTION,
            ts: nextTs(),
            edited: { user: "U0EDIT" },
          },
          previous_message: { type: "message", user: "U0EDIT", text: "I miss", ts: nextTs() },
        },
        // A deletion.
        {
          type: "message",
          subtype: "message_deleted",
          channel_type: "im",
          channel: "DIGNORE5",
          hidden: true,
          ts: nextTs(),
          deleted_ts: nextTs(),
          previous_message: { type: "message", user: "U0DEL", text: IC_QUESTION, ts: nextTs() },
        },
        // A plain message in a channel (not a mention): not for the bot.
        {
          ...imMessageEvent({ text: IC_QUESTION, user: "U0CHAN", channel: "CIGNORE6" }),
          channel_type: "channel",
        },
        // Another bot mentioning this one.
        {
          ...appMentionEvent({ text: `<@${BOT_USER_ID}> ${IC_QUESTION}`, channel: "CIGNORE7" }),
          bot_id: "B0OTHER",
        },
      ];
      for (const event of ignored) {
        const response = await sendEvent(t.target, event);
        expect(response.status).toBe(200);
      }
      // Positive control: a person's DM sent after them all is answered …
      await sendEvent(t.target, imMessageEvent({ text: IC_QUESTION, user: "U0CONTROL" }));
      await postTo("DU0CONTROL");
      await settle(150);
      // … and it is the only message the bot posted.
      expect(posts().map((call) => call.args.channel)).toEqual(["DU0CONTROL"]);
    });
  });

  describe("app_home_opened", () => {
    it("publishes the Home tab for the person with the three levels", async () => {
      await sendEvent(t.target, appHomeOpenedEvent("U0HOME"));
      const call = await t.fake.waitForCall("views.publish");
      expect(call.error).toBeUndefined();
      expect(call.args.user_id).toBe("U0HOME");
      const view = call.args.view as { type: string; blocks: unknown[] };
      expect(view.type).toBe("home");
      const text = visibleText(view);
      expect(text).toContain("*Narrow focus*");
      expect(text).toContain("*Wide focus*");
      expect(text).toContain("*IC focus*");
      expect(text).toContain(`<${ARTICLE_URL}#ic|more>`);
      expect(unsafeMarkup(view)).toEqual([]);
    });

    it("does not publish when the Messages tab is opened", async () => {
      await sendEvent(t.target, { ...appHomeOpenedEvent("U0MSGTAB"), tab: "messages" });
      await sendEvent(t.target, appHomeOpenedEvent("U0HOMECONTROL"));
      await t.fake.waitForCall("views.publish");
      await settle(100);
      expect(t.fake.callsTo("views.publish").map((call) => call.args.user_id)).toEqual(["U0HOMECONTROL"]);
    });
  });
  describe("Also relevant in threads and DMs", () => {
    async function clickAlso(message: unknown, channel: string, id: string) {
      const button = buttonsOf(message).find((b) => b.action_id === ACTIONS.alsoRelevant);
      expect(button).toBeDefined();
      const response = await sendAction(t.target, {
        actions: [
          { action_id: ACTIONS.alsoRelevant, block_id: button?.block_id ?? "", value: button?.value ?? "" },
        ],
        channel: { id: channel, name: channel.startsWith("D") ? "directmessage" : "general" },
        container: { type: "message", message_ts: nextTs(), channel_id: channel, is_ephemeral: false },
        response_url: t.fake.responseUrl(id),
      });
      expect(response.status).toBe(200);
      return (await t.fake.waitForResponse((r) => r.id === id)).body;
    }

    it("a channel thread gets the button alone, and a click shows the section to the clicker only", async () => {
      await sendEvent(
        t.target,
        appMentionEvent({ text: `<@${BOT_USER_ID}> ${TWO_SECTIONS}`, channel: "CALSO1" }),
      );
      const call = await postTo("CALSO1");
      expect(validateBlocks(call.args.blocks, 50)).toEqual([]);
      expect(buttonsOf(call.args).map((b) => b.action_id)).toEqual([ACTIONS.alsoRelevant]);
      const shown = await clickAlso(call.args, "CALSO1", "also-thread");
      expect(shown.response_type).toBe("ephemeral");
      expect(shown.replace_original).toBe(false);
      expect(blocksOf(shown)[0]?.text?.text).toMatch(/^\*Going back to IC means giving up the VP path\* · /);
      expect(buttonsOf(shown).map((b) => b.action_id)).toEqual([ACTIONS.alsoRelevant]);
    });

    it("a DM answer is changed in place", async () => {
      await sendEvent(t.target, imMessageEvent({ text: TWO_SECTIONS, channel: "DALSO1" }));
      const call = await postTo("DALSO1");
      const shown = await clickAlso(call.args, "DALSO1", "also-dm");
      expect(shown.replace_original).toBe(true);
      expect(blocksOf(shown)[0]?.text?.text).toMatch(/^\*Going back to IC means giving up the VP path\* · /);
      expect(visibleText(shown)).toContain("Also relevant: IC focus");
      expect(unsafeMarkup(shown)).toEqual([]);
    });
  });
});
