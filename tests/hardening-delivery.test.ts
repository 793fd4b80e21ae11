import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadPrompts } from "../src/content/prompts.js";
import { deliverDuePrompts, PROMPT_METADATA_EVENT_TYPE } from "../src/prompts/deliver.js";
import { openStore } from "../src/store/open.js";
import type { Store } from "../src/store/types.js";
import { type FakeSlack, startFakeSlack } from "../test-support/fake-slack.js";
import {
  CONTENT_DIR,
  fakeWebClient,
  RENDERERS,
  startTestBot,
  TEST_BOT_TOKEN,
  TEST_DATABASES,
  testDatabase,
} from "./helpers/bot.js";
import {
  acceptedByChannel,
  at,
  DUE,
  deliver,
  MINUTE,
  SCHEDULE,
  startDeliver,
  subscribe,
  ZONE,
} from "./helpers/deliver-process.js";
import { TEST_TEAM_ID } from "./helpers/slack-requests.js";

const PROMPTS = loadPrompts(join(CONTENT_DIR, "prompts"));
const TEAM = TEST_TEAM_ID;

describe.each(TEST_DATABASES)("delivery across token errors and crashes ($name)", ({ postgresUrl }) => {
  let fake: FakeSlack;
  let store: Store;
  let databaseUrl: string;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    fake = await startFakeSlack({ tokens: [TEST_BOT_TOKEN] });
    ({ url: databaseUrl, drop: cleanup } = await testDatabase(postgresUrl, "em-focus-harden"));
    store = await openStore(databaseUrl);
  });
  afterEach(async () => {
    await store?.close();
    await fake?.close();
    await cleanup?.();
  });

  const env = (token = TEST_BOT_TOKEN) => ({
    SLACK_BOT_TOKEN: token,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: databaseUrl,
  });

  it("token errors fail the pass loudly and leave the prompts due; the first pass after the fix sends each once (item 6)", async () => {
    const users = ["U0TOK1", "U0TOK2", "U0TOK3"];
    await subscribe(store, fake, users);
    await store.upsertSubscription({
      teamId: TEAM,
      targetType: "channel",
      targetId: "C0GONE",
      subscribedBy: "U0TOK1",
      schedule: SCHEDULE,
      timeZone: ZONE,
      nextPromptAt: DUE,
      now: new Date("2026-03-02T12:00:00Z"),
    });
    const revoked = "xoxb-revoked-0000000000";

    // 1. A token Slack refuses: non-zero exit, the setting named, the token never shown.
    const refused = await deliver(env(revoked), at(MINUTE));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("SLACK_BOT_TOKEN");
    expect(refused.stderr).toContain("invalid_auth");
    expect(refused.stderr + refused.stdout).not.toContain(revoked);
    expect(acceptedByChannel(fake).size).toBe(0);

    // 2. A scope missing: claims are made, Slack refuses the post, the claims are given back.
    const undo = fake.failAlways("chat.postMessage", { error: "missing_scope" });
    const noScope = await deliver(env(), at(2 * MINUTE));
    undo();
    expect(noScope.code).not.toBe(0);
    expect(noScope.stderr).toContain("missing_scope");
    expect(noScope.stderr).toContain("OAuth & Permissions");
    expect(acceptedByChannel(fake).size).toBe(0);
    expect(fake.callsTo("chat.postMessage").length).toBeGreaterThan(0);

    // 3. Fixed, two hours later (inside the 12-hour window): every prompt goes out once; the
    //    channel that is gone is paused, as before.
    const removeGone = fake.failFor("chat.postMessage", (args) =>
      args.channel === "C0GONE" ? { error: "channel_not_found" } : undefined,
    );
    const fixed = await deliver(env(), at(120 * MINUTE));
    removeGone();
    expect(fixed.code).toBe(0);
    const accepted = acceptedByChannel(fake);
    expect([...accepted.keys()].sort()).toEqual([...users].sort());
    expect([...accepted.values()]).toEqual([1, 1, 1]);
    const gone = await store.findSubscription({ teamId: TEAM, targetType: "channel", targetId: "C0GONE" });
    expect(gone?.pausedReason).toBe("channel_not_found");

    // 4. And never again.
    const again = await deliver(env(), at(180 * MINUTE));
    expect(again.code).toBe(0);
    expect([...acceptedByChannel(fake).values()]).toEqual([1, 1, 1]);
  }, 60_000);

  it("a kill -9 after Slack accepted the prompts, before they were recorded, sends no duplicate (item 8)", async () => {
    // Twelve subscribers, eight sends in flight at once: eight prompts are in Slack when the
    // process dies, four not yet claimed.
    const users = Array.from({ length: 12 }, (_, i) => `U0CRASH${String(i).padStart(2, "0")}`);
    await subscribe(store, fake, users);
    fake.setLatency(1_500);
    const first = startDeliver(env(), DUE);
    // Slack has stored the first message; its answer is still on the way (slow Slack).
    await fake.waitForCall("chat.postMessage", (call) => call.error === undefined, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    first.child.kill("SIGKILL");
    const killed = await first.done;
    expect(killed.signal).toBe("SIGKILL");
    const inSlack = acceptedByChannel(fake);
    expect(inSlack.size).toBeGreaterThan(0);
    expect(inSlack.size).toBeLessThan(users.length);
    const recorded = (
      await Promise.all(
        users.map((u) => store.findSubscription({ teamId: TEAM, targetType: "user", targetId: u })),
      )
    ).filter((s) => s !== undefined);
    const deliveries = (await Promise.all(recorded.map((s) => store.listDeliveries(s.id)))).flat();
    expect(deliveries.filter((d) => d.status === "sent")).toEqual([]);

    // After the lease (5 minutes), a new pass: every subscriber has exactly one prompt.
    fake.setLatency(0);
    const second = await deliver(env(), at(6 * MINUTE));
    expect(second.code, second.stderr).toBe(0);
    const after = acceptedByChannel(fake);
    expect([...after.keys()].sort()).toEqual([...users].sort());
    expect([...after.values()].every((n) => n === 1)).toBe(true);
    const history = fake.callsTo("conversations.history");
    expect(history.length).toBeGreaterThanOrEqual(inSlack.size);
    expect(history[0]?.args).toMatchObject({ include_all_metadata: "true" });
    const final = (await Promise.all(recorded.map((s) => store.listDeliveries(s.id)))).flat();
    expect(final.map((d) => d.status)).toEqual(users.map(() => "sent"));
  }, 90_000);
});

