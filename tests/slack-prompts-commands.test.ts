import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROMPTS_FOLDER } from "../src/content/load.js";
import { loadPrompts } from "../src/content/prompts.js";
import { deliverDuePrompts } from "../src/prompts/deliver.js";
import { ACTIONS } from "../src/slack/views/answer.js";
import { openStore } from "../src/store/open.js";
import type { Store, Subscription } from "../src/store/types.js";
import { type RecordedCall, validateBlocks } from "../test-support/fake-slack.js";
import {
  asMessage,
  blocksOf,
  buttonsOf,
  CONTENT_DIR,
  fakeWebClient,
  type MessageBody,
  RENDERERS,
  settle,
  startTestBot,
  TEST_DATABASES,
  type TestBot,
  unsafeMarkup,
  visibleText,
} from "./helpers/bot.js";
import {
  nextTs,
  sendAction,
  sendCommand,
  sendViewSubmission,
  TEST_TEAM_ID,
} from "./helpers/slack-requests.js";

const TEAM = TEST_TEAM_ID;
const BERLIN = "Europe/Berlin";
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const PROMPTS = loadPrompts(join(CONTENT_DIR, PROMPTS_FOLDER));

/** The DM between the app and `user`, as the fake names it. */
const dm = (user: string) => `D${user}`;

/** How a time shows in `timeZone`, computed here independently of the app: "Mon 9 Mar, 09:00". */
function local(date: Date, timeZone: string): { weekday: string; date: string; time: string; text: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone,
      weekday: "short",
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  const time = `${parts.hour}:${parts.minute}`;
  return {
    weekday: String(parts.weekday),
    date: `${parts.day} ${parts.month}`,
    time,
    text: `${parts.weekday} ${parts.day} ${parts.month}, ${time} (${timeZone})`,
  };
}

/** A next prompt time: on the weekday and at the time asked, in the zone, within the coming week. */
function expectNextPrompt(
  subscription: Subscription | undefined,
  expected: { weekday: string; time: string; timeZone: string },
  after: Date,
): void {
  expect(subscription).toBeDefined();
  const next = subscription?.nextPromptAt ?? new Date(0);
  expect(local(next, expected.timeZone)).toMatchObject({ weekday: expected.weekday, time: expected.time });
  expect(next.getTime()).toBeGreaterThan(after.getTime());
  // A week, plus the hour a change from summer time adds.
  expect(next.getTime() - after.getTime()).toBeLessThanOrEqual(7 * DAY_MS + HOUR_MS);
}

