import type { Prompt } from "../content/prompts.js";
import type { Delivery } from "../store/deliveries.js";
import type { Store } from "../store/store.js";
import type { Subscription } from "../store/subscriptions.js";
import {
  DEFAULT_LEASE_MS,
  DEFAULT_MAX_LATENESS_MS,
  DEFAULT_RETENTION_DAYS,
  DEFAULT_RETRY_DELAYS_MS,
  DEFAULT_SUMMARY_DELAY_MS,
  type DeliverOptions,
  type DeliveryLogger,
  type DeliveryReport,
  defaultInstanceId,
  MINUTE,
  PROMPT_METADATA_EVENT_TYPE,
  type PromptExtras,
  type RenderPrompt,
  silentLogger,
} from "./delivery-options.js";
import { driftNudge, focusHolderKey } from "./drift.js";
import { PassClients } from "./install-clients.js";
import { PacedSlack } from "./pacer.js";
import { nextPromptFor } from "./rotation.js";
import { nextPromptAt, sameWeekPromptAt } from "./schedule.js";
import type { SlackFailure } from "./slack-errors.js";
import { currentTimeZone, findInSlack, type LookupContext } from "./slack-lookups.js";
import { postDueSummaries, redrawStaleSummaries, type SummaryContext } from "./summary-pass.js";

type WorkItem = { kind: "retry"; delivery: Delivery } | { kind: "due"; subscription: Subscription };

type SendOutcome = "sent" | "retried" | "paused" | "failed" | "lost";

/**
 * One delivery pass (see the note in deliver.ts). Read from `run`: it lists the work (retries
 * first, then due subscriptions, a page at a time), and `concurrency` workers take items from it;
 * a due subscription goes through `deliverDue`, a retry through `retry`, and both end in `send`.
 */
export class DeliveryPass {
  readonly slack: PacedSlack;
  private readonly clients: PassClients;
  readonly logger: DeliveryLogger;
  readonly historyLimit: number;
  private readonly store: Store;
  private readonly prompts: readonly Prompt[];
  private readonly promptsById: ReadonlyMap<string, Prompt>;
  private readonly passStart: Date;
  private readonly startedAt = performance.now();
  private readonly owner: string;
  private readonly render: RenderPrompt;
  private readonly summaries: SummaryContext;
  private readonly retentionDays: number;
  private readonly leaseMs: number;
  private readonly maxLatenessMs: number;
  private readonly retryDelaysMs: readonly number[];
  private readonly maxAttempts: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly report: DeliveryReport = {
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
  };
  /** Who has an intended focus, read once per pass (undefined: ask for each prompt). */
  private focusHolders: ReadonlySet<string> | undefined;

  constructor(options: DeliverOptions) {
    if (options.prompts.length === 0)
      throw new Error("No prompts to deliver: content/prompts has no *.md files");
    this.store = options.store;
    this.prompts = options.prompts;
    this.promptsById = new Map(options.prompts.map((p) => [p.id, p]));
    this.passStart = options.now ?? new Date();
    this.owner = options.instanceId ?? defaultInstanceId();
    this.logger = options.logger ?? silentLogger;
    this.render = options.renderPrompt;
    this.retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.maxLatenessMs = options.maxLatenessMs ?? DEFAULT_MAX_LATENESS_MS;
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.maxAttempts = this.retryDelaysMs.length + 1;
    this.batchSize = options.batchSize ?? 500;
    this.historyLimit = options.historyLimit ?? 15;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    this.slack = new PacedSlack(sleep, this.logger, options.maxRateLimitWaits ?? 5);
    this.clients = new PassClients(options.client, options.clients, this.logger);
    this.summaries = {
      store: this.store,
      clientFor: async (teamId) => (await this.clients.forTeam(teamId))?.client,
      slack: this.slack,
      logger: this.logger,
      render: options.renderSummary,
      delayMs: options.summaryDelayMs ?? DEFAULT_SUMMARY_DELAY_MS,
      clock: () => this.clock(),
    };
  }