describe("the history check before re-sending an expired claim (item 8)", () => {
  let fake: FakeSlack;
  let store: Store;

  beforeEach(async () => {
    fake = await startFakeSlack();
    store = await openStore(":memory:");
  });
  afterEach(async () => {
    await store.close();
    await fake.close();
  });

  /** A claim left by a process that died: lease expired, its message maybe in Slack. */
  async function deadClaim(user: string) {
    await subscribe(store, fake, [user]);
    const subscription = await store.findSubscription({ teamId: TEAM, targetType: "user", targetId: user });
    if (!subscription) throw new Error("not subscribed");
    const delivery = await store.claimDueDelivery({
      subscriptionId: subscription.id,
      expectedNextPromptAt: DUE,
      dueAt: DUE,
      promptId: PROMPTS[0]?.id ?? "",
      promptsUsed: [PROMPTS[0]?.id ?? ""],
      nextPromptAt: at(7 * 24 * 60 * MINUTE),
      owner: "dead-instance",
      leaseUntil: at(5 * MINUTE),
      now: DUE,
    });
    if (!delivery) throw new Error("not claimed");
    return delivery;
  }

  const logged: string[] = [];
  const logger = {
    debug() {},
    info: (...args: unknown[]) => logged.push(args.map(String).join(" ")),
    warn: (...args: unknown[]) => logged.push(args.map(String).join(" ")),
    error: (...args: unknown[]) => logged.push(args.map(String).join(" ")),
  };
  const pass = () =>
    deliverDuePrompts({
      store,
      client: fakeWebClient(fake),
      prompts: PROMPTS,
      now: at(6 * MINUTE),
      logger,
      ...RENDERERS,
    });

  it("records a prompt found in the conversation (by its metadata) as sent, without posting again", async () => {
    const delivery = await deadClaim("U0FOUND");
    // What the dead process got Slack to accept, and a newer unrelated message after it.
    await fakeWebClient(fake).chat.postMessage({
      channel: "U0FOUND",
      text: "prompt",
      metadata: { event_type: PROMPT_METADATA_EVENT_TYPE, event_payload: { delivery_id: delivery.id } },
    });
    await fakeWebClient(fake).chat.postMessage({ channel: "U0FOUND", text: "something else" });
    const before = fake.callsTo("chat.postMessage").length;
    const report = await pass();
    expect(report).toMatchObject({ claimed: 1, sent: 1 });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(before);
    expect(await store.getDelivery(delivery.id)).toMatchObject({ status: "sent", channelId: "DU0FOUND" });
    // Newest first, a bounded page, never filtered by our own clock.
    const [lookup] = fake.callsTo("conversations.history");
    expect(lookup?.args).toMatchObject({ channel: "DU0FOUND", include_all_metadata: "true", limit: "15" });
    expect(lookup?.args.oldest).toBeUndefined();
    expect(lookup?.args.latest).toBeUndefined();
  });

  it("sends a prompt that is not in the conversation, with the metadata naming it", async () => {
    const delivery = await deadClaim("U0MISSING");
    const report = await pass();
    expect(report).toMatchObject({ claimed: 1, sent: 1 });
    const [post] = fake.callsTo("chat.postMessage");
    expect(post?.args.metadata).toEqual({
      event_type: PROMPT_METADATA_EVENT_TYPE,
      event_payload: { delivery_id: delivery.id },
    });
  });

  it("falls back to sending, and logs it, when the history call is impossible (missing_scope)", async () => {
    logged.length = 0;
    const delivery = await deadClaim("U0NOHISTORY");
    fake.failAlways("conversations.history", { error: "missing_scope" });
    const report = await pass();
    expect(report).toMatchObject({ claimed: 1, sent: 1 });
    expect(fake.callsTo("chat.postMessage").filter((c) => c.error === undefined)).toHaveLength(1);
    expect(logged.join("\n")).toContain(
      `Could not check whether delivery ${delivery.id} was already sent (conversations.history: missing_scope); sending it without checking`,
    );
  });

  it("keeps the claim and checks again after Retry-After when the history call is rate limited (issue 17, item 14)", async () => {
    logged.length = 0;
    const delivery = await deadClaim("U0LIMITED");
    fake.failAlways("conversations.history", { status: 429, retryAfter: 30 });
    const report = await pass();
    expect(report).toMatchObject({ claimed: 1, sent: 0, retried: 1 });
    expect(fake.callsTo("chat.postMessage")).toEqual([]);
    const kept = await store.getDelivery(delivery.id);
    expect(kept).toMatchObject({ status: "retrying", attempts: 1 });
    expect(kept?.nextAttemptAt?.getTime()).toBeGreaterThanOrEqual(at(6 * MINUTE + 30_000).getTime());
    expect(logged.join("\n")).toContain(`Delivery ${delivery.id} may already be in Slack`);
  });

  it("the fake refuses history for a user id and metadata without event_type, as Slack does", async () => {
    const client = fakeWebClient(fake);
    await expect(client.conversations.history({ channel: "U0SOMEONE" })).rejects.toThrow(/channel_not_found/);
    await expect(
      client.chat.postMessage({
        channel: "C1",
        text: "x",
        metadata: { event_payload: {} } as unknown as {
          event_type: string;
          event_payload: Record<string, string>;
        },
      }),
    ).rejects.toThrow(/invalid_metadata/);
    await client.chat.postMessage({
      channel: "C1",
      text: "y",
      metadata: { event_type: "t", event_payload: { a: "1" } },
    });
    const plain = await client.conversations.history({ channel: "C1" });
    expect(plain.messages?.[0]?.metadata).toBeUndefined();
    const full = await client.conversations.history({ channel: "C1", include_all_metadata: true });
    expect(full.messages?.[0]?.metadata).toEqual({ event_type: "t", event_payload: { a: "1" } });
  });
});

