import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, encodeAnswerRef } from "../src/slack/views/answer.js";
import { SUBSCRIPTION_ACTIONS } from "../src/slack/views/subscriptions.js";
import { openStore } from "../src/store/open.js";
import { ARTICLE_SLUG, asMessage, settle, startTestBot, type TestBot } from "./helpers/bot.js";
import {
  blockActionsPayload,
  sendAction,
  sendCommand,
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
});
