import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../src/store/open.js";
import type { Store, Subscription, SubscriptionTarget } from "../src/store/types.js";
import { postgresSchema, TEST_POSTGRES_URL } from "./helpers/postgres.js";

const pgUrl = TEST_POSTGRES_URL;

const TEAM = "T0STORE";
const MONDAY_9_BERLIN = new Date("2026-03-09T08:00:00.000Z");
const WEEK = 7 * 24 * 60 * 60 * 1000;
const at = (iso: string) => new Date(iso);
const plus = (date: Date, ms: number) => new Date(date.getTime() + ms);

function userTarget(userId: string): SubscriptionTarget {
  return { teamId: TEAM, targetType: "user", targetId: userId };
}

async function subscribe(
  store: Store,
  target: SubscriptionTarget,
  nextPromptAt = MONDAY_9_BERLIN,
  subscribedBy = target.targetId,
): Promise<Subscription> {
  const { subscription } = await store.upsertSubscription({
    ...target,
    subscribedBy,
    schedule: { weekday: 1, time: "09:00" },
    timeZone: "Europe/Berlin",
    nextPromptAt,
    now: at("2026-03-01T12:00:00Z"),
  });
  return subscription;
}

async function claim(store: Store, subscription: Subscription, owner = "instance-a", now = MONDAY_9_BERLIN) {
  return store.claimDueDelivery({
    subscriptionId: subscription.id,
    expectedNextPromptAt: subscription.nextPromptAt,
    dueAt: subscription.nextPromptAt,
    promptId: "01-where",
    promptsUsed: ["01-where"],
    nextPromptAt: plus(subscription.nextPromptAt, WEEK),
    owner,
    leaseUntil: plus(now, 5 * 60_000),
    now,
  });
}

