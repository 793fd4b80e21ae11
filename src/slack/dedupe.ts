import type { Logger } from "@slack/bolt";
import type { Store } from "../store/types.js";

/**
 * Remembers event ids for a while so that Slack's retries of an event (sent when it thinks our
 * first answer was lost) never produce a second reply. Slack retries within about five minutes.
 */
export class RecentEvents {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = EVENT_MEMORY_MS,
    private readonly maxSize = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time an id is offered within the time window, false for every repeat. */
  firstTime(id: string): boolean {
    const now = this.now();
    this.evict(now);
    if (this.seen.has(id)) return false;
    this.seen.set(id, now + this.ttlMs);
    return true;
  }

  private evict(now: number): void {
    // Map keeps insertion order and every entry has the same TTL, so expired ones are at the front.
    for (const [id, expires] of this.seen) {
      if (expires > now && this.seen.size <= this.maxSize) break;
      this.seen.delete(id);
    }
  }
}

/** How long an event id is remembered: Slack's last retry comes about five minutes after the first. */
export const EVENT_MEMORY_MS = 15 * 60_000;

/**
 * Whether an event is new to the app. Only Events API deliveries are retried by Slack (with
 * `X-Slack-Retry-Num`, the same `event_id` each time); slash commands and clicks are not: a late
 * acknowledgement shows the person an error, and what they send again is a new request.
 */
export interface EventMemory {
  firstTime(eventId: string): Promise<boolean>;
}

export interface SharedEventsOptions {
  ttlMs?: number;
  /** Expired claims are deleted at most this often (from whichever request comes next). */
  sweepEveryMs?: number;
  /** A claim the store has not answered by then counts as failed. */
  claimDeadlineMs?: number;
  now?: () => number;
}

type ClaimStore = Pick<Store, "claimEvent" | "sweepEventClaims">;

/**
 * The event memory of several app processes sharing one PostgreSQL database: an event is claimed in
 * the store (a unique key), so a retry that lands on another process is not answered again.
 *
 * When the store cannot be reached (or does not answer within `claimDeadlineMs`), the event is
 * answered anyway and remembered in this process only: Slack acknowledged delivery already (Bolt
 * acks events before any middleware), so refusing would lose the question for good, while the cost
 * of answering is a possible second answer if a retry reaches another process during the outage.
 * Each such failure is logged as a warning; /healthz reports the store down meanwhile.
 */
export class SharedEvents implements EventMemory {
  private readonly local: RecentEvents;
  private readonly ttlMs: number;
  private readonly sweepEveryMs: number;
  private readonly claimDeadlineMs: number;
  private readonly now: () => number;
  private lastSweep: number;

  constructor(
    private readonly store: ClaimStore,
    private readonly logger: Logger,
    options: SharedEventsOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? EVENT_MEMORY_MS;
    this.sweepEveryMs = options.sweepEveryMs ?? 60_000;
    this.claimDeadlineMs = options.claimDeadlineMs ?? 2_000;
    this.now = options.now ?? Date.now;
    this.local = new RecentEvents(this.ttlMs, 50_000, this.now);
    this.lastSweep = this.now();
  }

  async firstTime(eventId: string): Promise<boolean> {
    // A retry that comes back to this process is known without a round trip.
    if (!this.local.firstTime(eventId)) return false;
    const now = this.now();
    this.sweepIfDue(now);
    try {
      return await this.withinDeadline(
        this.store.claimEvent(eventId, new Date(now), new Date(now + this.ttlMs)),
      );
    } catch (error) {
      this.logger.warn(
        `Could not claim event ${eventId} in the shared store (${error instanceof Error ? error.message : error}); ` +
          "answering it anyway: a retry reaching another instance meanwhile may be answered twice",
      );
      return true;
    }
  }

  private sweepIfDue(now: number): void {
    if (now - this.lastSweep < this.sweepEveryMs) return;
    this.lastSweep = now;
    this.store.sweepEventClaims(new Date(now)).then(
      (deleted) => this.logger.debug(`Swept ${deleted} expired event claim(s)`),
      (error) =>
        this.logger.warn(
          `Could not sweep expired event claims: ${error instanceof Error ? error.message : error}`,
        ),
    );
  }

  private withinDeadline<T>(work: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.claimDeadlineMs} ms`)),
        this.claimDeadlineMs,
      );
    });
    work.catch(() => {}); // a late failure after the deadline is already handled
    return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
  }
}

/** The in-process memory, for one instance on SQLite. */
export function localEvents(recent = new RecentEvents()): EventMemory {
  return { firstTime: async (eventId) => recent.firstTime(eventId) };
}

/** Shared through the store when it is shared (PostgreSQL), else in this process. */
export function eventMemory(shared: boolean, store: ClaimStore, logger: Logger): EventMemory {
  return shared ? new SharedEvents(store, logger) : localEvents();
}