  /** Runs the pass to its end; throws SlackTokenError after releasing what it held on a token error. */
  async run(): Promise<DeliveryReport> {
    await this.readFocusHolders();
    const items = this.work();
    const worker = async (): Promise<void> => {
      for (;;) {
        if (this.clients.stopped) return;
        const next = await items.next();
        if (next.done) return;
        await this.handle(next.value);
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, worker));
    if (!this.clients.stopped) await this.afterPrompts();
    const paused = this.clients.paused();
    const r: DeliveryReport =
      Object.keys(paused).length > 0 ? { ...this.report, pausedInstalls: paused } : this.report;
    if (r.claimed + r.missed + r.skipped + r.paused + r.errors + r.summaries + r.expired > 0)
      this.logger.info("Prompt delivery pass", r);
    const stopped = this.clients.stopped;
    if (stopped) throw stopped;
    return r;
  }

  private async readFocusHolders(): Promise<void> {
    try {
      const holders = await this.store.listIntendedFocusHolders();
      this.focusHolders = new Set(holders.map((h) => focusHolderKey(h.teamId, h.userId)));
    } catch (error) {
      this.logger.warn("Reading who has an intended focus failed; checking each prompt instead", error);
    }
  }

  /** Channel summaries, then retention; each on its own, so one failing does not stop the other. */
  private async afterPrompts(): Promise<void> {
    const steps: Array<[string, () => Promise<void>]> = [
      [
        "Posting channel summaries",
        async () => {
          this.report.summaries += await postDueSummaries(this.summaries);
          this.report.summaries += await redrawStaleSummaries(this.summaries);
        },
      ],
      [
        "Deleting data past its retention",
        async () => {
          const cutoff = new Date(this.clock().getTime() - this.retentionDays * 24 * 60 * MINUTE);
          const gone = await this.store.pruneExpired(cutoff);
          this.report.expired += gone.answers + gone.deliveries + gone.summaries;
        },
      ],
    ];
    for (const [what, step] of steps) {
      try {
        await step();
      } catch (error) {
        this.report.errors += 1;
        this.logger.error(`${what} failed; the next pass tries again`, error);
      }
    }
  }

  /** Retries and take-overs first, then the due subscriptions, a page of `batchSize` rows at a time. */
  private async *work(): AsyncGenerator<WorkItem> {
    const seen = new Set<string>();
    for (;;) {
      const page = await this.store.listRetryableDeliveries(this.passStart, this.batchSize);
      const fresh = page.filter((d) => !seen.has(d.id));
      for (const delivery of fresh) {
        seen.add(delivery.id);
        yield { kind: "retry", delivery };
      }
      if (page.length < this.batchSize || fresh.length === 0) break;
    }
    let after: { nextPromptAt: Date; id: string } | undefined;
    for (;;) {
      const limit = this.batchSize;
      const page = await this.store.listDueSubscriptions(
        this.passStart,
        after ? { limit, after } : { limit },
      );
      for (const subscription of page) yield { kind: "due", subscription };
      const last = page.at(-1);
      if (!last || page.length < limit) break;
      after = { nextPromptAt: last.nextPromptAt, id: last.id };
    }
  }

  private async handle(item: WorkItem): Promise<void> {
    try {
      const teamId = item.kind === "retry" ? item.delivery.teamId : item.subscription.teamId;
      // The workspace's own install: when Slack refused its token, its work stays as it is (due).
      const ctx = await this.clients.contextFor(teamId, this);
      if (!ctx) return;
      if (item.kind === "retry") await this.retry(ctx, item.delivery);
      else await this.deliverDue(ctx, item.subscription);
    } catch (error) {
      this.report.errors += 1;
      const what =
        item.kind === "retry" ? `delivery ${item.delivery.id}` : `subscription ${item.subscription.id}`;
      this.logger.error(`Prompt delivery for ${what} failed; a later pass retries it`, error);
    }
  }