function storeSuite(
  open: () => Promise<{ store: Store; reopen?: () => Promise<Store>; cleanup(): Promise<void> }>,
) {
  let store: Store;
  let reopen: (() => Promise<Store>) | undefined;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ store, reopen, cleanup } = await open());
  });
  afterEach(async () => {
    await store.close();
    await cleanup();
  });

  it("reports health with its dialect", async () => {
    const health = await store.health();
    expect(health.ok).toBe(true);
    expect(health.dialect).toBe(store.dialect);
  });

  it("runs migrations once: opening the same database again keeps the data", async () => {
    if (!reopen) return;
    await subscribe(store, userTarget("U1"));
    const again = await reopen();
    try {
      expect(await again.findSubscription(userTarget("U1"))).toBeDefined();
    } finally {
      await again.close();
    }
  });

  it("upserts a subscription by target and keeps millisecond timestamps", async () => {
    const precise = at("2026-03-09T08:00:00.123Z");
    const first = await store.upsertSubscription({
      ...userTarget("U1"),
      subscribedBy: "U1",
      schedule: { weekday: 1, time: "09:00" },
      timeZone: "Europe/Berlin",
      nextPromptAt: precise,
      now: at("2026-03-01T12:00:00Z"),
    });
    expect(first.created).toBe(true);
    expect(first.subscription).toMatchObject({
      teamId: TEAM,
      targetType: "user",
      targetId: "U1",
      schedule: { weekday: 1, time: "09:00" },
      timeZone: "Europe/Berlin",
      skipNext: false,
      pausedReason: null,
      promptsUsed: [],
    });
    expect(first.subscription.nextPromptAt.toISOString()).toBe("2026-03-09T08:00:00.123Z");

    await store.setSkipNext(first.subscription.id, true, at("2026-03-02T00:00:00Z"));
    await store.pauseSubscription(first.subscription.id, "account_inactive", at("2026-03-02T00:00:00Z"));
    const second = await store.upsertSubscription({
      ...userTarget("U1"),
      subscribedBy: "U1",
      schedule: { weekday: 2, time: "09:30" },
      timeZone: "America/New_York",
      nextPromptAt: at("2026-03-10T13:30:00Z"),
      now: at("2026-03-03T12:00:00Z"),
    });
    expect(second.created).toBe(false);
    expect(second.subscription).toMatchObject({
      id: first.subscription.id,
      schedule: { weekday: 2, time: "09:30" },
      timeZone: "America/New_York",
      skipNext: false,
      pausedReason: null,
    });
    expect(await store.getSubscription(first.subscription.id)).toEqual(second.subscription);
  });

  it("lists a person's own and channel subscriptions for status", async () => {
    await subscribe(store, userTarget("U1"));
    await subscribe(store, { teamId: TEAM, targetType: "channel", targetId: "C1" }, MONDAY_9_BERLIN, "U1");
    await subscribe(store, { teamId: TEAM, targetType: "channel", targetId: "C2" }, MONDAY_9_BERLIN, "U2");
    await subscribe(store, userTarget("U2"));
    const mine = await store.listSubscriptionsForUser(TEAM, "U1");
    expect(mine.map((s) => s.targetId).sort()).toEqual(["C1", "U1"]);
  });

  it("lists due, unpaused subscriptions in pages", async () => {
    const due: Subscription[] = [];
    for (let i = 0; i < 5; i++)
      due.push(await subscribe(store, userTarget(`U${i}`), plus(MONDAY_9_BERLIN, -i)));
    await subscribe(store, userTarget("Ulater"), plus(MONDAY_9_BERLIN, 1));
    const paused = await subscribe(store, userTarget("Upaused"));
    await store.pauseSubscription(paused.id, "user_not_found", MONDAY_9_BERLIN);

    const first = await store.listDueSubscriptions(MONDAY_9_BERLIN, { limit: 3 });
    const last = first.at(-1);
    expect(last).toBeDefined();
    const second = await store.listDueSubscriptions(MONDAY_9_BERLIN, {
      limit: 3,
      after: { nextPromptAt: last?.nextPromptAt ?? MONDAY_9_BERLIN, id: last?.id ?? "" },
    });
    expect([...first, ...second].map((s) => s.targetId)).toEqual(["U4", "U3", "U2", "U1", "U0"]);

    expect(await store.resumeSubscription(paused.id, MONDAY_9_BERLIN, MONDAY_9_BERLIN)).toBe(true);
    expect(
      (await store.listDueSubscriptions(MONDAY_9_BERLIN, { limit: 10 })).map((s) => s.targetId),
    ).toContain("Upaused");
  });

  it("claims a delivery once and moves the subscription on in the same step", async () => {
    const subscription = await subscribe(store, userTarget("U1"));
    const delivery = await claim(store, subscription);
    expect(delivery).toMatchObject({
      subscriptionId: subscription.id,
      targetType: "user",
      targetId: "U1",
      promptId: "01-where",
      status: "claimed",
      attempts: 1,
      leaseOwner: "instance-a",
    });
    expect(delivery?.dueAt.toISOString()).toBe(MONDAY_9_BERLIN.toISOString());
    const moved = await store.getSubscription(subscription.id);
    expect(moved?.nextPromptAt.toISOString()).toBe(plus(MONDAY_9_BERLIN, WEEK).toISOString());
    expect(moved?.promptsUsed).toEqual(["01-where"]);

    expect(await claim(store, subscription, "instance-b")).toBeUndefined();
    expect(await store.listDeliveries(subscription.id)).toHaveLength(1);

    // Pointed back at a due time that was already handled, the subscription is moved on, not stuck.
    await store.resumeSubscription(subscription.id, MONDAY_9_BERLIN, MONDAY_9_BERLIN);
    const stale = await store.getSubscription(subscription.id);
    if (!stale) throw new Error("subscription vanished");
    expect(await claim(store, stale, "instance-b")).toBeUndefined();
    expect((await store.getSubscription(subscription.id))?.nextPromptAt).toEqual(plus(MONDAY_9_BERLIN, WEEK));
    expect(await store.listDeliveries(subscription.id)).toHaveLength(1);
  });

  it("lets exactly one of many concurrent claims win", async () => {
    const subscription = await subscribe(store, userTarget("U1"));
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => claim(store, subscription, `i${i}`)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.listDeliveries(subscription.id)).toHaveLength(1);
  });

  it("claims a batch in one go: each prompt still due once, the moved, paused and taken ones not", async () => {
    const subs = await Promise.all(
      ["U1", "U2", "U3", "U4", "U5"].map((u) => subscribe(store, userTarget(u))),
    );
    const [due, moved, paused, taken, alsoDue] = subs as [
      Subscription,
      Subscription,
      Subscription,
      Subscription,
      Subscription,
    ];
    await store.rescheduleSubscription(moved.id, {
      expectedNextPromptAt: MONDAY_9_BERLIN,
      nextPromptAt: plus(MONDAY_9_BERLIN, 60_000),
      timeZone: "Europe/Berlin",
      now: MONDAY_9_BERLIN,
    });
    await store.pauseSubscription(paused.id, "channel_not_found", MONDAY_9_BERLIN);
    expect(await claim(store, taken, "instance-b")).toBeDefined();
    const input = (subscription: Subscription, owner: string) => ({
      subscriptionId: subscription.id,
      expectedNextPromptAt: MONDAY_9_BERLIN,
      dueAt: MONDAY_9_BERLIN,
      promptId: "01-where",
      promptsUsed: ["01-where"],
      nextPromptAt: plus(MONDAY_9_BERLIN, WEEK),
      owner,
      leaseUntil: plus(MONDAY_9_BERLIN, 5 * 60_000),
      now: MONDAY_9_BERLIN,
    });
    // Two instances at once, each with the whole batch: every prompt is claimed by one of them only.
    const [a, b] = await Promise.all(
      ["instance-a", "instance-c"].map((owner) => store.claimDueDeliveries(subs.map((s) => input(s, owner)))),
    );
    for (const [i, subscription] of subs.entries()) {
      const winners = [a?.[i], b?.[i]].filter(Boolean);
      expect(winners, subscription.targetId).toHaveLength(
        subscription === due || subscription === alsoDue ? 1 : 0,
      );
    }
    const claimed = [...(a ?? []), ...(b ?? [])].filter((d) => d !== undefined);
    expect(claimed.map((d) => [d.targetId, d.status, d.attempts, d.promptId]).sort()).toEqual([
      ["U1", "claimed", 1, "01-where"],
      ["U5", "claimed", 1, "01-where"],
    ]);
    for (const subscription of [due, alsoDue]) {
      expect(await store.listDeliveries(subscription.id)).toHaveLength(1);
      expect(await store.getSubscription(subscription.id)).toMatchObject({
        nextPromptAt: plus(MONDAY_9_BERLIN, WEEK),
        promptsUsed: ["01-where"],
      });
    }
    expect(await store.listDeliveries(moved.id)).toEqual([]);
    expect(await store.listDeliveries(paused.id)).toEqual([]);
    expect(await store.listDeliveries(taken.id)).toHaveLength(1);
  });

  it("refuses a claim when the subscription moved since it was read, leaving no row behind", async () => {
    const subscription = await subscribe(store, userTarget("U1"));
    const later = plus(MONDAY_9_BERLIN, 6 * 60 * 60_000);
    expect(
      await store.rescheduleSubscription(subscription.id, {
        expectedNextPromptAt: MONDAY_9_BERLIN,
        nextPromptAt: later,
        timeZone: "America/New_York",
        now: MONDAY_9_BERLIN,
      }),
    ).toBe(true);
    expect(await claim(store, subscription)).toBeUndefined();
    expect(await store.listDeliveries(subscription.id)).toEqual([]);
    expect(
      await store.rescheduleSubscription(subscription.id, {
        expectedNextPromptAt: MONDAY_9_BERLIN,
        nextPromptAt: later,
        timeZone: "Asia/Tokyo",
        now: MONDAY_9_BERLIN,
      }),
    ).toBe(false);
  });

  it("records skipped and missed prompts without a message and moves on", async () => {
    const subscription = await subscribe(store, userTarget("U1"));
    await store.setSkipNext(subscription.id, true, MONDAY_9_BERLIN);
    const input = {
      subscriptionId: subscription.id,
      expectedNextPromptAt: MONDAY_9_BERLIN,
      dueAt: MONDAY_9_BERLIN,
      status: "skipped" as const,
      nextPromptAt: plus(MONDAY_9_BERLIN, WEEK),
      now: MONDAY_9_BERLIN,
    };
    expect(await store.recordUnsentDelivery(input)).toBe(true);
    expect(await store.recordUnsentDelivery(input)).toBe(false);
    const skipped = await store.getSubscription(subscription.id);
    expect(skipped).toMatchObject({ skipNext: false });
    expect(skipped?.nextPromptAt.getTime()).toBe(plus(MONDAY_9_BERLIN, WEEK).getTime());

    expect(
      await store.recordUnsentDelivery({
        ...input,
        status: "missed",
        expectedNextPromptAt: plus(MONDAY_9_BERLIN, WEEK),
        dueAt: plus(MONDAY_9_BERLIN, WEEK),
        nextPromptAt: plus(MONDAY_9_BERLIN, 2 * WEEK),
      }),
    ).toBe(true);
    const deliveries = await store.listDeliveries(subscription.id);
    expect(deliveries.map((d) => [d.status, d.promptId])).toEqual([
      ["skipped", null],
      ["missed", null],
    ]);
  });

  it("hands a failed delivery back for retry at its time, to one pass only", async () => {
    const subscription = await subscribe(store, userTarget("U1"));
    const delivery = await claim(store, subscription);
    if (!delivery) throw new Error("claim failed");
    const retryAt = plus(MONDAY_9_BERLIN, 60_000);
    expect(
      await store.markDeliveryRetrying(delivery.id, {
        owner: "someone-else",
        error: "http_503",
        nextAttemptAt: retryAt,
        now: MONDAY_9_BERLIN,
      }),
    ).toBe(false);
    expect(
      await store.markDeliveryRetrying(delivery.id, {
        owner: "instance-a",
        error: "http_503",
        nextAttemptAt: retryAt,
        now: MONDAY_9_BERLIN,
      }),
    ).toBe(true);
    expect(await store.listRetryableDeliveries(plus(retryAt, -1), 10)).toEqual([]);
    const retryable = await store.listRetryableDeliveries(retryAt, 10);
    expect(retryable.map((d) => [d.id, d.status, d.lastError])).toEqual([
      [delivery.id, "retrying", "http_503"],
    ]);

    const lease = (owner: string) => ({ owner, leaseUntil: plus(retryAt, 5 * 60_000), now: retryAt });
    const [a, b] = await Promise.all([
      store.reclaimDelivery(delivery.id, lease("instance-a")),
      store.reclaimDelivery(delivery.id, lease("instance-b")),
    ]);
    const winner = a ?? b;
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect(winner).toMatchObject({ status: "claimed", attempts: 2 });

    const owner = winner?.leaseOwner ?? "";
    expect(
      await store.markDeliverySent(delivery.id, {
        owner: "nobody",
        channelId: "DU1",
        messageTs: "1.1",
        now: retryAt,
      }),
    ).toBe(false);
    expect(
      await store.markDeliverySent(delivery.id, { owner, channelId: "DU1", messageTs: "1.1", now: retryAt }),
    ).toBe(true);
    expect(await store.getDelivery(delivery.id)).toMatchObject({
      status: "sent",
      channelId: "DU1",
      messageTs: "1.1",
      leaseOwner: null,
      lastError: null,
    });
  });

  it("lets a later pass take over a claim whose lease expired", async () => {
    const subscription = await subscribe(store, userTarget("U1"));
    const delivery = await claim(store, subscription, "died");
    if (!delivery) throw new Error("claim failed");
    const leaseEnd = delivery.leaseExpiresAt ?? MONDAY_9_BERLIN;
    expect(await store.listRetryableDeliveries(plus(leaseEnd, -1), 10)).toEqual([]);
    expect(
      await store.extendDeliveryLease(delivery.id, {
        owner: "died",
        leaseUntil: plus(leaseEnd, 60_000),
        now: MONDAY_9_BERLIN,
      }),
    ).toBe(true);
    expect(await store.listRetryableDeliveries(leaseEnd, 10)).toEqual([]);
    const later = plus(leaseEnd, 60_000);
    expect((await store.listRetryableDeliveries(later, 10)).map((d) => d.id)).toEqual([delivery.id]);
    const taken = await store.reclaimDelivery(delivery.id, {
      owner: "alive",
      leaseUntil: plus(later, 1),
      now: later,
    });
    expect(taken).toMatchObject({ leaseOwner: "alive", attempts: 2 });
    expect(await store.markDeliveryMissed(delivery.id, { owner: "died", now: later })).toBe(false);
    expect(
      await store.markDeliveryCancelled(delivery.id, { owner: "alive", reason: "unsubscribed", now: later }),
    ).toBe(true);
    expect(await store.getDelivery(delivery.id)).toMatchObject({
      status: "cancelled",
      lastError: "unsubscribed",
    });
  });

  it("pauses the subscription with the reason when a delivery fails for good", async () => {
    const subscription = await subscribe(store, userTarget("U1"));
    const delivery = await claim(store, subscription);
    if (!delivery) throw new Error("claim failed");
    expect(
      await store.markDeliveryFailed(delivery.id, {
        owner: "instance-a",
        error: "account_inactive",
        pauseSubscription: true,
        now: MONDAY_9_BERLIN,
      }),
    ).toBe(true);
    expect(await store.getDelivery(delivery.id)).toMatchObject({
      status: "failed",
      lastError: "account_inactive",
    });
    const paused = await store.getSubscription(subscription.id);
    expect(paused).toMatchObject({ pausedReason: "account_inactive" });
    expect(paused?.pausedAt?.getTime()).toBe(MONDAY_9_BERLIN.getTime());
    expect(await store.listDueSubscriptions(plus(MONDAY_9_BERLIN, 2 * WEEK), { limit: 10 })).toEqual([]);
  });

  it("changes only the note of an answer, and only of one already given", async () => {
    const subscription = await subscribe(store, userTarget("U1"));
    const delivery = await claim(store, subscription);
    if (!delivery) throw new Error("claim failed");
    expect(await store.setAnswerNote(delivery.id, "U1", "too early")).toBeUndefined();
    await store.recordAnswer({
      deliveryId: delivery.id,
      teamId: TEAM,
      userId: "U1",
      choice: "ic",
      now: MONDAY_9_BERLIN,
    });
    const answeredAt = (await store.getAnswer(delivery.id, "U1"))?.answeredAt;
    expect(await store.setAnswerNote(delivery.id, "U1", "deep in the parser")).toMatchObject({
      choice: "ic",
      note: "deep in the parser",
      answeredAt,
    });
    expect(await store.setAnswerNote(delivery.id, "U1", null)).toMatchObject({ choice: "ic", note: null });
    expect(await store.setAnswerNote(delivery.id, "U2", "not mine")).toBeUndefined();
  });

  it("keeps one answer per delivery and person, and a note unless replaced", async () => {
    const subscription = await subscribe(
      store,
      { teamId: TEAM, targetType: "channel", targetId: "C1" },
      undefined,
      "U1",
    );
    const delivery = await claim(store, subscription);
    if (!delivery) throw new Error("claim failed");
    const answer = (userId: string, choice: "narrow" | "wide" | "ic" | "skip", note?: string | null) =>
      store.recordAnswer({
        deliveryId: delivery.id,
        teamId: TEAM,
        userId,
        choice,
        ...(note === undefined ? {} : { note }),
        now: plus(MONDAY_9_BERLIN, 60_000),
      });
    expect(await answer("U1", "narrow", "1:1s all week")).toMatchObject({
      choice: "narrow",
      note: "1:1s all week",
      promptId: "01-where",
    });
    expect(await answer("U1", "wide")).toMatchObject({ choice: "wide", note: "1:1s all week" });
    expect(await answer("U1", "wide", null)).toMatchObject({ note: null });
    await answer("U2", "ic");
    expect(await store.getAnswer(delivery.id, "U1")).toMatchObject({ choice: "wide" });
    expect(await store.getAnswer(delivery.id, "U2")).toMatchObject({ choice: "ic" });
    expect(
      await store.recordAnswer({
        deliveryId: "no-such",
        teamId: TEAM,
        userId: "U1",
        choice: "ic",
        now: MONDAY_9_BERLIN,
      }),
    ).toBeUndefined();
  });

  it("gives twelve weeks of history, one row a week, with counts", async () => {
    const subscription = await subscribe(store, userTarget("U1"));
    const choices = ["narrow", "narrow", "wide", "skip", "ic"] as const;
    let current = subscription;
    for (const [i, choice] of choices.entries()) {
      const delivery = await claim(store, current, "a", current.nextPromptAt);
      if (!delivery) throw new Error("claim failed");
      // The third week goes unanswered.
      if (i !== 2) {
        await store.recordAnswer({
          deliveryId: delivery.id,
          teamId: TEAM,
          userId: "U1",
          choice,
          now: current.nextPromptAt,
        });
      }
      const next = await store.getSubscription(subscription.id);
      if (!next) throw new Error("subscription vanished");
      current = next;
    }
    const history = await store.answerHistory(TEAM, "U1", {
      weeks: 12,
      now: at("2026-04-08T12:00:00Z"),
      timeZone: "Europe/Berlin",
    });
    expect(history.weeks).toHaveLength(12);
    expect(history.weeks.at(-1)?.weekStart).toBe("2026-04-06");
    expect(history.weeks[0]?.weekStart).toBe("2026-01-19");
    expect(history.weeks.slice(-5).map((w) => [w.weekStart, w.choice])).toEqual([
      ["2026-03-09", "narrow"],
      ["2026-03-16", "narrow"],
      ["2026-03-23", null],
      ["2026-03-30", "skip"],
      ["2026-04-06", "ic"],
    ]);
    expect(history.counts).toEqual({ narrow: 2, wide: 0, ic: 1, skip: 1 });
  });

  it("records answer feedback", async () => {
    const { feedback } = await store.recordFeedback({
      teamId: TEAM,
      userId: "U1",
      answerKey: "D1/1.0001/levels-of-engineering-management-focus#narrow-focus",
      articleSlug: "levels-of-engineering-management-focus",
      sectionId: "narrow-focus",
      helpful: false,
      now: MONDAY_9_BERLIN,
    });
    expect(feedback).toMatchObject({ helpful: false, sectionId: "narrow-focus", createdAt: MONDAY_9_BERLIN });
  });

  it("keeps one vote per person per answer, changeable, and counts a 👎 as a gap once (issue 17, item 13)", async () => {
    const vote = (userId: string, helpful: boolean, answerKey = "C1/2.0001/a#s") =>
      store.recordFeedback({
        teamId: TEAM,
        userId,
        answerKey,
        articleSlug: "a",
        sectionId: "s",
        helpful,
        now: MONDAY_9_BERLIN,
      });
    const first = await vote("U7", false);
    expect(first.countsAsGap).toBe(true);
    expect((await vote("U7", false)).countsAsGap).toBe(false);
    const changed = await vote("U7", true);
    expect(changed).toMatchObject({ countsAsGap: false, feedback: { id: first.feedback.id, helpful: true } });
    expect((await vote("U7", false)).countsAsGap).toBe(false);
    // Another person, or another answer, is another vote.
    expect((await vote("U8", false)).countsAsGap).toBe(true);
    expect((await vote("U7", false, "C1/2.0002/a#s")).countsAsGap).toBe(true);
    expect(await store.forgetUser(TEAM, "U7")).toMatchObject({ feedback: 2 });
  });

  it("keeps past deliveries and answers when someone unsubscribes", async () => {
    const subscription = await subscribe(store, userTarget("U1"));
    const delivery = await claim(store, subscription);
    if (!delivery) throw new Error("claim failed");
    await store.recordAnswer({
      deliveryId: delivery.id,
      teamId: TEAM,
      userId: "U1",
      choice: "ic",
      now: MONDAY_9_BERLIN,
    });
    expect(await store.deleteSubscription(userTarget("U1"))).toBe(true);
    expect(await store.deleteSubscription(userTarget("U1"))).toBe(false);
    expect(await store.findSubscription(userTarget("U1"))).toBeUndefined();
    expect(await store.getDelivery(delivery.id)).toBeDefined();
    expect(await store.getAnswer(delivery.id, "U1")).toBeDefined();
  });

  it("forgets everything about a person and nothing about others", async () => {
    const own = await subscribe(store, userTarget("U1"));
    const channel = await subscribe(
      store,
      { teamId: TEAM, targetType: "channel", targetId: "C1" },
      undefined,
      "U1",
    );
    const other = await subscribe(store, userTarget("U2"));
    const ownDelivery = await claim(store, own);
    const channelDelivery = await claim(store, channel);
    const otherDelivery = await claim(store, other);
    if (!ownDelivery || !channelDelivery || !otherDelivery) throw new Error("claim failed");
    for (const [deliveryId, userId] of [
      [ownDelivery.id, "U1"],
      [channelDelivery.id, "U1"],
      [channelDelivery.id, "U2"],
      [otherDelivery.id, "U2"],
    ] as const) {
      await store.recordAnswer({ deliveryId, teamId: TEAM, userId, choice: "wide", now: MONDAY_9_BERLIN });
    }
    for (const userId of ["U1", "U2"]) {
      await store.recordFeedback({
        teamId: TEAM,
        userId,
        answerKey: "C1/1.0001/a#s",
        articleSlug: "a",
        sectionId: "s",
        helpful: true,
        now: MONDAY_9_BERLIN,
      });
    }
    // Same user id in another workspace is another person.
    await subscribe(store, { teamId: "T0OTHER", targetType: "user", targetId: "U1" });

    expect(await store.forgetUser(TEAM, "U1")).toEqual({
      subscriptions: 1,
      channelSubscriptionsAnonymised: 1,
      deliveries: 1,
      answers: 2,
      feedback: 1,
      intendedFocus: 0,
      summariesRedrawn: 0,
    });
    expect(await store.findSubscription(userTarget("U1"))).toBeUndefined();
    expect(await store.getDelivery(ownDelivery.id)).toBeUndefined();
    expect(await store.getSubscription(channel.id)).toMatchObject({ subscribedBy: null });
    expect(await store.getAnswer(channelDelivery.id, "U1")).toBeUndefined();
    expect(await store.getAnswer(channelDelivery.id, "U2")).toBeDefined();
    expect(await store.getAnswer(otherDelivery.id, "U2")).toBeDefined();
    expect(await store.listSubscriptionsForUser(TEAM, "U1")).toEqual([]);
    expect(
      await store.findSubscription({ teamId: "T0OTHER", targetType: "user", targetId: "U1" }),
    ).toBeDefined();
    expect(await store.forgetUser(TEAM, "U1")).toEqual({
      subscriptions: 0,
      channelSubscriptionsAnonymised: 0,
      deliveries: 0,
      answers: 0,
      feedback: 0,
      intendedFocus: 0,
      summariesRedrawn: 0,
    });
  });
}

