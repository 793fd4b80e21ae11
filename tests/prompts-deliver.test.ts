import { LogLevel, webApi } from "@slack/bolt";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Prompt } from "../src/content/prompts.js";
import { type DeliverOptions, type DeliveryReport, deliverDuePrompts } from "../src/prompts/deliver.js";
import { nextPromptAt } from "../src/prompts/schedule.js";
import { startPromptDelivery } from "../src/prompts/scheduler.js";
import { PROMPT_ANSWER_ACTIONS } from "../src/slack/views/prompt.js";
import { openStore } from "../src/store/open.js";
import type { Store, Subscription, SubscriptionTarget } from "../src/store/types.js";
import { type FakeSlack, type RecordedCall, startFakeSlack } from "../test-support/fake-slack.js";
import { RENDERERS } from "./helpers/bot.js";
import { postgresSchema, TEST_POSTGRES_URL } from "./helpers/postgres.js";

const pgUrl = TEST_POSTGRES_URL;

const TEAM = "T0DELIVER";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const WEEK = 7 * 24 * HOUR;
/** Monday 9 March 2026, 09:00 in Berlin. */
const MONDAY_9_BERLIN = new Date("2026-03-09T08:00:00Z");
const plus = (date: Date, ms: number) => new Date(date.getTime() + ms);

const PROMPTS: Prompt[] = [
  { id: "where-did-your-week-go", order: 1, level: null, text: "Where did most of your week go?" },
  { id: "who-did-you-help-grow", order: 2, level: "narrow", text: "Who did you help grow?" },
  { id: "hands-on-hours", order: 3, level: "ic", text: "How many hands-on hours?" },
];

let fake: FakeSlack;
let client: InstanceType<typeof webApi.WebClient>;

beforeAll(async () => {
  fake = await startFakeSlack();
  // As the app creates it: every 429 and error reaches the delivery code, nothing is retried inside.
  client = new webApi.WebClient("xoxb-test", {
    slackApiUrl: fake.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  });
});
afterAll(async () => {
  await fake?.close();
});

const posts = (): RecordedCall[] =>
  fake.callsTo("chat.postMessage").filter((call) => call.error === undefined);

function deliver(store: Store, now: Date, options: Partial<DeliverOptions> = {}): Promise<DeliveryReport> {
  return deliverDuePrompts({
    store,
    client,
    prompts: PROMPTS,
    now,
    instanceId: "test-a",
    ...RENDERERS,
    ...options,
  });
}

function report(counts: Partial<DeliveryReport>): DeliveryReport {
  return {
    claimed: 0,
    sent: 0,
    retried: 0,
    missed: 0,
    paused: 0,
    failed: 0,
    skipped: 0,
    errors: 0,
    summaries: 0,
    nudges: 0,
    expired: 0,
    ...counts,
  };
}

async function subscribeUser(
  store: Store,
  userId: string,
  timeZone = "Europe/Berlin",
  schedule = { weekday: 1 as const, time: "09:00" },
): Promise<Subscription> {
  fake.setUser(userId, { tz: timeZone });
  const { subscription } = await store.upsertSubscription({
    teamId: TEAM,
    targetType: "user",
    targetId: userId,
    subscribedBy: userId,
    schedule,
    timeZone,
    nextPromptAt: nextPromptAt(schedule, timeZone, new Date("2026-03-03T00:00:00Z")),
    now: new Date("2026-03-02T12:00:00Z"),
  });
  return subscription;
}

async function subscribeChannel(
  store: Store,
  channelId: string,
  subscriberZone: string,
): Promise<Subscription> {
  const schedule = { weekday: 1 as const, time: "09:00" };
  const { subscription } = await store.upsertSubscription({
    teamId: TEAM,
    targetType: "channel",
    targetId: channelId,
    subscribedBy: "U0LEAD",
    schedule,
    timeZone: subscriberZone,
    nextPromptAt: nextPromptAt(schedule, subscriberZone, new Date("2026-03-03T00:00:00Z")),
    now: new Date("2026-03-02T12:00:00Z"),
  });
  return subscription;
}