describe("/healthz after a token error in the running bot (item 6)", () => {
  it("answers 503 naming the setting while Slack refuses the token, 200 after a pass that works", async () => {
    const t = await startTestBot();
    const store = await openStore(t.databasePath);
    try {
      const now = new Date();
      t.fake.setUser("U0HEALTH", { tz: "UTC" });
      await store.upsertSubscription({
        teamId: TEAM,
        targetType: "user",
        targetId: "U0HEALTH",
        subscribedBy: "U0HEALTH",
        schedule: SCHEDULE,
        timeZone: "UTC",
        nextPromptAt: new Date(now.getTime() - MINUTE),
        now,
      });
      const undo = t.fake.failAlways("users.info", { error: "token_revoked" });
      await t.bot.deliverPrompts(now);
      const refused = await fetch(`${t.url}/healthz`);
      expect(refused.status).toBe(503);
      const body = (await refused.json()) as { problems?: Record<string, string> };
      expect(body.problems?.slack_token).toContain("SLACK_BOT_TOKEN");
      expect(body.problems?.slack_token).toContain("token_revoked");
      expect(t.fake.callsTo("chat.postMessage")).toEqual([]);

      undo();
      await t.bot.deliverPrompts(new Date(now.getTime() + MINUTE));
      expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
      expect(t.fake.callsTo("chat.postMessage").filter((c) => c.error === undefined)).toHaveLength(1);
    } finally {
      await store.close();
      await t.stop();
    }
  });
});