describe("store on sqlite (:memory:)", () => {
  storeSuite(async () => ({ store: await openStore(":memory:"), cleanup: async () => {} }));
});

describe("store on sqlite (file)", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "em-focus-store-"));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  storeSuite(async () => {
    const path = join(dir, `nested-${Math.random().toString(36).slice(2)}`, "em-focus.db");
    const store = await openStore(`file:${path}`);
    expect(existsSync(path)).toBe(true);
    // WAL mode keeps a -wal file next to the database while it is open.
    await store.upsertSubscription({
      ...userTarget("Uwal"),
      subscribedBy: "Uwal",
      schedule: { weekday: 1, time: "09:00" },
      timeZone: "UTC",
      nextPromptAt: MONDAY_9_BERLIN,
      now: MONDAY_9_BERLIN,
    });
    expect(existsSync(`${path}-wal`)).toBe(true);
    await store.deleteSubscription(userTarget("Uwal"));
    return { store, reopen: () => openStore(path), cleanup: async () => {} };
  });
});

describe.skipIf(!pgUrl)(`store on postgres${pgUrl ? "" : " (TEST_DATABASE_URL unset)"}`, () => {
  storeSuite(async () => {
    const schema = await postgresSchema(pgUrl ?? "");
    const store = await openStore(schema.url);
    expect(store.dialect).toBe("postgres");
    return { store, reopen: () => openStore(schema.url), cleanup: () => schema.drop() };
  });
});
