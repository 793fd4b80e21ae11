import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Prompt } from "../content/prompts.js";
import type { Delivery, Store, Subscription } from "../store/types.js";
import { type RenderPrompt, renderPromptMessage, type SlackBlock } from "./render.js";
import { nextPromptFor } from "./rotation.js";
import { isValidTimeZone, nextPromptAt, sameWeekPromptAt } from "./schedule.js";
import { classifySlackError, type SlackFailure, SlackTokenError } from "./slack-errors.js";

export { SlackTokenError };

/** `metadata.event_type` of every prompt message; its `event_payload.delivery_id` names the delivery. */
export const PROMPT_METADATA_EVENT_TYPE = "em_focus_prompt";

/*
 * Exactly-once, and where it can still break
 * ------------------------------------------
 * Every delivery is claimed in the database before anything is sent: a row keyed by
 * (subscription_id, due_at) is inserted in the same transaction that moves the subscription to
 * its next prompt. Two passes racing for the same prompt (two instances on one PostgreSQL) cannot
 * both insert it, so only one of them sends. A claim carries a lease; if its instance dies before
 * recording the outcome, a later pass takes the delivery over once the lease has expired and sends
 * it then.
 *
 * Slack's chat.postMessage has no idempotency key, so every prompt carries message metadata naming
 * its delivery (`em_focus_prompt`, `delivery_id`). Before a claim whose earlier attempt may have
 * reached Slack is sent again (its lease expired, or a passing error after the call went out), the
 * pass reads the newest messages of the target conversation (conversations.history with
 * include_all_metadata; a person's DM found with conversations.open) and, if the prompt is there,
 * records it as sent. Not filtered by time: Slack's clock is not ours. A duplicate stays possible
 * only when that check cannot answer (history rate limited or a scope missing: logged, then sent
 * as before), when more than `historyLimit` newer messages push it out of sight, or when a send
 * hangs past the lease while another instance takes the delivery over (the WebClient `timeout` is
 * kept well below `leaseMs` for that).
 *
 * Token errors (invalid_auth, token_revoked, missing_scope, …) are not any prompt's fault: the pass
 * gives back what it claimed, takes nothing more and throws SlackTokenError, so the prompts stay
 * due and go out on the first pass after the fix (within `maxLatenessMs`).
 */

/** The part of Slack's WebClient that delivery uses; a WebClient fits as it is. */
export interface PromptSlackClient {
  readonly chat: {
    postMessage(args: {
      channel: string;
      text: string;
      blocks?: SlackBlock[];
      unfurl_links?: boolean;
      unfurl_media?: boolean;
      metadata?: { event_type: string; event_payload: Record<string, string> };
    }): Promise<{ channel?: string; ts?: string }>;
  };
  readonly conversations: {
    open(args: { users: string }): Promise<{ channel?: { id?: string } }>;
    history(args: { channel: string; include_all_metadata?: boolean; limit?: number }): Promise<{
      messages?: ReadonlyArray<{
        ts?: string;
        metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
      }>;
    }>;
  };
  readonly users: {
    info(args: { user: string }): Promise<{ user?: { tz?: string; deleted?: boolean } }>;
  };
}

