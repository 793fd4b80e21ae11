import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, encodeAnswerRef } from "../src/slack/views/answer.js";
import { ARTICLE_SLUG, startTestBot, type TestBot } from "./helpers/bot.js";
import { blockActionsPayload, sendCommand, sendToApp } from "./helpers/slack-requests.js";

/** Signed requests of an unexpected shape, and values a client could have edited. */
describe("hostile shapes and values over the real HTTP receiver", () => {
  let t: TestBot;

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
});