describe.each(TEST_DATABASES)(
  "weekly prompt commands and buttons over the real HTTP receiver ($name)",
  ({ postgresUrl }) => {
    let t: TestBot;
    let store: Store;
    let sequence = 0;

    // A bot and database of its own per test: a delivery pass sends everything due, whoever made it.
    beforeEach(async () => {
      t = await startTestBot(postgresUrl ? { postgresUrl } : {});
      store = await openStore(t.databasePath);
    });
    afterEach(async () => {
      await store?.close();
      await t?.stop();
    });

    const mine = (user: string) =>
      store.findSubscription({ teamId: TEAM, targetType: "user", targetId: user });
    const channelSubscription = (channel: string) =>
      store.findSubscription({ teamId: TEAM, targetType: "channel", targetId: channel });

    /** `/em-focus <text>`: acknowledged at once and empty, then answered through the response_url. */
    async function command(text: string, user: string, channel = dm(user)): Promise<MessageBody> {
      sequence += 1;
      const id = `command-${sequence}`;
      const response = await sendCommand(t.target, {
        text,
        user_id: user,
        channel_id: channel,
        channel_name: channel.startsWith("D") ? "directmessage" : "team-leads",
        response_url: t.fake.responseUrl(id),
      });
      expect(response.status).toBe(200);
      expect(response.text).toBe("");
      const posted = asMessage((await t.fake.waitForResponse((r) => r.id === id)).body);
      expect(posted.response_type).toBe("ephemeral");
      if (posted.blocks !== undefined) expect(validateBlocks(posted.blocks, 50)).toEqual([]);
      return posted;
    }

    /** Clicks a button of a message the app sent through a response_url; returns what came back. */
    async function click(message: unknown, actionId: string, user: string, channel: string) {
      const button = buttonsOf(message).find((b) => b.action_id === actionId);
      if (!button) throw new Error(`no ${actionId} button in ${JSON.stringify(message).slice(0, 400)}`);
      sequence += 1;
      const id = `click-${sequence}`;
      const response = await sendAction(t.target, {
        actions: [{ action_id: actionId, block_id: button.block_id || undefined, value: button.value }],
        user: { id: user },
        channel: { id: channel, name: channel.startsWith("D") ? "directmessage" : "team-leads" },
        container: { type: "message", message_ts: nextTs(), channel_id: channel, is_ephemeral: true },
        response_url: t.fake.responseUrl(id),
      });
      expect(response.status).toBe(200);
      return asMessage((await t.fake.waitForResponse((r) => r.id === id)).body);
    }

    /** A click on a button of the App Home tab (no channel, no response_url). */
    async function clickHome(actionId: string, user: string, triggerId = `trigger-${++sequence}`) {
      const response = await sendAction(t.target, {
        actions: [{ action_id: actionId }],
        user: { id: user },
        view: { id: `VHOME${user}`, type: "home" },
        trigger_id: triggerId,
      });
      expect(response.status).toBe(200);
      expect(response.text).toBe("");
    }

    /** Waits for the next call to `method` made after this was called. */
    function nextCall(method: string, predicate: (call: RecordedCall) => boolean = () => true) {
      const earlier = new Set(t.fake.callsTo(method));
      return () => t.fake.waitForCall(method, (call) => !earlier.has(call) && predicate(call));
    }

    const homeBlocks = (call: RecordedCall) => blocksOf((call.args as { view: unknown }).view);

    function deliverAt(now: Date) {
      return deliverDuePrompts({
        store,
        client: fakeWebClient(t.fake),
        prompts: PROMPTS,
        ...RENDERERS,
        now,
        instanceId: "test-pass",
      });
    }

    describe("/em-focus subscribe in a direct message", () => {
      it("subscribes for Monday 09:00 in the time zone Slack gives for the person", async () => {
        const user = "U0DMSUB";
        t.fake.setUser(user, { tz: BERLIN });
        const before = new Date();
        const reply = await command("subscribe", user);

        const subscription = await mine(user);
        expect(subscription).toMatchObject({
          teamId: TEAM,
          targetType: "user",
          targetId: user,
          subscribedBy: user,
          schedule: { weekday: 1, time: "09:00" },
          timeZone: BERLIN,
          skipNext: false,
          pausedReason: null,
        });
        expectNextPrompt(subscription, { weekday: "Mon", time: "09:00", timeZone: BERLIN }, before);
        const first = local(subscription?.nextPromptAt ?? new Date(0), BERLIN);

        const text = visibleText(reply);
        expect(text).toContain("Subscribed: a reflection prompt every *Monday 09:00* your time.");
        expect(text).toContain(`First one: ${first.text}.`);
        expect(text).toContain("`/em-focus status`");
        expect(unsafeMarkup(reply)).toEqual([]);
        expect(t.fake.callsTo("users.info").map((call) => call.args.user)).toEqual([user]);
        // Nothing is posted in the person's name or to the channel: the reply is private.
        expect(t.fake.callsTo("chat.postMessage")).toEqual([]);
      });

      it("changes the day and time with “subscribe fri 4pm”, keeping one subscription", async () => {
        const user = "U0CHANGE";
        t.fake.setUser(user, { tz: BERLIN });
        await command("subscribe", user);
        const created = await mine(user);

        const before = new Date();
        const reply = await command("subscribe fri 4pm", user);
        const changed = await mine(user);
        expect(changed?.id).toBe(created?.id);
        expect(changed).toMatchObject({ schedule: { weekday: 5, time: "16:00" }, timeZone: BERLIN });
        expectNextPrompt(changed, { weekday: "Fri", time: "16:00", timeZone: BERLIN }, before);
        const text = visibleText(reply);
        expect(text).toContain("Updated: a reflection prompt every *Friday 16:00* your time.");
        expect(text).toContain(`First one: ${local(changed?.nextPromptAt ?? new Date(0), BERLIN).text}.`);
        expect(await store.listSubscriptionsForUser(TEAM, user)).toHaveLength(1);
      });

      it("explains a time it cannot read, with an example, and stores nothing", async () => {
        const user = "U0BADTIME";
        t.fake.setUser(user, { tz: BERLIN });
        const reply = await command("subscribe mon 25:00", user);
        const text = String(reply.text);
        expect(text).toContain("The hour must be 0–23 (got 25).");
        expect(text).toContain("`/em-focus subscribe tue 9:30`");
        expect(visibleText(reply)).toContain("`/em-focus subscribe tue 9:30`");
        expect(await mine(user)).toBeUndefined();
        expect(t.fake.callsTo("users.info")).toEqual([]);
      });

      it("keeps an existing subscription unchanged when the new time is wrong", async () => {
        const user = "U0KEEP";
        t.fake.setUser(user, { tz: BERLIN });
        await command("subscribe tue 9:30", user);
        const before = await mine(user);
        const reply = await command("subscribe tue 9", user);
        expect(String(reply.text)).toContain("could be morning or evening");
        expect(await mine(user)).toEqual(before);
      });

      it.each([
        { name: "users.info fails", tz: BERLIN, fails: true },
        { name: "Slack gives a zone it does not know", tz: "Mars/Olympus_Mons", fails: false },
      ])("falls back to UTC when $name", async ({ tz, fails }) => {
        const user = "U0NOZONE";
        t.fake.setUser(user, { tz });
        if (fails) t.fake.failNext("users.info", { error: "user_not_found" });
        const before = new Date();
        const reply = await command("subscribe wed 8am", user);
        const subscription = await mine(user);
        expect(subscription).toMatchObject({ schedule: { weekday: 3, time: "08:00" }, timeZone: "UTC" });
        expectNextPrompt(subscription, { weekday: "Wed", time: "08:00", timeZone: "UTC" }, before);
        expect(visibleText(reply)).toContain(
          `First one: ${local(subscription?.nextPromptAt ?? new Date(0), "UTC").text}.`,
        );
      });
    });

    describe("/em-focus subscribe in a channel", () => {
      const CHANNEL = "C0LEADS";
      const LEAD = "U0LEAD";

      /** The confirmation for `subscribe tue 10:30` typed in the channel. */
      async function confirmation(): Promise<MessageBody> {
        t.fake.setUser(LEAD, { tz: BERLIN });
        const reply = await command("subscribe tue 10:30", LEAD, CHANNEL);
        expect(visibleText(reply)).toContain(
          "Weekly reflection prompts every *Tuesday 10:30*. Where should they go?",
        );
        expect(buttonsOf(reply).map((b) => b.action_id)).toEqual([
          "subscribe_me",
          "subscribe_channel",
          "subscription_cancel",
        ]);
        const [me, channel] = buttonsOf(reply);
        expect(JSON.parse(me?.value ?? "")).toEqual({ w: 2, t: "10:30" });
        expect(channel?.value).toBe(me?.value);
        // Asking is not subscribing.
        expect(await store.listSubscriptionsForUser(TEAM, LEAD)).toEqual([]);
        return reply;
      }

      it("asks where the prompts should go, with two buttons and Cancel", async () => {
        const reply = await confirmation();
        expect(reply.replace_original).toBeUndefined();
        expect(t.fake.callsTo("users.info")).toEqual([]);
      });

      it("“To me, privately” subscribes the person who clicked, in their time zone", async () => {
        const reply = await confirmation();
        const before = new Date();
        const done = await click(reply, "subscribe_me", LEAD, CHANNEL);
        expect(done.replace_original).toBe(true);
        const subscription = await mine(LEAD);
        expect(subscription).toMatchObject({
          subscribedBy: LEAD,
          schedule: { weekday: 2, time: "10:30" },
          timeZone: BERLIN,
        });
        expectNextPrompt(subscription, { weekday: "Tue", time: "10:30", timeZone: BERLIN }, before);
        expect(String(done.text)).toBe(
          `Subscribed you: a reflection prompt every *Tuesday 10:30* (${BERLIN}). First one: ${local(subscription?.nextPromptAt ?? new Date(0), BERLIN).text}.`,
        );
        expect(await channelSubscription(CHANNEL)).toBeUndefined();
      });

      it("“To this channel” subscribes the channel when the bot is a member", async () => {
        const reply = await confirmation();
        t.fake.setChannel(CHANNEL, { is_member: true, name: "team-leads" });
        const done = await click(reply, "subscribe_channel", LEAD, CHANNEL);
        expect(done.replace_original).toBe(true);
        expect(t.fake.callsTo("conversations.info").map((call) => call.args.channel)).toEqual([CHANNEL]);
        const subscription = await channelSubscription(CHANNEL);
        expect(subscription).toMatchObject({
          targetType: "channel",
          targetId: CHANNEL,
          subscribedBy: LEAD,
          schedule: { weekday: 2, time: "10:30" },
          // The channel's prompts follow the clock of whoever subscribed it.
          timeZone: BERLIN,
        });
        expect(String(done.text)).toContain(
          `Subscribed <#${CHANNEL}>: a reflection prompt every *Tuesday 10:30*`,
        );
        expect(await mine(LEAD)).toBeUndefined();
      });

      it.each([
        { name: "not a member", channel: { is_member: false } },
        { name: "archived", channel: { is_member: true, is_archived: true } },
      ])(
        "“To this channel” asks to be invited, and stores nothing, when the bot is $name",
        async ({ channel }) => {
          const reply = await confirmation();
          t.fake.setChannel(CHANNEL, channel);
          const done = await click(reply, "subscribe_channel", LEAD, CHANNEL);
          expect(done.replace_original).toBe(true);
          expect(String(done.text)).toContain("Invite me with `/invite @em-focus`");
          expect(await channelSubscription(CHANNEL)).toBeUndefined();
          expect(await mine(LEAD)).toBeUndefined();
        },
      );

      it("“To this channel” asks to be invited when Slack does not show the channel at all", async () => {
        const reply = await confirmation();
        t.fake.failNext("conversations.info", { error: "channel_not_found" });
        const done = await click(reply, "subscribe_channel", LEAD, CHANNEL);
        expect(String(done.text)).toContain("Invite me");
        expect(await channelSubscription(CHANNEL)).toBeUndefined();
      });

      it("Cancel deletes the confirmation and stores nothing", async () => {
        const reply = await confirmation();
        const done = await click(reply, "subscription_cancel", LEAD, CHANNEL);
        expect(done).toEqual({ delete_original: true });
        expect(await store.listSubscriptionsForUser(TEAM, LEAD)).toEqual([]);
      });

      it("says a button with a broken value is out of date, without subscribing", async () => {
        sequence += 1;
        const id = `stale-${sequence}`;
        await sendAction(t.target, {
          actions: [{ action_id: "subscribe_me", value: JSON.stringify({ w: 9, t: "25:00" }) }],
          user: { id: LEAD },
          channel: { id: CHANNEL, name: "team-leads" },
          response_url: t.fake.responseUrl(id),
        });
        const done = await t.fake.waitForResponse((r) => r.id === id);
        expect(String(done.body.text)).toContain("out of date");
        expect(await mine(LEAD)).toBeUndefined();
      });
    });

    describe("status, skip and unsubscribe", () => {
      it("status lists the subscription with its next time and zone; skip marks it; unsubscribe ends it", async () => {
        const user = "U0STATUS";
        t.fake.setUser(user, { tz: BERLIN });
        await command("subscribe thu 7:15", user);
        const subscription = await mine(user);
        const next = local(subscription?.nextPromptAt ?? new Date(0), BERLIN).text;

        const status = await command("status", user);
        expect(String(status.text)).toBe(
          `*Your weekly reflection prompts*\n• you, by direct message — every Thursday 07:15; next: ${next}`,
        );

        const skip = await command("skip", user);
        expect(String(skip.text)).toBe(
          `The next prompt for you, by direct message (${next}) will be skipped.`,
        );
        expect(await mine(user)).toMatchObject({ skipNext: true, nextPromptAt: subscription?.nextPromptAt });
        expect(String((await command("status", user)).text)).toContain(`next: ${next} — *will be skipped*`);

        const stop = await command("unsubscribe", user);
        expect(String(stop.text)).toContain("Stopped the weekly prompts for you, by direct message.");
        expect(await mine(user)).toBeUndefined();

        const after = await command("status", user);
        expect(String(after.text)).toContain("You have no weekly reflection prompts.");
        expect(String(after.text)).toContain("`/em-focus subscribe mon 9am`");
      });

      it("a skipped prompt is recorded as skipped at its time, not sent, and the next one is not", async () => {
        const user = "U0SKIPPER";
        t.fake.setUser(user, { tz: BERLIN });
        await command("subscribe", user);
        await command("skip", user);
        const subscription = await mine(user);
        const dueAt = subscription?.nextPromptAt ?? new Date(0);

        const report = await deliverAt(dueAt);
        expect(report).toMatchObject({ claimed: 0, sent: 0, skipped: 1, errors: 0 });
        expect(t.fake.callsTo("chat.postMessage")).toEqual([]);
        const deliveries = await store.listDeliveries(subscription?.id ?? "");
        expect(deliveries).toHaveLength(1);
        expect(deliveries[0]).toMatchObject({ status: "skipped", dueAt, promptId: null, messageTs: null });

        // Only that one: the week after is sent again.
        const moved = await mine(user);
        expect(moved?.skipNext).toBe(false);
        expectNextPrompt(moved, { weekday: "Mon", time: "09:00", timeZone: BERLIN }, dueAt);
        const nextWeek = await deliverAt(moved?.nextPromptAt ?? new Date(0));
        expect(nextWeek).toMatchObject({ sent: 1, skipped: 0 });
        expect(t.fake.callsTo("chat.postMessage")).toHaveLength(1);
      });

      it("skip and unsubscribe without a subscription say there is nothing to change", async () => {
        const user = "U0NOTHING";
        for (const text of ["skip", "unsubscribe", "stop"]) {
          const reply = await command(text, user);
          expect(String(reply.text)).toContain("There is no weekly prompt to change here.");
        }
      });

      it("in a channel with its own subscription, skip and unsubscribe are about the channel", async () => {
        const lead = "U0CHLEAD";
        const channel = "C0TEAMSUB";
        t.fake.setUser(lead, { tz: BERLIN });
        await command("subscribe", lead);
        const confirm = await command("subscribe wed 11:00", lead, channel);
        await click(confirm, "subscribe_channel", lead, channel);
        const channelNext = local(
          (await channelSubscription(channel))?.nextPromptAt ?? new Date(0),
          BERLIN,
        ).text;

        const status = await command("status", lead, channel);
        expect(String(status.text)).toContain(
          `• <#${channel}> — every Wednesday 11:00; next: ${channelNext}`,
        );
        expect(String(status.text)).toContain("• you, by direct message — every Monday 09:00");

        const skip = await command("skip", lead, channel);
        expect(String(skip.text)).toContain(`The next prompt for <#${channel}>`);
        expect((await channelSubscription(channel))?.skipNext).toBe(true);
        expect((await mine(lead))?.skipNext).toBe(false);

        await command("unsubscribe", lead, channel);
        expect(await channelSubscription(channel)).toBeUndefined();
        expect(await mine(lead)).toBeDefined();
      });
    });

    describe("/em-focus focus with what is not a level", () => {
      it.each(["sideways", "<@U0OTHER>", "narrow\u0000wide", "x".repeat(3000)])(
        "says which levels it takes for %j and stores nothing",
        async (word) => {
          const user = "U0BADFOCUS";
          const reply = await command(`focus ${word}`, user);
          expect(String(reply.text)).toContain("/em-focus focus narrow");
          expect(String(reply.text).length).toBeLessThan(500);
          await expect(store.getIntendedFocus(TEAM, user)).resolves.toBeUndefined();
        },
      );
    });

    describe("/em-focus forget-me", () => {
      it("asks first, then deletes the person's subscription, prompts, answers and feedback and refreshes Home", async () => {
        const user = "U0FORGET";
        const other = "U0STAYS";
        for (const id of [user, other]) {
          t.fake.setUser(id, { tz: BERLIN });
          await command("subscribe", id);
        }
        // A delivered prompt with an answer, and feedback on an answer, for both people.
        const dueAt = (await mine(user))?.nextPromptAt ?? new Date(0);
        expect(await deliverAt(dueAt)).toMatchObject({ sent: 2 });
        for (const id of [user, other]) {
          const [delivery] = await store.listDeliveries((await mine(id))?.id ?? "");
          const ts = delivery?.messageTs ?? "";
          const answered = nextCall("views.publish", (call) => call.args.user_id === id);
          await sendAction(t.target, {
            actions: [{ action_id: "prompt_answer_narrow", block_id: "prompt_answer", value: delivery?.id }],
            user: { id },
            channel: { id: dm(id), name: "directmessage" },
            message: t.fake.thread(dm(id), ts)?.[0],
            container: { type: "message", message_ts: ts, channel_id: dm(id), is_ephemeral: false },
          });
          await t.fake.waitForCall("chat.update", (call) => call.args.channel === dm(id));
          await answered();
          const ask = await sendCommand(t.target, { text: "I miss coding, should I go back?", user_id: id });
          const helpful = buttonsOf(ask.json).find((b) => b.action_id === ACTIONS.helpful);
          const id2 = `feedback-${id}`;
          await sendAction(t.target, {
            actions: [{ action_id: ACTIONS.helpful, value: helpful?.value }],
            user: { id },
            response_url: t.fake.responseUrl(id2),
          });
          await t.fake.waitForResponse((r) => r.id === id2);
        }
        const userDelivery = (await store.listDeliveries((await mine(user))?.id ?? ""))[0];
        expect(await store.getAnswer(userDelivery?.id ?? "", user)).toBeDefined();

        const ask = await command("forget-me", user);
        expect(visibleText(ask)).toContain("Delete everything em-focus stores about you");
        expect(buttonsOf(ask).map((b) => b.action_id)).toEqual(["forget_me_confirm", "subscription_cancel"]);
        // Asking deletes nothing.
        expect(await mine(user)).toBeDefined();

        const home = nextCall("views.publish", (call) => call.args.user_id === user);
        const done = await click(ask, "forget_me_confirm", user, dm(user));
        expect(done.replace_original).toBe(true);
        expect(String(done.text)).toBe(
          "Done. Deleted 1 subscription(s), 1 prompt record(s), 1 answer(s) with their notes, 1 feedback record(s) and 0 intended focus.",
        );

        expect(await mine(user)).toBeUndefined();
        expect(await store.getDelivery(userDelivery?.id ?? "")).toBeUndefined();
        expect(await store.getAnswer(userDelivery?.id ?? "", user)).toBeUndefined();
        // Nothing is left to delete: the feedback went too.
        expect(await store.forgetUser(TEAM, user)).toEqual({
          subscriptions: 0,
          channelSubscriptionsAnonymised: 0,
          deliveries: 0,
          answers: 0,
          feedback: 0,
          intendedFocus: 0,
          summariesRedrawn: 0,
        });

        // Home shows the empty state again.
        const published = await home();
        const text = visibleText((published.args as { view: unknown }).view);
        expect(text).toContain("Get one short question a week");
        expect(text).not.toContain("Your last 12 weeks");
        expect(buttonsOf((published.args as { view: unknown }).view).map((b) => b.action_id)).toEqual([
          "home_schedule",
          "home_intend_narrow",
          "home_intend_wide",
          "home_intend_ic",
        ]);

        // The other person keeps everything.
        const otherSubscription = await mine(other);
        expect(otherSubscription).toBeDefined();
        const [otherDelivery] = await store.listDeliveries(otherSubscription?.id ?? "");
        expect(await store.getAnswer(otherDelivery?.id ?? "", other)).toMatchObject({ choice: "narrow" });
      });

      it("keeps a channel subscription the person set up, without their name", async () => {
        const lead = "U0LEAVING";
        const channel = "C0KEEPS";
        t.fake.setUser(lead, { tz: BERLIN });
        const confirm = await command("subscribe", lead, channel);
        await click(confirm, "subscribe_channel", lead, channel);

        const ask = await command("forget-me", lead, channel);
        const home = nextCall("views.publish", (call) => call.args.user_id === lead);
        const done = await click(ask, "forget_me_confirm", lead, channel);
        await home();
        expect(String(done.text)).toBe(
          "Done. Deleted 0 subscription(s), 0 prompt record(s), 0 answer(s) with their notes, 0 feedback record(s) and 0 intended focus; 1 channel subscription(s) you set up no longer name you.",
        );
        expect(await channelSubscription(channel)).toMatchObject({ subscribedBy: null });
      });

      it("Cancel deletes the question and nothing else", async () => {
        const user = "U0CHANGESMIND";
        await command("subscribe", user);
        const ask = await command("forget-me", user);
        expect(await click(ask, "subscription_cancel", user, dm(user))).toEqual({ delete_original: true });
        expect(await mine(user)).toBeDefined();
      });
    });

    describe("App Home buttons", () => {
      it("“Subscribe” opens the schedule modal with Monday 09:00 preselected", async () => {
        const user = "U0HOMENEW";
        await clickHome("home_schedule", user, "trigger-home-1");
        const opened = await t.fake.waitForCall("views.open");
        expect(opened.error).toBeUndefined();
        expect(opened.args.trigger_id).toBe("trigger-home-1");
        const view = opened.args.view as Record<string, unknown>;
        expect(view).toMatchObject({ type: "modal", callback_id: "schedule_modal" });
        const blocks = blocksOf(view);
        expect(blocks[0]).toMatchObject({
          type: "input",
          block_id: "weekday",
          element: { type: "static_select", action_id: "weekday", initial_option: { value: "1" } },
        });
        const select = blocks[0]?.element as
          | { options: { value: string; text: { text: string } }[] }
          | undefined;
        const options = select?.options ?? [];
        expect(options.map((o) => o.text.text)).toEqual([
          "Monday",
          "Tuesday",
          "Wednesday",
          "Thursday",
          "Friday",
          "Saturday",
          "Sunday",
        ]);
        expect(options.map((o) => o.value)).toEqual(["1", "2", "3", "4", "5", "6", "0"]);
        expect(blocks[1]).toMatchObject({
          type: "input",
          block_id: "time",
          element: { type: "timepicker", action_id: "time", initial_time: "09:00" },
        });
        expect(visibleText(view)).toContain("Currently: not subscribed");
      });

      it("“Change day and time” preselects the current schedule", async () => {
        const user = "U0HOMEOLD";
        t.fake.setUser(user, { tz: BERLIN });
        await command("subscribe fri 4pm", user);
        await clickHome("home_schedule", user);
        const view = (await t.fake.waitForCall("views.open")).args.view;
        const [weekday, time] = blocksOf(view);
        expect(weekday?.element).toMatchObject({ initial_option: { value: "5" } });
        expect(time?.element).toMatchObject({ initial_time: "16:00" });
        expect(visibleText(view)).toContain("Currently: Friday 16:00");
      });

      it("saving the modal subscribes (then changes the schedule) and republishes Home", async () => {
        const user = "U0MODAL";
        t.fake.setUser(user, { tz: BERLIN });
        const submit = async (weekday: string, label: string, time: string) => {
          const home = nextCall("views.publish", (call) => call.args.user_id === user);
          const response = await sendViewSubmission(t.target, {
            callback_id: "schedule_modal",
            user: { id: user },
            values: {
              weekday: {
                weekday: {
                  type: "static_select",
                  selected_option: { text: { type: "plain_text", text: label }, value: weekday },
                },
              },
              time: { time: { type: "timepicker", selected_time: time } },
            },
          });
          expect(response.status).toBe(200);
          // A plain ack closes the modal.
          expect(response.text).toBe("");
          return home();
        };

        const before = new Date();
        const first = await submit("3", "Wednesday", "07:45");
        const created = await mine(user);
        expect(created).toMatchObject({ schedule: { weekday: 3, time: "07:45" }, timeZone: BERLIN });
        expectNextPrompt(created, { weekday: "Wed", time: "07:45", timeZone: BERLIN }, before);
        expect(first.error).toBeUndefined();
        const firstText = visibleText((first.args as { view: unknown }).view);
        expect(firstText).toContain(
          `• you, by direct message — every Wednesday 07:45; next: ${local(created?.nextPromptAt ?? new Date(0), BERLIN).text}`,
        );
        expect(buttonsOf((first.args as { view: unknown }).view).map((b) => b.action_id)).toEqual([
          "home_schedule",
          "home_stop",
          "home_intend_narrow",
          "home_intend_wide",
          "home_intend_ic",
        ]);
        expect(firstText).toContain("Change day and time");

        const second = await submit("0", "Sunday", "18:00");
        const changed = await mine(user);
        expect(changed?.id).toBe(created?.id);
        expect(changed?.schedule).toEqual({ weekday: 0, time: "18:00" });
        expect(visibleText((second.args as { view: unknown }).view)).toContain("every Sunday 18:00");
      });

      it.each<{ name: string; values: Record<string, Record<string, unknown>> }>([
        { name: "no day", values: { time: { time: { type: "timepicker", selected_time: "09:00" } } } },
        {
          name: "no time",
          values: {
            weekday: {
              weekday: {
                type: "static_select",
                selected_option: { text: { type: "plain_text", text: "Monday" }, value: "1" },
              },
            },
            time: { time: { type: "timepicker", selected_time: null } },
          },
        },
      ])("saving the modal with $name shows an error in the modal and stores nothing", async ({ values }) => {
        const user = "U0MODALBAD";
        const response = await sendViewSubmission(t.target, {
          callback_id: "schedule_modal",
          user: { id: user },
          values,
        });
        expect(response.status).toBe(200);
        expect(response.json).toEqual({
          response_action: "errors",
          errors: { time: "Pick a day and a time." },
        });
        expect(await mine(user)).toBeUndefined();
        await settle();
        expect(t.fake.callsTo("views.publish")).toEqual([]);
      });

      it("“Stop” removes the subscription and republishes Home", async () => {
        const user = "U0HOMESTOP";
        t.fake.setUser(user, { tz: BERLIN });
        await command("subscribe", user);
        const home = nextCall("views.publish", (call) => call.args.user_id === user);
        await clickHome("home_stop", user);
        const published = await home();
        expect(await mine(user)).toBeUndefined();
        expect(buttonsOf((published.args as { view: unknown }).view).map((b) => b.action_id)).toEqual([
          "home_schedule",
          "home_intend_narrow",
          "home_intend_wide",
          "home_intend_ic",
        ]);
        expect(
          homeBlocks(published).some((b) => b.type === "header" && b.text?.text === "Weekly reflection"),
        ).toBe(true);
      });
    });

    describe("markup in what people type", () => {
      it.each([
        { name: "a DM", channel: undefined },
        { name: "a channel", channel: "C0MARKUP" },
      ])("never echoes schedule text with <!channel> unescaped, in $name", async ({ channel }) => {
        const user = "U0MARKUP";
        for (const text of [
          "subscribe <!channel>",
          "subscribe mon 9am <!here> <@U0BOSS>",
          "subscribe <https://evil.example|9am>",
        ]) {
          const reply = await command(text, user, channel ?? dm(user));
          expect(String(reply.text)).toContain("I couldn't read");
          expect(unsafeMarkup(reply, { forbiddenHosts: ["evil.example"] })).toEqual([]);
          expect(JSON.stringify(reply)).not.toContain("<!");
        }
        expect(await store.listSubscriptionsForUser(TEAM, user)).toEqual([]);
      });
    });
  },
);
