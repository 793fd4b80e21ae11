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
  type RenderPrompt,
  silentLogger,
} from "./delivery-options.js";
import { retryDelivery } from "./delivery-retry.js";
import { countOutcome, releaseDelivery, sendPrompt } from "./delivery-send.js";
import { focusHolderKey } from "./drift.js";
import { type ClaimPlan, planDue } from "./due-claims.js";
import { PassClients } from "./install-clients.js";
import { PacedSlack } from "./pacer.js";
import type { PassContext } from "./pass-context.js";
import { postDueSummaries, redrawStaleSummaries, type SummaryContext } from "./summary-pass.js";
import { readZonesAhead } from "./zone-lookahead.js";

type WorkItem =
  | { kind: "retry"; delivery: Delivery }
  | { kind: "claimed"; delivery: Delivery; prompt: Prompt };

/**
 * Due prompts claimed per commit. A chunk is claimed while the one before it is sent, so this also
 * bounds how far claims run ahead of the sends (at 500 messages a second, two chunks are ~0.1 s).
 */
const CLAIM_BATCH = 32;

/**
 * One delivery pass (see the note in deliver.ts). Read from `run`: it lists the work (retries
 * first, then due subscriptions, a page at a time), and `concurrency` workers take items from it.
 * A retry goes through delivery-retry.ts; due subscriptions are looked at and claimed a chunk at a
 * time (due-claims.ts, then one commit for the chunk), and each claimed prompt is sent by a worker
 * (delivery-send.ts).
 */
export class DeliveryPass implements PassContext {
  readonly slack: PacedSlack;
  private readonly clients: PassClients;
  readonly logger: DeliveryLogger;
  readonly historyLimit: number;
  readonly store: Store;
  readonly prompts: readonly Prompt[];
  readonly promptsById: ReadonlyMap<string, Prompt>;
  private readonly passStart: Date;
  private readonly startedAt = performance.now();
  readonly owner: string;
  readonly render: RenderPrompt;
  private readonly summaries: SummaryContext;
  private readonly retentionDays: number;
  readonly leaseMs: number;
  readonly maxLatenessMs: number;
  readonly retryDelaysMs: readonly number[];
  readonly maxAttempts: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  readonly report: DeliveryReport = {
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
  focusHolders: ReadonlySet<string> | undefined;
  private readonly tracked = new Set<Promise<void>>();

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
    while (this.tracked.size > 0) await Promise.all(this.tracked);
    if (this.clients.stopped) await this.releaseUnsent(items);
    else await this.afterPrompts();
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
        "Reading time zones ahead",
        () => readZonesAhead(this, (teamId) => this.clients.contextFor(teamId, this)),
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

  /** Retries and take-overs first, then the due subscriptions' prompts, claimed a chunk at a time. */
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
    // Each chunk is claimed while the one before it is being sent.
    let claiming: Promise<WorkItem[]> | undefined;
    for await (const chunk of this.dueChunks()) {
      const next = this.claimChunk(chunk);
      if (claiming) yield* await claiming;
      claiming = next;
    }
    if (claiming) yield* await claiming;
  }

  /** Due subscriptions, a page of `batchSize` rows at a time, in chunks of `CLAIM_BATCH`. */
  private async *dueChunks(): AsyncGenerator<Subscription[]> {
    let after: { nextPromptAt: Date; id: string } | undefined;
    for (;;) {
      if (this.clients.stopped) return;
      const limit = this.batchSize;
      const page = await this.store.listDueSubscriptions(
        this.passStart,
        after ? { limit, after } : { limit },
      );
      for (let i = 0; i < page.length; i += CLAIM_BATCH) yield page.slice(i, i + CLAIM_BATCH);
      const last = page.at(-1);
      if (!last || page.length < limit) return;
      after = { nextPromptAt: last.nextPromptAt, id: last.id };
    }
  }

  /**
   * A chunk of due subscriptions: their time zones looked up (`concurrency` at a time), then the
   * prompts still due claimed together, one commit for the chunk. Never rejects: a failure counts
   * as an error and leaves the prompts due for a later pass.
   */
  private async claimChunk(chunk: readonly Subscription[]): Promise<WorkItem[]> {
    const plans: ClaimPlan[] = [];
    let next = 0;
    const plan = async (): Promise<void> => {
      for (let i = next++; i < chunk.length && !this.clients.stopped; i = next++) {
        const subscription = chunk[i] as Subscription;
        try {
          const ctx = await this.clients.contextFor(subscription.teamId, this);
          if (!ctx) continue;
          const planned = await planDue(this, ctx, subscription);
          if (planned) plans.push(planned);
        } catch (error) {
          this.failed(`subscription ${subscription.id}`, error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, chunk.length) }, plan));
    if (plans.length === 0 || this.clients.stopped) return [];
    try {
      const claimed = await this.store.claimDueDeliveries(plans.map((p) => p.input));
      const items: WorkItem[] = [];
      claimed.forEach((delivery, i) => {
        const planned = plans[i];
        if (!delivery || !planned) return;
        this.report.claimed += 1;
        items.push({ kind: "claimed", delivery, prompt: planned.prompt });
      });
      return items;
    } catch (error) {
      for (const p of plans) this.failed(`subscription ${p.input.subscriptionId}`, error);
      return [];
    }
  }

  private failed(what: string, error: unknown): void {
    this.report.errors += 1;
    this.logger.error(`Prompt delivery for ${what} failed; a later pass retries it`, error);
  }

  private async handle(item: WorkItem): Promise<void> {
    try {
      // The workspace's own install: when Slack refused its token, its work stays as it is (due).
      const ctx = await this.clients.contextFor(item.delivery.teamId, this);
      if (item.kind === "retry") {
        if (ctx) await retryDelivery(this, ctx, item.delivery);
        return;
      }
      if (!ctx) {
        await releaseDelivery(this, item.delivery, "token_error", this.clock());
        return;
      }
      if (await this.leaseHeld(item.delivery))
        countOutcome(this, await sendPrompt(this, ctx, item.delivery, item.prompt));
    } catch (error) {
      this.failed(`delivery ${item.delivery.id}`, error);
    }
  }

  /**
   * A claim made with its chunk may have waited (behind 429s) for a worker: past half its lease it
   * is extended before the send, so no other instance takes it over meanwhile.
   */
  private async leaseHeld(delivery: Delivery): Promise<boolean> {
    const now = this.clock();
    const until = delivery.leaseExpiresAt?.getTime() ?? 0;
    if (until - now.getTime() > this.leaseMs / 2) return true;
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    return this.store.extendDeliveryLease(delivery.id, { owner: this.owner, leaseUntil, now });
  }

  /** Claims still held when a token error stopped the pass go back, due again at once. */
  private async releaseUnsent(items: AsyncGenerator<WorkItem>): Promise<void> {
    for await (const item of items) {
      if (item.kind !== "claimed") continue;
      try {
        await releaseDelivery(this, item.delivery, "token_error", this.clock());
      } catch (error) {
        this.failed(`delivery ${item.delivery.id}`, error);
      }
    }
  }

  track(work: Promise<void>): void {
    const done = work.finally(() => this.tracked.delete(done));
    this.tracked.add(done);
  }

  clock(): Date {
    return new Date(this.passStart.getTime() + (performance.now() - this.startedAt));
  }
}