  /** A due subscription: follow the person's time zone, then skip, miss, or claim and send. */
  private async deliverDue(ctx: LookupContext, found: Subscription): Promise<void> {
    const { store, logger, report } = this;
    let subscription = found;
    // Lateness is measured from the time we believed the prompt due, even if a move of time zone
    // turns out to have put it earlier.
    let believedDueAt = subscription.nextPromptAt;
    if (subscription.targetType === "user") {
      const zone = await currentTimeZone(ctx, subscription.targetId);
      if (zone.kind === "token") return;
      if (zone.kind === "pause") {
        logger.warn(`Pausing subscription ${subscription.id}: Slack said ${zone.reason}`);
        if (await store.pauseSubscription(subscription.id, zone.reason, this.clock())) report.paused += 1;
        return;
      }
      if (zone.kind === "zone" && zone.timeZone !== subscription.timeZone) {
        const moved = sameWeekPromptAt(subscription.schedule, zone.timeZone, subscription.nextPromptAt);
        const rescheduled = await store.rescheduleSubscription(subscription.id, {
          expectedNextPromptAt: subscription.nextPromptAt,
          nextPromptAt: moved,
          timeZone: zone.timeZone,
          now: this.clock(),
        });
        if (!rescheduled) return;
        logger.info(
          `Subscription ${subscription.id} follows a move from ${subscription.timeZone} to ${zone.timeZone}`,
        );
        if (moved > believedDueAt) believedDueAt = moved;
        subscription = { ...subscription, nextPromptAt: moved, timeZone: zone.timeZone };
        if (moved.getTime() > this.clock().getTime()) return;
      }
    }

    const now = this.clock();
    const dueAt = subscription.nextPromptAt;
    const following = nextPromptAt(subscription.schedule, subscription.timeZone, now);
    const due = {
      subscriptionId: subscription.id,
      expectedNextPromptAt: dueAt,
      dueAt,
      nextPromptAt: following,
      now,
    };
    if (subscription.skipNext || now.getTime() - believedDueAt.getTime() > this.maxLatenessMs) {
      const status = subscription.skipNext ? "skipped" : "missed";
      if (await store.recordUnsentDelivery({ ...due, status })) {
        report[status] += 1;
        if (status === "missed")
          logger.info(`Prompt for ${subscription.id} due ${dueAt.toISOString()} was missed`);
      }
      return;
    }

    const next = nextPromptFor(this.prompts, subscription.promptsUsed);
    if (!next) return;
    const delivery = await store.claimDueDelivery({
      ...due,
      promptId: next.prompt.id,
      promptsUsed: next.promptsUsed,
      owner: this.owner,
      leaseUntil: new Date(now.getTime() + this.leaseMs),
    });
    if (!delivery) return;
    report.claimed += 1;
    this.count(await this.send(ctx, delivery, next.prompt));
  }

  /** A delivery to try again: take it over, then give up, miss, cancel, find it in Slack, or send. */
  private async retry(ctx: LookupContext, listed: Delivery): Promise<void> {
    const { store, owner, report } = this;
    const now = this.clock();
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    const delivery = await store.reclaimDelivery(listed.id, { owner, leaseUntil, now });
    if (!delivery) return;
    report.claimed += 1;
    if (delivery.attempts > this.maxAttempts) {
      if (await this.fail(delivery, delivery.lastError ?? "too_many_attempts", now)) report.failed += 1;
      return;
    }
    if (now.getTime() - delivery.dueAt.getTime() > this.maxLatenessMs) {
      if (await store.markDeliveryMissed(delivery.id, { owner, now })) report.missed += 1;
      return;
    }
    const subscription = await store.getSubscription(delivery.subscriptionId);
    if (!subscription || subscription.pausedReason) {
      const reason = subscription ? `paused: ${subscription.pausedReason}` : "unsubscribed";
      await store.markDeliveryCancelled(delivery.id, { owner, reason, now });
      return;
    }
    const prompt = delivery.promptId ? this.promptsById.get(delivery.promptId) : undefined;
    if (!prompt) {
      if (await this.fail(delivery, `prompt_not_found: ${delivery.promptId}`, now)) report.failed += 1;
      return;
    }
    if (delivery.attempts > 1) {
      // An earlier attempt may have reached Slack: look before sending it again.
      const found = await findInSlack(ctx, delivery);
      if (found.kind === "token") {
        await this.release(delivery, "token_error", this.clock());
        return;
      }
      if (found.kind === "later") {
        // Not sent blind: the claim waits (not counted as an attempt) and is checked again after
        // Retry-After, by a later pass, until the 12-hour window closes.
        const at = this.clock();
        this.logger.info(
          `Delivery ${delivery.id} may already be in Slack and cannot be checked now (${found.reason}); checking again in ${Math.ceil(found.afterMs / 1000)}s`,
        );
        const kept = await store.markDeliveryRetrying(delivery.id, {
          owner,
          error: `unchecked: ${found.reason}`,
          nextAttemptAt: new Date(at.getTime() + found.afterMs),
          attempts: delivery.attempts - 1,
          now: at,
        });
        if (kept) report.retried += 1;
        return;
      }
      if (found.kind === "found") {
        const recorded = await store.markDeliverySent(delivery.id, {
          owner,
          channelId: found.channel,
          messageTs: found.ts,
          now: this.clock(),
        });
        this.logger.info(`Delivery ${delivery.id} was already in Slack (${found.ts}); recorded it as sent`);
        if (recorded) report.sent += 1;
        return;
      }
    }
    this.count(await this.send(ctx, delivery, prompt));
  }