/** Bolt's Logger and `console` both fit. */
export interface DeliveryLogger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export interface DeliverOptions {
  readonly store: Store;
  readonly client: PromptSlackClient;
  readonly prompts: readonly Prompt[];
  /** Start of the pass (default: the current time); later timestamps advance from it in real time. */
  readonly now?: Date;
  /** Names this process in leases, so one instance never mistakes another's claim for its own. */
  readonly instanceId?: string;
  readonly logger?: DeliveryLogger;
  /** Slack calls in flight at once (default 8). */
  readonly concurrency?: number;
  readonly renderPrompt?: RenderPrompt;
  /** How long a claim stays with this pass before another may take it over (default 5 minutes). */
  readonly leaseMs?: number;
  /** Prompts later than this are recorded as missed instead of sent (default 12 hours). */
  readonly maxLatenessMs?: number;
  /** Wait before each retry after a passing error; one more failure after the last gives up. */
  readonly retryDelaysMs?: readonly number[];
  /** How many 429 waits one message may sit through in a pass before it is left for the next one. */
  readonly maxRateLimitWaits?: number;
  /** Rows read from the database at a time (default 500). */
  readonly batchSize?: number;
  /**
   * Messages read from the target conversation, newest first, when looking for a prompt a crashed
   * pass may have sent (default 15: Slack's ceiling for apps outside the Marketplace).
   */
  readonly historyLimit?: number;
  /** For tests: how waiting for Retry-After is done (default: a timer). */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface DeliveryReport {
  /** Deliveries this pass took: new claims plus retries and take-overs of expired claims. */
  claimed: number;
  sent: number;
  /** Deliveries that failed for a passing reason and wait for a later pass. */
  retried: number;
  /** Prompts recorded as missed because they were too late to send. */
  missed: number;
  /** Subscriptions paused because their target cannot be reached. */
  paused: number;
  /** Deliveries given up on. */
  failed: number;
  /** Prompts not sent because the subscriber asked to skip them. */
  skipped: number;
  /** Unexpected errors; their claims are retried once the lease expires. */
  errors: number;
}

const MINUTE = 60_000;
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1, 5, 15, 60, 60].map((m) => m * MINUTE);
export const DEFAULT_LEASE_MS = 5 * MINUTE;
export const DEFAULT_MAX_LATENESS_MS = 12 * 60 * MINUTE;

const silentLogger: DeliveryLogger = { debug() {}, info() {}, warn() {}, error() {} };

export function defaultInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Paces the calls to one Slack method. A 429 holds every call to that method for Retry-After, so
 * the sender slows down together instead of each worker hammering on its own; and from then on
 * calls are spaced at the rate Slack accepted in the second before it, so the pass settles just
 * under the limit instead of running into it (and sitting out Retry-After) again and again.
 */
class SlackPacer {
  private holdUntil = 0;
  private spacingMs = 0;
  private nextSlot = 0;
  private readonly accepted: number[] = [];
  /** Where the last sleep ended: with an injected `sleep` (tests) time only moves by sleeping. */
  private awakeAt = 0;

  constructor(private readonly sleep: (ms: number) => Promise<void>) {}

  private now(): number {
    return Math.max(performance.now(), this.awakeAt);
  }

  async ready(): Promise<void> {
    // Sleeps once per target time; again only if a 429 meanwhile pushed the target further out.
    let sleptUntil = Number.NEGATIVE_INFINITY;
    for (;;) {
      const target = Math.max(this.holdUntil, this.nextSlot);
      const delay = Math.ceil(target - this.now());
      if (delay <= 0 || target <= sleptUntil) break;
      sleptUntil = target;
      await this.sleep(delay);
      this.awakeAt = Math.max(this.awakeAt, target);
    }
    if (this.spacingMs > 0) this.nextSlot = Math.max(this.now(), this.nextSlot) + this.spacingMs;
  }

  /** True while Slack has asked us to wait before calling this method again. */
  holding(): boolean {
    return this.holdUntil > this.now();
  }

  succeeded(): void {
    const now = this.now();
    this.accepted.push(now);
    while ((this.accepted[0] ?? now) < now - 1000) this.accepted.shift();
  }

  rateLimited(retryAfterMs: number): void {
    const now = this.now();
    this.holdUntil = Math.max(this.holdUntil, now + retryAfterMs);
    const perSecond = this.accepted.filter((t) => t >= now - 1000).length;
    // 95% of what got through: a little under the limit, never faster than before.
    if (perSecond > 0) this.spacingMs = Math.max(this.spacingMs, 1000 / (perSecond * 0.95));
  }
}

type WorkItem = { kind: "retry"; delivery: Delivery } | { kind: "due"; subscription: Subscription };

type SendOutcome = "sent" | "retried" | "paused" | "failed" | "lost";

/**
 * One pass: sends every prompt that is due (or due for a retry) at `now`, each exactly once.
 * Throws SlackTokenError (after the pass has stopped and released what it held) when Slack refuses
 * the bot token or the app lacks a scope: then nothing can be sent, the due prompts stay due, and
 * the first pass after the fix sends them (within `maxLatenessMs`).
 */