function deliverySuite(
  open: () => Promise<{ store: Store; openAnother?: () => Promise<Store>; cleanup(): Promise<void> }>,
) {
  let store: Store;
  let openAnother: (() => Promise<Store>) | undefined;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    fake.reset();
    ({ store, openAnother, cleanup } = await open());
  });
  afterEach(async () => {
    await store.close();
    await cleanup();
  });

  it("sends a due prompt once, as a DM with four answer buttons, then moves to next week", async () => {
    const subscription = await subscribeUser(store, "U1");
    expect(subscription.nextPromptAt).toEqual(MONDAY_9_BERLIN);

    // Nothing is posted before it is due; the person's zone is read ahead (zone-lookahead.ts) and
    // not asked for again when the prompt goes out.
    expect(await deliver(store, plus(MONDAY_9_BERLIN, -MINUTE))).toEqual(report({}));
    expect(fake.calls.map((call) => call.method)).toEqual(["users.info"]);

    expect(await deliver(store, MONDAY_9_BERLIN)).toEqual(report({ claimed: 1, sent: 1 }));
    const [post] = posts();
    expect(post?.args.channel).toBe("U1");
    const [delivery] = await store.listDeliveries(subscription.id);
    expect(delivery).toMatchObject({ status: "sent", channelId: "DU1", promptId: "where-did-your-week-go" });
    expect(delivery?.messageTs).toMatch(/^\d+\.\d+$/);
    const blocks = post?.args.blocks as { type: string; elements?: { action_id: string; value: string }[] }[];
    const buttons = blocks.find((block) => block.type === "actions")?.elements ?? [];
    expect(buttons.map((button) => button.action_id)).toEqual(Object.values(PROMPT_ANSWER_ACTIONS));
    expect(new Set(buttons.map((button) => button.value))).toEqual(new Set([delivery?.id]));

    expect(await deliver(store, plus(MONDAY_9_BERLIN, MINUTE))).toEqual(report({}));
    expect(posts()).toHaveLength(1);
    const moved = await store.getSubscription(subscription.id);
    expect(moved?.nextPromptAt).toEqual(plus(MONDAY_9_BERLIN, WEEK));

    expect(await deliver(store, plus(MONDAY_9_BERLIN, WEEK))).toMatchObject({ sent: 1 });
    expect((await store.listDeliveries(subscription.id)).map((d) => d.promptId)).toEqual([
      "where-did-your-week-go",
      "who-did-you-help-grow",
    ]);
  });

  it("asks who has an intended focus once a pass, and about drift only for them", async () => {
    for (let i = 0; i < 5; i++) await subscribeUser(store, `U${i}`);
    await store.setIntendedFocus(TEAM, "U3", "wide", MONDAY_9_BERLIN);
    const asked: string[] = [];
    const counting = new Proxy(store, {
      get(target, key, receiver) {
        if (key === "getIntendedFocus") {
          return (teamId: string, userId: string) => {
            asked.push(userId);
            return target.getIntendedFocus(teamId, userId);
          };
        }
        const value: unknown = Reflect.get(target, key, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    expect(await deliver(counting, MONDAY_9_BERLIN)).toMatchObject({ sent: 5 });
    expect(asked).toEqual(["U3"]);
  });

  it("sends exactly one message per subscriber when two passes run at once", async () => {
    for (let i = 0; i < 20; i++) await subscribeUser(store, `U${i}`);
    const other = openAnother ? await openAnother() : store;
    try {
      const reports = await Promise.all([
        deliver(store, MONDAY_9_BERLIN, { instanceId: "a" }),
        deliver(other, MONDAY_9_BERLIN, { instanceId: "b" }),
      ]);
      expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(20);
      expect(reports.reduce((sum, r) => sum + r.claimed, 0)).toBe(20);
      const channels = posts().map((call) => call.args.channel);
      expect(channels).toHaveLength(20);
      expect(new Set(channels).size).toBe(20);
    } finally {
      if (other !== store) await other.close();
    }
  });

  it("sends a claim left behind by a pass that died, once, after its lease", async () => {
    const subscription = await subscribeUser(store, "U1");
    let crash = true;
    const crashing = await deliver(store, MONDAY_9_BERLIN, {
      renderPrompt: () => {
        if (crash) throw new Error("process killed");
        return { text: "never", blocks: [] };
      },
    });
    crash = false;
    expect(crashing).toEqual(report({ claimed: 1, errors: 1 }));
    expect(posts()).toHaveLength(0);
    expect((await store.listDeliveries(subscription.id))[0]).toMatchObject({
      status: "claimed",
      leaseOwner: "test-a",
    });

    // Another instance, while the lease still runs, leaves it alone.
    expect(await deliver(store, plus(MONDAY_9_BERLIN, MINUTE), { instanceId: "b" })).toEqual(report({}));
    expect(posts()).toHaveLength(0);

    expect(await deliver(store, plus(MONDAY_9_BERLIN, 6 * MINUTE), { instanceId: "b" })).toEqual(
      report({ claimed: 1, sent: 1 }),
    );
    expect(await deliver(store, plus(MONDAY_9_BERLIN, 20 * MINUTE), { instanceId: "c" })).toEqual(report({}));
    expect(posts()).toHaveLength(1);
    expect((await store.listDeliveries(subscription.id))[0]).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("takes over a claim made directly before a crash", async () => {
    const subscription = await subscribeUser(store, "U1");
    const claimed = await store.claimDueDelivery({
      subscriptionId: subscription.id,
      expectedNextPromptAt: subscription.nextPromptAt,
      dueAt: subscription.nextPromptAt,
      promptId: "hands-on-hours",
      promptsUsed: ["hands-on-hours"],
      nextPromptAt: plus(subscription.nextPromptAt, WEEK),
      owner: "dead-instance",
      leaseUntil: plus(MONDAY_9_BERLIN, 5 * MINUTE),
      now: MONDAY_9_BERLIN,
    });
    expect(claimed).toBeDefined();
    expect(await deliver(store, plus(MONDAY_9_BERLIN, 5 * MINUTE))).toEqual(report({ claimed: 1, sent: 1 }));
    expect(posts()).toHaveLength(1);
    expect(String(posts()[0]?.args.text)).toContain("How many hands-on hours?");
  });

  it("waits out a 429 for Retry-After and then sends, once", async () => {
    await subscribeUser(store, "U1");
    await subscribeUser(store, "U2");
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 7 });
    const waits: number[] = [];
    const result = await deliver(store, MONDAY_9_BERLIN, {
      concurrency: 1,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(result).toEqual(report({ claimed: 2, sent: 2 }));
    // One wait of Retry-After, counted from when the 429 arrived (so a few ms may already be gone).
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(6_900);
    expect(waits[0]).toBeLessThanOrEqual(7_000);
    expect(fake.callsTo("chat.postMessage").map((call) => call.status)).toEqual([429, 200, 200]);
    expect(new Set(posts().map((call) => call.args.channel))).toEqual(new Set(["U1", "U2"]));
  });

  it("does not hold prompts back while users.info is rate limited: the stored time zone is used", async () => {
    for (let i = 0; i < 5; i++) await subscribeUser(store, `U${i}`);
    const undo = fake.failAlways("users.info", { status: 429, retryAfter: 60 });
    try {
      const waits: number[] = [];
      const result = await deliver(store, MONDAY_9_BERLIN, {
        concurrency: 1,
        sleep: async (ms) => {
          waits.push(ms);
        },
      });
      expect(result).toEqual(report({ claimed: 5, sent: 5 }));
      expect(waits).toEqual([]);
      // One lookup meets the limit; the others are not even tried while Slack holds the method back.
      expect(fake.callsTo("users.info")).toHaveLength(1);
      expect(new Set(posts().map((call) => call.args.channel)).size).toBe(5);
    } finally {
      undo();
    }
  });

  it("keeps the whole sender at Slack's pace under a rate limit: nothing lost, nothing doubled", async () => {
    for (let i = 0; i < 12; i++) await subscribeUser(store, `U${i}`);
    const undo = fake.rateLimit("chat.postMessage", 6);
    try {
      const result = await deliver(store, MONDAY_9_BERLIN, { concurrency: 8 });
      expect(result).toEqual(report({ claimed: 12, sent: 12 }));
      expect(fake.rateLimitStats("chat.postMessage").rejected).toBeGreaterThan(0);
      expect(new Set(posts().map((call) => call.args.channel)).size).toBe(12);
      expect(posts()).toHaveLength(12);
    } finally {
      undo();
    }
  });

  it("leaves a message for the next pass when Slack keeps answering 429", async () => {
    const subscription = await subscribeUser(store, "U1");
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 30, times: 3 });
    const result = await deliver(store, MONDAY_9_BERLIN, { maxRateLimitWaits: 2, sleep: async () => {} });
    expect(result).toEqual(report({ claimed: 1, retried: 1 }));
    const [delivery] = await store.listDeliveries(subscription.id);
    expect(delivery).toMatchObject({ status: "retrying", attempts: 0, lastError: "ratelimited" });
    expect(await deliver(store, plus(MONDAY_9_BERLIN, 31_000))).toEqual(report({ claimed: 1, sent: 1 }));
    expect((await store.listDeliveries(subscription.id))[0]).toMatchObject({ status: "sent", attempts: 1 });
  });

  // (account_inactive from chat.postMessage is about the bot token: see hardening-delivery.test.ts.)
  it.each([
    ["user_not_found", "user"],
    ["channel_not_found", "channel"],
    ["is_archived", "channel"],
    ["not_in_channel", "channel"],
  ] as const)("pauses the subscription on %s, with the reason, and stops sending", async (error, kind) => {
    const subscription =
      kind === "user"
        ? await subscribeUser(store, "U1")
        : await subscribeChannel(store, "C1", "Europe/Berlin");
    if (error === "is_archived") fake.setChannel("C1", { is_archived: true });
    else if (error === "not_in_channel") fake.setChannel("C1", { is_member: false });
    else fake.failNext("chat.postMessage", { error });

    expect(await deliver(store, MONDAY_9_BERLIN)).toEqual(report({ claimed: 1, paused: 1 }));
    expect(await store.getSubscription(subscription.id)).toMatchObject({ pausedReason: error });
    expect((await store.listDeliveries(subscription.id))[0]).toMatchObject({
      status: "failed",
      lastError: error,
    });

    const before = fake.calls.length;
    expect(await deliver(store, plus(MONDAY_9_BERLIN, HOUR))).toEqual(report({}));
    expect(await deliver(store, plus(MONDAY_9_BERLIN, WEEK))).toEqual(report({}));
    expect(fake.calls).toHaveLength(before);
  });

  it("pauses a subscription whose person was deactivated, without posting", async () => {
    const subscription = await subscribeUser(store, "U1");
    fake.setUser("U1", { deleted: true });
    expect(await deliver(store, MONDAY_9_BERLIN)).toEqual(report({ paused: 1 }));
    expect(await store.getSubscription(subscription.id)).toMatchObject({ pausedReason: "account_inactive" });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(0);
  });

  it("retries 5xx and network trouble on later passes with backoff, then gives up", async () => {
    const subscription = await subscribeUser(store, "U1");
    const undo = fake.failAlways("chat.postMessage", { status: 503 });
    try {
      let now = MONDAY_9_BERLIN;
      const gaps: number[] = [];
      for (let attempt = 1; attempt <= 5; attempt++) {
        expect(await deliver(store, now)).toEqual(report({ claimed: 1, retried: 1 }));
        const [delivery] = await store.listDeliveries(subscription.id);
        expect(delivery).toMatchObject({ status: "retrying", attempts: attempt, lastError: "http_503" });
        const next = delivery?.nextAttemptAt ?? now;
        gaps.push(Math.round((next.getTime() - now.getTime()) / MINUTE));
        expect(await deliver(store, plus(next, -2000))).toEqual(report({}));
        now = next;
      }
      expect(gaps).toEqual([1, 5, 15, 60, 60]);
      expect(await deliver(store, now)).toEqual(report({ claimed: 1, failed: 1 }));
      expect((await store.listDeliveries(subscription.id))[0]).toMatchObject({
        status: "failed",
        attempts: 6,
      });
      expect(await deliver(store, plus(now, 2 * HOUR))).toEqual(report({}));
      expect(fake.callsTo("chat.postMessage")).toHaveLength(6);
      expect(await store.getSubscription(subscription.id)).toMatchObject({ pausedReason: null });
    } finally {
      undo();
    }
  });

  it("delivers after a 5xx once Slack is back", async () => {
    const subscription = await subscribeUser(store, "U1");
    fake.failNext("chat.postMessage", { status: 500 });
    expect(await deliver(store, MONDAY_9_BERLIN)).toEqual(report({ claimed: 1, retried: 1 }));
    expect(await deliver(store, plus(MONDAY_9_BERLIN, MINUTE + 1000))).toEqual(
      report({ claimed: 1, sent: 1 }),
    );
    expect((await store.listDeliveries(subscription.id))[0]).toMatchObject({ status: "sent", attempts: 2 });
    expect(posts()).toHaveLength(1);
  });

  it("sends a prompt that is less than 12 hours late", async () => {
    await subscribeUser(store, "U1");
    expect(await deliver(store, plus(MONDAY_9_BERLIN, 11 * HOUR + 59 * MINUTE))).toEqual(
      report({ claimed: 1, sent: 1 }),
    );
    expect(posts()).toHaveLength(1);
  });

  it("records a prompt more than 12 hours late as missed and moves to the following week", async () => {
    const subscription = await subscribeUser(store, "U1");
    expect(await deliver(store, plus(MONDAY_9_BERLIN, 12 * HOUR + MINUTE))).toEqual(report({ missed: 1 }));
    expect(fake.callsTo("chat.postMessage")).toHaveLength(0);
    const [missed] = await store.listDeliveries(subscription.id);
    expect(missed).toMatchObject({ status: "missed", dueAt: MONDAY_9_BERLIN, promptId: null });
    expect((await store.getSubscription(subscription.id))?.nextPromptAt).toEqual(plus(MONDAY_9_BERLIN, WEEK));

    // Down for two weeks: one missed record per subscription, then back on schedule.
    const third = await subscribeUser(store, "U2");
    expect(await deliver(store, plus(MONDAY_9_BERLIN, 2 * WEEK + HOUR))).toEqual(report({ missed: 2 }));
    // Monday 30 March, 09:00 in Berlin, now summer time.
    const monday30 = new Date("2026-03-30T07:00:00Z");
    expect((await store.getSubscription(third.id))?.nextPromptAt).toEqual(monday30);
    expect(await deliver(store, monday30)).toEqual(report({ claimed: 2, sent: 2 }));
    // The missed week did not use up a prompt.
    expect((await store.listDeliveries(third.id)).at(-1)?.promptId).toBe("where-did-your-week-go");
  });

  it("records a retry that became more than 12 hours late as missed", async () => {
    const subscription = await subscribeUser(store, "U1");
    fake.failNext("chat.postMessage", { status: 502 });
    await deliver(store, MONDAY_9_BERLIN);
    expect(await deliver(store, plus(MONDAY_9_BERLIN, 13 * HOUR))).toEqual(report({ claimed: 1, missed: 1 }));
    expect((await store.listDeliveries(subscription.id))[0]).toMatchObject({ status: "missed" });
    expect(posts()).toHaveLength(0);
  });

  it("follows a person's move of time zone between deliveries", async () => {
    const subscription = await subscribeUser(store, "U1", "Europe/Berlin");
    expect(await deliver(store, MONDAY_9_BERLIN)).toMatchObject({ sent: 1 });

    fake.setUser("U1", { tz: "America/New_York" });
    const nextBerlin = plus(MONDAY_9_BERLIN, WEEK);
    expect(await deliver(store, nextBerlin)).toEqual(report({}));
    const moved = await store.getSubscription(subscription.id);
    expect(moved).toMatchObject({ timeZone: "America/New_York" });
    // Monday 16 March, 09:00 in New York (EDT).
    expect(moved?.nextPromptAt).toEqual(new Date("2026-03-16T13:00:00Z"));
    expect(await deliver(store, new Date("2026-03-16T13:00:00Z"))).toEqual(report({ claimed: 1, sent: 1 }));
    expect((await store.getSubscription(subscription.id))?.nextPromptAt).toEqual(
      new Date("2026-03-23T13:00:00Z"),
    );

    // Moving east makes this week's prompt already due: it goes out now, not as missed.
    fake.setUser("U1", { tz: "Asia/Tokyo" });
    expect(await deliver(store, new Date("2026-03-23T13:00:00Z"))).toEqual(report({ claimed: 1, sent: 1 }));
    const deliveries = await store.listDeliveries(subscription.id);
    expect(deliveries.at(-1)?.dueAt).toEqual(new Date("2026-03-23T00:00:00Z"));
    expect((await store.getSubscription(subscription.id))?.nextPromptAt).toEqual(
      new Date("2026-03-30T00:00:00Z"),
    );
    expect(posts()).toHaveLength(3);
  });

  it("reads a person's zone within the day before the prompt, and does not ask again when it is due", async () => {
    const subscription = await subscribeUser(store, "U1");
    // Two days ahead: not yet.
    expect(await deliver(store, plus(MONDAY_9_BERLIN, -48 * HOUR))).toEqual(report({}));
    expect(fake.callsTo("users.info")).toHaveLength(0);
    expect(await deliver(store, plus(MONDAY_9_BERLIN, -20 * HOUR))).toEqual(report({}));
    expect(fake.callsTo("users.info")).toHaveLength(1);
    const checkedAt = (await store.getSubscription(subscription.id))?.timeZoneCheckedAt?.getTime() ?? 0;
    expect(checkedAt - plus(MONDAY_9_BERLIN, -20 * HOUR).getTime()).toBeGreaterThanOrEqual(0);
    expect(checkedAt - plus(MONDAY_9_BERLIN, -20 * HOUR).getTime()).toBeLessThan(MINUTE);
    // Read once for this prompt: later passes of the day leave it alone.
    expect(await deliver(store, plus(MONDAY_9_BERLIN, -10 * HOUR))).toEqual(report({}));
    expect(await deliver(store, MONDAY_9_BERLIN)).toEqual(report({ claimed: 1, sent: 1 }));
    expect(fake.callsTo("users.info")).toHaveLength(1);
    // A week later the zone is read again (ahead, or, as here without a pass the day before, when due).
    expect(await deliver(store, plus(MONDAY_9_BERLIN, WEEK))).toEqual(report({ claimed: 1, sent: 1 }));
    expect(fake.callsTo("users.info")).toHaveLength(2);
  });

  it("puts the prompt at the new local time when a move east is found ahead, instead of sending it late", async () => {
    const subscription = await subscribeUser(store, "U1", "Europe/Berlin");
    fake.setUser("U1", { tz: "Asia/Tokyo" });
    expect(await deliver(store, plus(MONDAY_9_BERLIN, -20 * HOUR))).toEqual(report({}));
    // Monday 09:00 in Tokyo: eight hours before Monday 09:00 in Berlin.
    const tokyo = new Date("2026-03-09T00:00:00Z");
    expect(await store.getSubscription(subscription.id)).toMatchObject({
      timeZone: "Asia/Tokyo",
      nextPromptAt: tokyo,
    });
    expect(await deliver(store, tokyo)).toEqual(report({ claimed: 1, sent: 1 }));
    expect(fake.callsTo("users.info")).toHaveLength(1);
    expect((await store.listDeliveries(subscription.id))[0]?.dueAt).toEqual(tokyo);
  });

  it("reads zones ahead a few dozen a pass, soonest first, pausing a deactivated person, and not while Slack holds users.info back", async () => {
    for (let i = 0; i < 45; i++) await subscribeUser(store, `U${String(i).padStart(2, "0")}`);
    const gone = await subscribeUser(store, "U99", "Europe/Berlin", { weekday: 1, time: "08:00" });
    fake.setUser("U99", { deleted: true });
    expect(await deliver(store, plus(MONDAY_9_BERLIN, -20 * HOUR))).toEqual(report({ paused: 1 }));
    expect(fake.callsTo("users.info")).toHaveLength(40);
    expect(fake.callsTo("users.info")[0]?.args.user).toBe("U99");
    expect(await store.getSubscription(gone.id)).toMatchObject({ pausedReason: "account_inactive" });

    const undo = fake.failAlways("users.info", { status: 429, retryAfter: 60 });
    try {
      expect(await deliver(store, plus(MONDAY_9_BERLIN, -19 * HOUR))).toEqual(report({}));
      expect(fake.callsTo("users.info")).toHaveLength(41);
    } finally {
      undo();
    }
    expect(await deliver(store, plus(MONDAY_9_BERLIN, -18 * HOUR))).toEqual(report({}));
    expect(fake.callsTo("users.info").filter((call) => call.status === 200)).toHaveLength(46);
    expect(await deliver(store, MONDAY_9_BERLIN)).toEqual(report({ claimed: 45, sent: 45 }));
    expect(fake.callsTo("users.info").filter((call) => call.status === 200)).toHaveLength(46);
  });

  it("keeps the subscriber's time zone for a channel, without asking Slack", async () => {
    const subscription = await subscribeChannel(store, "C1", "Asia/Kolkata");
    expect(subscription.nextPromptAt).toEqual(new Date("2026-03-09T03:30:00Z"));
    expect(await deliver(store, new Date("2026-03-09T03:30:00Z"))).toEqual(report({ claimed: 1, sent: 1 }));
    expect(fake.callsTo("users.info")).toHaveLength(0);
    expect(posts()[0]?.args.channel).toBe("C1");
    expect(String(posts()[0]?.args.text)).toMatch(/^Team focus reflection/);
  });

  it("skips the next prompt when asked, without using up a prompt", async () => {
    const subscription = await subscribeUser(store, "U1");
    await store.setSkipNext(subscription.id, true, plus(MONDAY_9_BERLIN, -HOUR));
    expect(await deliver(store, MONDAY_9_BERLIN)).toEqual(report({ skipped: 1 }));
    expect(await store.getSubscription(subscription.id)).toMatchObject({ skipNext: false });
    expect(await deliver(store, plus(MONDAY_9_BERLIN, WEEK))).toEqual(report({ claimed: 1, sent: 1 }));
    expect((await store.listDeliveries(subscription.id)).map((d) => [d.status, d.promptId])).toEqual([
      ["skipped", null],
      ["sent", "where-did-your-week-go"],
    ]);
  });

  it("cancels a pending retry when the person unsubscribed meanwhile", async () => {
    const subscription = await subscribeUser(store, "U1");
    fake.failNext("chat.postMessage", { status: 503 });
    await deliver(store, MONDAY_9_BERLIN);
    await store.deleteSubscription({
      teamId: TEAM,
      targetType: "user",
      targetId: "U1",
    } satisfies SubscriptionTarget);
    expect(await deliver(store, plus(MONDAY_9_BERLIN, 2 * MINUTE))).toEqual(report({ claimed: 1 }));
    expect((await store.listDeliveries(subscription.id))[0]).toMatchObject({
      status: "cancelled",
      lastError: "unsubscribed",
    });
    expect(posts()).toHaveLength(0);
  });

  it("stores the answer given with a button of the delivered prompt", async () => {
    await subscribeUser(store, "U1");
    await deliver(store, MONDAY_9_BERLIN);
    const blocks = posts()[0]?.args.blocks as { type: string; elements?: { value: string }[] }[];
    const deliveryId = blocks.find((block) => block.type === "actions")?.elements?.[0]?.value ?? "";
    const answer = await store.recordAnswer({
      deliveryId,
      teamId: TEAM,
      userId: "U1",
      choice: "wide",
      now: plus(MONDAY_9_BERLIN, HOUR),
    });
    expect(answer).toMatchObject({ choice: "wide", promptId: "where-did-your-week-go" });
  });
}

describe("prompt delivery on sqlite", () => {
  deliverySuite(async () => ({ store: await openStore(":memory:"), cleanup: async () => {} }));
});

describe.skipIf(!pgUrl)(`prompt delivery on postgres${pgUrl ? "" : " (TEST_DATABASE_URL unset)"}`, () => {
  deliverySuite(async () => {
    const schema = await postgresSchema(pgUrl ?? "");
    return {
      store: await openStore(schema.url),
      // A second pool, as a second instance of the app would have.
      openAnother: () => openStore(schema.url),
      cleanup: () => schema.drop(),
    };
  });

  it("sends exactly once with two instances racing over many subscribers and weeks", async () => {
    fake.reset();
    const schema = await postgresSchema(pgUrl ?? "");
    const [a, b] = await Promise.all([openStore(schema.url), openStore(schema.url)]);
    try {
      if (!a || !b) throw new Error("stores not opened");
      for (let i = 0; i < 60; i++) await subscribeUser(a, `U${i}`);
      for (let week = 0; week < 3; week++) {
        const now = plus(MONDAY_9_BERLIN, week * WEEK);
        const reports = await Promise.all([
          deliver(a, now, { instanceId: "a", concurrency: 8 }),
          deliver(b, now, { instanceId: "b", concurrency: 8 }),
        ]);
        expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(60);
        expect(reports.every((r) => r.errors === 0)).toBe(true);
      }
      const channels = posts().map((call) => call.args.channel);
      expect(channels).toHaveLength(180);
      for (let i = 0; i < 60; i++) expect(channels.filter((c) => c === `U${i}`)).toHaveLength(3);
    } finally {
      await a?.close();
      await b?.close();
      await schema.drop();
    }
  });
});

describe("startPromptDelivery", () => {
  it("runs passes one at a time and stops cleanly", async () => {
    fake.reset();
    const store = await openStore(":memory:");
    try {
      await subscribeUser(store, "U1");
      const reports: DeliveryReport[] = [];
      const delivery = startPromptDelivery({
        store,
        client,
        prompts: PROMPTS,
        ...RENDERERS,
        instanceId: "scheduler",
        onReport: (r) => reports.push(r),
      });
      const [first, overlapping] = await Promise.all([
        delivery.runOnce(MONDAY_9_BERLIN),
        delivery.runOnce(MONDAY_9_BERLIN),
      ]);
      expect(first).toEqual(report({ claimed: 1, sent: 1 }));
      expect(overlapping).toBeUndefined();
      expect(await delivery.runOnce(plus(MONDAY_9_BERLIN, MINUTE))).toEqual(report({}));
      expect(reports).toHaveLength(2);
      await delivery.stop();
      expect(posts()).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
