import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../src/store/open.js";
import type { Delivery, Store } from "../src/store/types.js";
import { asMessage, startTestBot, TEST_DATABASES, type TestBot } from "./helpers/bot.js";
import { claimedDelivery } from "./helpers/deliveries.js";
import { sendAction, sendViewSubmission, TEST_TEAM_ID } from "./helpers/slack-requests.js";

const TEAM = TEST_TEAM_ID;
const OWNER = "U0OWNER";
const OTHER = "U0OTHER";

/** Forged clicks (issue 9, items 1 and 2): a button value is untrusted; who and where come from the signed payload. */
describe.each(TEST_DATABASES)("forged clicks are refused ($name)", ({ postgresUrl }) => {
  let t: TestBot;
  let store: Store;
  let sequence = 0;

  beforeEach(async () => {
    t = await startTestBot(postgresUrl ? { postgresUrl } : {});
    store = await openStore(t.databasePath);
  });
  afterEach(async () => {
    await store?.close();
    await t?.stop();
  });

  /** A prompt claimed for a person or a channel, as a delivery pass leaves it before sending. */
  function deliveryFor(targetType: "user" | "channel", targetId: string): Promise<Delivery> {
    return claimedDelivery(store, {
      teamId: TEAM,
      targetType,
      targetId,
      subscribedBy: OWNER,
      now: new Date("2026-03-09T08:00:00Z"),
      nextPromptAt: new Date("2026-03-16T09:00:00Z"),
    });
  }

  async function click(actionId: string, value: string, user: string, channel: string) {
    const id = `click-${++sequence}`;
    const response = await sendAction(t.target, {
      actions: [{ action_id: actionId, value }],
      user: { id: user },
      channel: { id: channel, name: "somewhere" },
      response_url: t.fake.responseUrl(id),
    });
    expect(response.status).toBe(200);
    return asMessage((await t.fake.waitForResponse((r) => r.id === id)).body);
  }

  describe("subscribe_channel (item 1)", () => {
    it("subscribes the channel the click came from, never the channel named in the value", async () => {
      t.fake.setChannel("C0HOME", { is_member: true });
      const forged = JSON.stringify({ w: 1, t: "09:00", c: "C0VICTIM" });
      const reply = await click("subscribe_channel", forged, OTHER, "C0HOME");
      expect(String(reply.text)).toContain("<#C0HOME>");
      expect(
        await store.findSubscription({ teamId: TEAM, targetType: "channel", targetId: "C0VICTIM" }),
      ).toBeUndefined();
      expect(
        await store.findSubscription({ teamId: TEAM, targetType: "channel", targetId: "C0HOME" }),
      ).toMatchObject({
        subscribedBy: OTHER,
      });
    });

    it("never subscribes another person's DM named in the value", async () => {
      const forged = JSON.stringify({ w: 1, t: "09:00", c: `D${OWNER}` });
      const reply = await click("subscribe_channel", forged, OTHER, `D${OTHER}`);
      expect(String(reply.text)).toContain("can't post in this channel");
      expect(await store.listSubscriptionsForUser(TEAM, OTHER)).toEqual([]);
      expect(
        await store.findSubscription({ teamId: TEAM, targetType: "channel", targetId: `D${OWNER}` }),
      ).toBeUndefined();
    });
  });

  describe("answers and notes check ownership of the delivery (item 2)", () => {
    it("refuses an answer to someone else's prompt privately and stores nothing", async () => {
      const delivery = await deliveryFor("user", OWNER);
      const reply = await click("prompt_answer_ic", delivery.id, OTHER, `D${OTHER}`);
      expect(reply.response_type).toBe("ephemeral");
      expect(String(reply.text)).toContain("isn't yours");
      expect(await store.getAnswer(delivery.id, OTHER)).toBeUndefined();
      expect(t.fake.callsTo("chat.update")).toEqual([]);
    });

    it("refuses an answer to a channel's prompt clicked from another channel", async () => {
      const delivery = await deliveryFor("channel", "C0TEAM");
      const reply = await click("prompt_answer_wide", delivery.id, OTHER, "C0ELSEWHERE");
      expect(String(reply.text)).toContain("isn't yours");
      expect(await store.getAnswer(delivery.id, OTHER)).toBeUndefined();
    });

    it("accepts the owner's own answer (control)", async () => {
      const delivery = await deliveryFor("user", OWNER);
      await sendAction(t.target, {
        actions: [{ action_id: "prompt_answer_ic", value: delivery.id }],
        user: { id: OWNER },
        channel: { id: `D${OWNER}`, name: "" },
        response_url: t.fake.responseUrl("owner"),
      });
      await t.fake.waitForCall("views.publish");
      expect(await store.getAnswer(delivery.id, OWNER)).toMatchObject({ choice: "ic" });
    });

    it("refuses to open a note on someone else's prompt", async () => {
      const delivery = await deliveryFor("user", OWNER);
      const reply = await click("prompt_add_note", delivery.id, OTHER, `D${OTHER}`);
      expect(String(reply.text)).toContain("isn't yours");
      expect(t.fake.callsTo("views.open")).toEqual([]);
    });

    it("refuses a note submitted for someone else's prompt and stores nothing", async () => {
      const delivery = await deliveryFor("user", OWNER);
      await store.recordAnswer({
        deliveryId: delivery.id,
        teamId: TEAM,
        userId: OWNER,
        choice: "ic",
        now: new Date(),
      });
      // OTHER also has an answer row for it (as an older version could store): the note must still be refused.
      await store.recordAnswer({
        deliveryId: delivery.id,
        teamId: TEAM,
        userId: OTHER,
        choice: "ic",
        now: new Date(),
      });
      const response = await sendViewSubmission(t.target, {
        callback_id: "prompt_note",
        private_metadata: delivery.id,
        user: { id: OTHER },
        values: { note: { note: { type: "plain_text_input", value: "forged note" } } },
      });
      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({ response_action: "errors" });
      expect((await store.getAnswer(delivery.id, OTHER))?.note).toBeNull();
      expect((await store.getAnswer(delivery.id, OWNER))?.note).toBeNull();
    });
  });
});