export async function deliverDuePrompts(options: DeliverOptions): Promise<DeliveryReport> {
  const { store, client, prompts } = options;
  if (prompts.length === 0) throw new Error("No prompts to deliver: content/prompts has no *.md files");
  const passStart = options.now ?? new Date();
  const startedAt = performance.now();
  const clock = (): Date => new Date(passStart.getTime() + (performance.now() - startedAt));
  const owner = options.instanceId ?? defaultInstanceId();
  const logger = options.logger ?? silentLogger;
  const render = options.renderPrompt ?? renderPromptMessage;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const maxLatenessMs = options.maxLatenessMs ?? DEFAULT_MAX_LATENESS_MS;
  const retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const maxAttempts = retryDelaysMs.length + 1;
  const maxRateLimitWaits = options.maxRateLimitWaits ?? 5;
  const batchSize = options.batchSize ?? 500;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const pacers = new Map<string, SlackPacer>();
  const pacerFor = (method: string): SlackPacer => {
    let pacer = pacers.get(method);
    if (!pacer) {
      pacer = new SlackPacer(sleep);
      pacers.set(method, pacer);
    }
    return pacer;
  };
  const promptsById = new Map(prompts.map((p) => [p.id, p]));
  const historyLimit = options.historyLimit ?? 15;
  /** Set by the first token error: the pass takes nothing more and ends by throwing it. */
  let tokenFailure: SlackTokenError | undefined;
  const tokenError = (method: string, failure: Extract<SlackFailure, { kind: "token" }>): void => {
    if (tokenFailure) return;
    tokenFailure = new SlackTokenError(failure.reason, method, failure.needed);
    logger.error(`Prompt delivery stopped: ${tokenFailure.message}`);
  };

  const report: DeliveryReport = {
    claimed: 0,
    sent: 0,
    retried: 0,
    missed: 0,
    paused: 0,
    failed: 0,
    skipped: 0,
    errors: 0,
  };

  /** Calls Slack, sitting out 429s; undefined when this item has waited its share of them. */
  async function callSlack<T>(
    method: string,
    call: () => Promise<T>,
    onWait?: (ms: number) => Promise<boolean>,
  ) {
    // Slack limits each method on its own: a 429 on chat.postMessage does not hold users.info.
    const pacer = pacerFor(method);
    for (let waits = 0; ; waits++) {
      await pacer.ready();
      try {
        const value = await call();
        pacer.succeeded();
        return { ok: true as const, value };
      } catch (error) {
        const failure = classifySlackError(error);
        if (failure.kind !== "rate_limited") return { ok: false as const, failure };
        pacer.rateLimited(failure.retryAfterMs);
        logger.warn(`Slack asked to slow down; pausing sends for ${failure.retryAfterMs / 1000}s`);
        if (waits >= maxRateLimitWaits || (onWait && !(await onWait(failure.retryAfterMs)))) {
          return { ok: false as const, failure };
        }
      }
    }
  }

  type TimeZoneLookup =
    | { kind: "zone"; timeZone: string }
    | { kind: "pause"; reason: string }
    | { kind: "token" }
    | { kind: "keep" };

  async function currentTimeZone(userId: string): Promise<TimeZoneLookup> {
    // users.info has a far lower rate limit than posting (Slack's tier 4, about 100 a minute), and a
    // Monday 09:00 brings every subscriber due at once. While Slack holds it back, the stored zone
    // (right last week) is used rather than making prompts wait for the lookup.
    if (pacerFor("users.info").holding()) return { kind: "keep" };
    const result = await callSlack(
      "users.info",
      () => client.users.info({ user: userId }),
      async () => false,
    );
    if (result.ok) {
      const user = result.value.user;
      if (user?.deleted) return { kind: "pause", reason: "account_inactive" };
      const tz = user?.tz;
      return tz && isValidTimeZone(tz) ? { kind: "zone", timeZone: tz } : { kind: "keep" };
    }
    if (result.failure.kind === "pause") return { kind: "pause", reason: result.failure.reason };
    if (result.failure.kind === "token") {
      tokenError("users.info", result.failure);
      return { kind: "token" };
    }
    // The stored zone is a fine fallback: it was right last week.
    logger.warn(
      `users.info failed for ${userId} (${describeFailure(result.failure)}); keeping the stored time zone`,
    );
    return { kind: "keep" };
  }

  async function send(delivery: Delivery, prompt: Prompt): Promise<SendOutcome> {
    const message = render(prompt, delivery);
    const result = await callSlack(
      "chat.postMessage",
      () =>
        client.chat.postMessage({
          channel: delivery.targetId,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
          // Names the delivery in Slack itself, so a pass after a crash can find it (see findInSlack).
          metadata: { event_type: PROMPT_METADATA_EVENT_TYPE, event_payload: { delivery_id: delivery.id } },
        }),
      (waitMs) => {
        const now = clock();
        return store.extendDeliveryLease(delivery.id, {
          owner,
          leaseUntil: new Date(now.getTime() + waitMs + leaseMs),
          now,
        });
      },
    );
    const now = clock();
    if (result.ok) {
      const recorded = await store.markDeliverySent(delivery.id, {
        owner,
        channelId: result.value.channel ?? delivery.targetId,
        messageTs: result.value.ts ?? "",
        now,
      });
      if (!recorded) {
        logger.warn(
          `Delivery ${delivery.id} was sent after its lease passed to another instance; it may show twice`,
        );
      }
      return "sent";
    }
    const failure = result.failure;
    switch (failure.kind) {
      case "token": {
        tokenError("chat.postMessage", failure);
        return (await release(delivery, failure.reason, now)) ? "retried" : "lost";
      }
      case "rate_limited": {
        // Still rate limited after several waits: leave it for the next pass without using up an attempt.
        const moved = await store.markDeliveryRetrying(delivery.id, {
          owner,
          error: "ratelimited",
          nextAttemptAt: new Date(now.getTime() + failure.retryAfterMs),
          attempts: delivery.attempts - 1,
          now,
        });
        return moved ? "retried" : "lost";
      }
      case "pause": {
        logger.warn(`Pausing subscription ${delivery.subscriptionId}: Slack said ${failure.reason}`);
        const done = await store.markDeliveryFailed(delivery.id, {
          owner,
          error: failure.reason,
          pauseSubscription: true,
          now,
        });
        return done ? "paused" : "lost";
      }
      case "transient": {
        const delay = retryDelaysMs[delivery.attempts - 1];
        if (delivery.attempts >= maxAttempts || delay === undefined) {
          logger.error(
            `Giving up on delivery ${delivery.id} after ${delivery.attempts} attempts: ${failure.reason}`,
          );
          const done = await store.markDeliveryFailed(delivery.id, {
            owner,
            error: failure.reason,
            pauseSubscription: false,
            now,
          });
          return done ? "failed" : "lost";
        }
        logger.warn(`Delivery ${delivery.id} failed (${failure.reason}); retrying in ${delay / MINUTE} min`);
        const moved = await store.markDeliveryRetrying(delivery.id, {
          owner,
          error: failure.reason,
          nextAttemptAt: new Date(now.getTime() + delay),
          now,
        });
        return moved ? "retried" : "lost";
      }
      case "permanent": {
        logger.error(`Slack refused delivery ${delivery.id}: ${failure.reason}`);
        const done = await store.markDeliveryFailed(delivery.id, {
          owner,
          error: failure.reason,
          pauseSubscription: false,
          now,
        });
        return done ? "failed" : "lost";
      }
      case "unexpected":
        throw new Error(`Sending delivery ${delivery.id} failed: ${failure.reason}`);
    }
  }

  /** Gives a claim back untouched (not counted as an attempt), due again at once. */
  function release(delivery: Delivery, error: string, now: Date): Promise<boolean> {
    return store.markDeliveryRetrying(delivery.id, {
      owner,
      error,
      nextAttemptAt: now,
      attempts: delivery.attempts - 1,
      now,
    });
  }

  /**
   * Looks in the target conversation for the message of a delivery an earlier attempt may have
   * sent (the process died after Slack accepted it, before the database recorded it): the newest
   * `historyLimit` messages, matched on the metadata every prompt carries. Not filtered by time:
   * Slack's clock and ours may differ. "token" after a token error; undefined when not found, or
   * when Slack cannot tell us (rate limit, missing scope: then it is sent again, as before).
   */
  async function findInSlack(
    delivery: Delivery,
  ): Promise<{ channel: string; ts: string } | "token" | undefined> {
    const unknown = (method: string, failure: SlackFailure): "token" | undefined => {
      if (failure.kind === "token" && failure.reason !== "missing_scope") {
        tokenError(method, failure);
        return "token";
      }
      logger.warn(
        `Could not check whether delivery ${delivery.id} was already sent (${method}: ${describeFailure(failure)}); sending it again`,
      );
      return undefined;
    };
    let channel = delivery.channelId ?? (delivery.targetType === "channel" ? delivery.targetId : undefined);
    if (!channel) {
      const opened = await callSlack(
        "conversations.open",
        () => client.conversations.open({ users: delivery.targetId }),
        async () => false,
      );
      if (!opened.ok) return unknown("conversations.open", opened.failure);
      channel = opened.value.channel?.id;
      if (!channel) return undefined;
    }
    const conversation = channel;
    const history = await callSlack(
      "conversations.history",
      () =>
        client.conversations.history({
          channel: conversation,
          include_all_metadata: true,
          limit: historyLimit,
        }),
      async () => false,
    );
    if (!history.ok) return unknown("conversations.history", history.failure);
    const message = history.value.messages?.find(
      (m) =>
        m.metadata?.event_type === PROMPT_METADATA_EVENT_TYPE &&
        m.metadata.event_payload?.delivery_id === delivery.id,
    );
    return message?.ts ? { channel: conversation, ts: message.ts } : undefined;
  }

  function count(outcome: SendOutcome): void {
    if (outcome !== "lost") report[outcome] += 1;
  }

  async function deliverDue(found: Subscription): Promise<void> {
    let subscription = found;
    // Lateness is measured from the time we believed the prompt due, even if a move of time zone
    // turns out to have put it earlier.
    let believedDueAt = subscription.nextPromptAt;
    if (subscription.targetType === "user") {
      const zone = await currentTimeZone(subscription.targetId);
      if (zone.kind === "token") return;
      if (zone.kind === "pause") {
        logger.warn(`Pausing subscription ${subscription.id}: Slack said ${zone.reason}`);
        if (await store.pauseSubscription(subscription.id, zone.reason, clock())) report.paused += 1;
        return;
      }
      if (zone.kind === "zone" && zone.timeZone !== subscription.timeZone) {
        const moved = sameWeekPromptAt(subscription.schedule, zone.timeZone, subscription.nextPromptAt);
        const rescheduled = await store.rescheduleSubscription(subscription.id, {
          expectedNextPromptAt: subscription.nextPromptAt,
          nextPromptAt: moved,
          timeZone: zone.timeZone,
          now: clock(),
        });
        if (!rescheduled) return;
        logger.info(
          `Subscription ${subscription.id} follows a move from ${subscription.timeZone} to ${zone.timeZone}`,
        );
        if (moved > believedDueAt) believedDueAt = moved;
        subscription = { ...subscription, nextPromptAt: moved, timeZone: zone.timeZone };
        if (moved.getTime() > clock().getTime()) return;
      }
    }

    const now = clock();
    const dueAt = subscription.nextPromptAt;
    const following = nextPromptAt(subscription.schedule, subscription.timeZone, now);
    if (subscription.skipNext || now.getTime() - believedDueAt.getTime() > maxLatenessMs) {
      const status = subscription.skipNext ? "skipped" : "missed";
      const recorded = await store.recordUnsentDelivery({
        subscriptionId: subscription.id,
        expectedNextPromptAt: dueAt,
        dueAt,
        status,
        nextPromptAt: following,
        now,
      });
      if (recorded) {
        report[status] += 1;
        if (status === "missed") {
          logger.info(`Prompt for ${subscription.id} due ${dueAt.toISOString()} was missed`);
        }
      }
      return;
    }

    const next = nextPromptFor(prompts, subscription.promptsUsed);
    if (!next) return;
    const delivery = await store.claimDueDelivery({
      subscriptionId: subscription.id,
      expectedNextPromptAt: dueAt,
      dueAt,
      promptId: next.prompt.id,
      promptsUsed: next.promptsUsed,
      nextPromptAt: following,
      owner,
      leaseUntil: new Date(now.getTime() + leaseMs),
      now,
    });
    if (!delivery) return;
    report.claimed += 1;
    count(await send(delivery, next.prompt));
  }

  async function retry(listed: Delivery): Promise<void> {
    const now = clock();
    const delivery = await store.reclaimDelivery(listed.id, {
      owner,
      leaseUntil: new Date(now.getTime() + leaseMs),
      now,
    });
    if (!delivery) return;
    report.claimed += 1;
    if (delivery.attempts > maxAttempts) {
      const done = await store.markDeliveryFailed(delivery.id, {
        owner,
        error: delivery.lastError ?? "too_many_attempts",
        pauseSubscription: false,
        now,
      });
      if (done) report.failed += 1;
      return;
    }
    if (now.getTime() - delivery.dueAt.getTime() > maxLatenessMs) {
      if (await store.markDeliveryMissed(delivery.id, { owner, now })) report.missed += 1;
      return;
    }
    const subscription = await store.getSubscription(delivery.subscriptionId);
    if (!subscription || subscription.pausedReason) {
      const reason = subscription ? `paused: ${subscription.pausedReason}` : "unsubscribed";
      await store.markDeliveryCancelled(delivery.id, { owner, reason, now });
      return;
    }
    const prompt = delivery.promptId ? promptsById.get(delivery.promptId) : undefined;
    if (!prompt) {
      const done = await store.markDeliveryFailed(delivery.id, {
        owner,
        error: `prompt_not_found: ${delivery.promptId}`,
        pauseSubscription: false,
        now,
      });
      if (done) report.failed += 1;
      return;
    }
    if (delivery.attempts > 1) {
      // An earlier attempt may have reached Slack: look before sending it again.
      const found = await findInSlack(delivery);
      if (found === "token") {
        await release(delivery, tokenFailure?.reason ?? "token_error", clock());
        return;
      }
      if (found) {
        const recorded = await store.markDeliverySent(delivery.id, {
          owner,
          channelId: found.channel,
          messageTs: found.ts,
          now: clock(),
        });
        logger.info(`Delivery ${delivery.id} was already in Slack (${found.ts}); recorded it as sent`);
        if (recorded) report.sent += 1;
        return;
      }
    }
    count(await send(delivery, prompt));
  }

  async function* work(): AsyncGenerator<WorkItem> {
    const seen = new Set<string>();
    for (;;) {
      const page = await store.listRetryableDeliveries(passStart, batchSize);
      const fresh = page.filter((d) => !seen.has(d.id));
      for (const delivery of fresh) {
        seen.add(delivery.id);
        yield { kind: "retry", delivery };
      }
      if (page.length < batchSize || fresh.length === 0) break;
    }
    let after: { nextPromptAt: Date; id: string } | undefined;
    for (;;) {
      const page = await store.listDueSubscriptions(
        passStart,
        after ? { limit: batchSize, after } : { limit: batchSize },
      );
      for (const subscription of page) yield { kind: "due", subscription };
      const last = page.at(-1);
      if (!last || page.length < batchSize) break;
      after = { nextPromptAt: last.nextPromptAt, id: last.id };
    }
  }

  const items = work();
  const worker = async (): Promise<void> => {
    for (;;) {
      if (tokenFailure) return;
      const next = await items.next();
      if (next.done) return;
      const item = next.value;
      try {
        if (item.kind === "retry") await retry(item.delivery);
        else await deliverDue(item.subscription);
      } catch (error) {
        report.errors += 1;
        const what =
          item.kind === "retry" ? `delivery ${item.delivery.id}` : `subscription ${item.subscription.id}`;
        logger.error(`Prompt delivery for ${what} failed; a later pass retries it`, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
  if (report.claimed + report.missed + report.skipped + report.paused + report.errors > 0) {
    logger.info("Prompt delivery pass", report);
  }
  if (tokenFailure) throw tokenFailure;
  return report;
}

function describeFailure(failure: SlackFailure): string {
  return "reason" in failure ? failure.reason : failure.kind;
}