  /** Posts the prompt of a claimed delivery, with its workspace's client, and records the outcome. */
  private async send(ctx: LookupContext, delivery: Delivery, prompt: Prompt): Promise<SendOutcome> {
    const { store, owner } = this;
    const extras: PromptExtras = {};
    const nudge = await driftNudge(store, delivery, this.clock(), this.focusHolders);
    if (nudge) this.report.nudges += 1;
    const message = this.render(prompt, delivery, nudge ? { ...extras, nudge } : extras);
    const result = await this.slack.call(
      "chat.postMessage",
      () =>
        ctx.client.chat.postMessage({
          channel: delivery.targetId,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
          // Names the delivery in Slack itself, so a pass after a crash can find it (see findInSlack).
          metadata: { event_type: PROMPT_METADATA_EVENT_TYPE, event_payload: { delivery_id: delivery.id } },
        }),
      (waitMs) => {
        const now = this.clock();
        return store.extendDeliveryLease(delivery.id, {
          owner,
          leaseUntil: new Date(now.getTime() + waitMs + this.leaseMs),
          now,
        });
      },
    );
    const now = this.clock();
    if (!result.ok) return this.sendFailed(ctx, delivery, result.failure, now);
    const recorded = await store.markDeliverySent(delivery.id, {
      owner,
      channelId: result.value.channel ?? delivery.targetId,
      messageTs: result.value.ts ?? "",
      now,
    });
    if (!recorded) {
      this.logger.warn(
        `Delivery ${delivery.id} was sent after its lease passed to another instance; it may show twice`,
      );
    }
    return "sent";
  }

  /** Records what a failed send means for the delivery: retry, give back, pause, or give up. */
  private async sendFailed(
    ctx: LookupContext,
    delivery: Delivery,
    failure: SlackFailure,
    now: Date,
  ): Promise<SendOutcome> {
    const { store, owner, logger } = this;
    switch (failure.kind) {
      case "token":
        ctx.tokenError("chat.postMessage", failure);
        return (await this.release(delivery, failure.reason, now)) ? "retried" : "lost";
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
        const delay = this.retryDelaysMs[delivery.attempts - 1];
        if (delivery.attempts >= this.maxAttempts || delay === undefined) {
          logger.error(
            `Giving up on delivery ${delivery.id} after ${delivery.attempts} attempts: ${failure.reason}`,
          );
          return (await this.fail(delivery, failure.reason, now)) ? "failed" : "lost";
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
      case "permanent":
        logger.error(`Slack refused delivery ${delivery.id}: ${failure.reason}`);
        return (await this.fail(delivery, failure.reason, now)) ? "failed" : "lost";
      case "unexpected":
        throw new Error(`Sending delivery ${delivery.id} failed: ${failure.reason}`);
    }
  }

  /** Gives up on the delivery for good, leaving its subscription as it is. */
  private fail(delivery: Delivery, error: string, now: Date): Promise<boolean> {
    return this.store.markDeliveryFailed(delivery.id, {
      owner: this.owner,
      error,
      pauseSubscription: false,
      now,
    });
  }

  /** Gives a claim back untouched (not counted as an attempt), due again at once. */
  private release(delivery: Delivery, error: string, now: Date): Promise<boolean> {
    return this.store.markDeliveryRetrying(delivery.id, {
      owner: this.owner,
      error,
      nextAttemptAt: now,
      attempts: delivery.attempts - 1,
      now,
    });
  }

  private count(outcome: SendOutcome): void {
    if (outcome !== "lost") this.report[outcome] += 1;
  }

  /** The pass's start plus the real time elapsed since. */
  private clock(): Date {
    return new Date(this.passStart.getTime() + (performance.now() - this.startedAt));
  }
}
