import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ACTIONS, encodeAnswerRef } from "../src/slack/views/answer.js";
import { SUBSCRIPTION_ACTIONS } from "../src/slack/views/subscriptions.js";
import { openStore } from "../src/store/open.js";
import { ARTICLE_SLUG, asMessage, settle, startTestBot, type TestBot, visibleText } from "./helpers/bot.js";
import { answeredDelivery } from "./helpers/deliveries.js";
import {
  blockActionsPayload,
  imMessageEvent,
  sendAction,
  sendCommand,
  sendEvent,
  sendToApp,
  sendViewSubmission,
  TEST_TEAM_ID,
} from "./helpers/slack-requests.js";

/** Signed requests of an unexpected shape, and values a client could have edited. */
describe("hostile shapes and values over the real HTTP receiver", () => {
  let t: TestBot;
  let sequence = 0;

  beforeAll(async () => {
    t = await startTestBot();
  });
  afterEach(() => t.fake.reset());
  afterAll(async () => {
    await t?.stop();
  });

  async function stillAnswers(): Promise<void> {
    const answer = await sendCommand(t.target, { text: "I miss coding, should I go back?" });
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.json)).toContain("IC");
  }

  describe("Bolt answers only the first action of a block_actions payload", () => {
    const share = {
      action_id: ACTIONS.share,
      value: encodeAnswerRef({ article: ARTICLE_SLUG, section: "narrow", question: "q" }),
    };

    it.each([
      { name: "an unknown action", first: { action_id: "not_ours" } },
      { name: "an action without an id", first: { value: "x" } },
    ])("acks at once when the first action is $name and a later one is ours", async ({ first }) => {
      const payload = blockActionsPayload({ actions: [share], response_url: t.fake.responseUrl() });
      const body = new URLSearchParams({
        payload: JSON.stringify({ ...payload, actions: [first, payload.actions[0]] }),
      }).toString();
      const started = Date.now();
      const response = await sendToApp(t.url, body, {
        contentType: "application/x-www-form-urlencoded",
        signingSecret: t.target.signingSecret,
      });
      // Left unacked, Bolt answers 404 after its 3-second timeout.
      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(2500);
      await stillAnswers();
    });
  });

  describe("a subscribe button's schedule is untrusted", () => {
    it.each([
      { name: "a fractional weekday", value: '{"w":2.5,"t":"09:00"}' },
      { name: "a weekday in exponent form", value: '{"w":1e-7,"t":"09:00"}' },
    ])("answers a value with $name as an out-of-date button", async ({ value }) => {
      const id = `subscribe-${++sequence}`;
      const response = await sendAction(t.target, {
        actions: [{ action_id: SUBSCRIPTION_ACTIONS.subscribeMe, value }],
        channel: { id: "DU0USER", name: "directmessage" },
        response_url: t.fake.responseUrl(id),
      });
      expect(response.status).toBe(200);
      const answer = asMessage((await t.fake.waitForResponse((r) => r.id === id)).body);
      expect(String(answer.text)).toContain("out of date");
    });

    it.each([
      { name: "a fractional day", day: "2.5" },
      { name: "an empty day", day: "" },
      { name: "a day padded with spaces", day: " 3 " },
    ])(
      "answers the schedule modal with $name by an error in the modal, and stores nothing",
      async ({ day }) => {
        const user = `U0DAY${++sequence}`;
        const response = await sendViewSubmission(t.target, {
          callback_id: "schedule_modal",
          user: { id: user },
          values: {
            weekday: {
              weekday: {
                type: "static_select",
                selected_option: { text: { type: "plain_text", text: "Day" }, value: day },
              },
            },
            time: { time: { type: "timepicker", selected_time: "09:00" } },
          },
        });
        expect(response.status).toBe(200);
        expect(response.json).toEqual({
          response_action: "errors",
          errors: { time: "Pick a day and a time." },
        });
        await settle();
        const store = await openStore(t.databasePath);
        try {
          expect(await store.listSubscriptionsForUser(TEST_TEAM_ID, user)).toEqual([]);
        } finally {
          await store.close();
        }
      },
    );
  });

  describe("notes keep within what the note modal can show again", () => {
    /** A weekly prompt for `user`, answered, as the delivery pass and a click leave it. */
    async function answeredPrompt(user: string): Promise<string> {
      const store = await openStore(t.databasePath);
      try {
        return (await answeredDelivery(store, TEST_TEAM_ID, user)).id;
      } finally {
        await store.close();
      }
    }

    async function storedNote(deliveryId: string, user: string): Promise<string | null | undefined> {
      const store = await openStore(t.databasePath);
      try {
        return (await store.getAnswer(deliveryId, user))?.note;
      } finally {
        await store.close();
      }
    }

    function submitNote(deliveryId: string, user: string, note: string) {
      return sendViewSubmission(t.target, {
        callback_id: "prompt_note",
        private_metadata: deliveryId,
        user: { id: user },
        values: { note: { note: { type: "plain_text_input", value: note } } },
      });
    }

    it("refuses a note longer than the modal's 2,000 characters in the modal, and stores nothing", async () => {
      const user = `U0NOTE${++sequence}`;
      const deliveryId = await answeredPrompt(user);
      const response = await submitNote(deliveryId, user, "x".repeat(2_500));
      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({
        response_action: "errors",
        errors: { note: expect.stringContaining("2,000") },
      });
      expect(await storedNote(deliveryId, user)).toBeNull();
    });

    it.each([
      { name: "a number", value: 42 },
      { name: "an object", value: { text: "hi" } },
    ])("answers a note whose value is $name in the modal, and keeps the note stored", async ({ value }) => {
      const user = `U0NOTE${++sequence}`;
      const deliveryId = await answeredPrompt(user);
      expect((await submitNote(deliveryId, user, "kept")).json).toBeUndefined();
      const response = await sendViewSubmission(t.target, {
        callback_id: "prompt_note",
        private_metadata: deliveryId,
        user: { id: user },
        values: { note: { note: { type: "plain_text_input", value } } },
      });
      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({
        response_action: "errors",
        errors: { note: expect.any(String) },
      });
      expect(await storedNote(deliveryId, user)).toBe("kept");
    });

    it("opens a 2,000-character note ending in an emoji whole for editing, never half an emoji", async () => {
      const user = `U0NOTE${++sequence}`;
      const deliveryId = await answeredPrompt(user);
      const note = `${"a".repeat(1_999)}😀`;
      expect((await submitNote(deliveryId, user, note)).json).toBeUndefined();
      expect(await storedNote(deliveryId, user)).toBe(note);
      const opened = t.fake.waitForCall("views.open");
      const response = await sendAction(t.target, {
        actions: [{ action_id: "home_note_edit", value: deliveryId }],
        user: { id: user },
        view: { id: "VHOME", type: "home" },
      });
      expect(response.status).toBe(200);
      const view = (await opened).args.view as { blocks: Array<{ element?: { initial_value?: string } }> };
      expect(view.blocks[0]?.element?.initial_value).toBe(note);
    });
  });

  describe("never half a character: lone surrogates are dropped, cuts keep emoji whole", () => {
    const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

    it("answers a DM holding a lone surrogate without echoing it", async () => {
      const posted = t.fake.waitForCall("chat.postMessage");
      const response = await sendEvent(
        t.target,
        imMessageEvent({ text: "manager \uD83D of managers \uDE00" }),
      );
      expect(response.status).toBe(200);
      const call = await posted;
      expect(visibleText(call.args)).toContain("You asked");
      expect(JSON.stringify(call.args)).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i);
    });

    it("keeps a knowledge gap's question whole when it is cut to its 1,000 characters", async () => {
      const question = `parkings ${"🅿".repeat(500)}`;
      expect((await sendCommand(t.target, { text: question })).status).toBe(200);
      const store = await openStore(t.databasePath);
      try {
        const gap = await vi.waitFor(async () => {
          const found = (await store.listGaps(new Date(0))).find((g) => g.question.startsWith("parkings"));
          if (!found) throw new Error("no gap yet");
          return found;
        });
        expect(gap.question).not.toMatch(LONE);
        expect(gap.question).not.toContain("\uFFFD");
        expect(gap.question).toBe(`parkings ${"🅿".repeat(495)}`);
      } finally {
        await store.close();
      }
    });
  });
});
