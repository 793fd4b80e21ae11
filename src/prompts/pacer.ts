import { classifySlackError, type SlackFailure } from "./slack-errors.js";

/**
 * How far behind "now" the slots may run. Within any second this allows at most 2.5% more calls than
 * the spacing, which stays under the limit the spacing keeps 5% below.
 */
const CATCH_UP_MS = 25;

/**
 * Paces the calls to one Slack method. A 429 holds every call to that method for Retry-After, so
 * the sender slows down together instead of each worker hammering on its own; and from then on
 * calls are spaced at the rate Slack accepted in the second before it, so the pass settles just
 * under the limit instead of running into it (and sitting out Retry-After) again and again.
 */
export class SlackPacer {
  private holdUntil = 0;
  private spacingMs = 0;
  private nextSlot = 0;
  private readonly accepted: number[] = [];
  /** Where the last sleep ended: with an injected `sleep` (tests) time only moves by sleeping. */
  private awakeAt = 0;

  constructor(
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  private now(): number {
    return Math.max(this.clock(), this.awakeAt);
  }

  /** Resolves when the next call may go out. */
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
    // A call that comes late may use a slot missed in the last CATCH_UP_MS: timers and a busy event
    // loop wake callers a little late every time, and spacing from "now" lost that each call (the
    // pass ran at ~85% of the limit instead of 95%). The slots stay `spacingMs` apart on average.
    if (this.spacingMs > 0)
      this.nextSlot = Math.max(this.now() - CATCH_UP_MS, this.nextSlot) + this.spacingMs;
  }

  /** True while Slack has asked us to wait before calling this method again. */
  holding(): boolean {
    return this.holdUntil > this.now();
  }

  /** How long Slack has still asked us to wait (0 when it has not). */
  heldForMs(): number {
    return Math.max(0, Math.ceil(this.holdUntil - this.now()));
  }

  /** Slack accepted a call. */
  succeeded(): void {
    const now = this.now();
    this.accepted.push(now);
    while ((this.accepted[0] ?? now) < now - 1000) this.accepted.shift();
  }

  /** Slack answered 429 with this Retry-After. */
  rateLimited(retryAfterMs: number): void {
    const now = this.now();
    this.holdUntil = Math.max(this.holdUntil, now + retryAfterMs);
    const perSecond = this.accepted.filter((t) => t >= now - 1000).length;
    // 95% of what got through: a little under the limit, never faster than before.
    if (perSecond > 0) this.spacingMs = Math.max(this.spacingMs, 1000 / (perSecond * 0.95));
  }
}

export type SlackCallResult<T> = { ok: true; value: T } | { ok: false; failure: SlackFailure };

/** Logs the 429 waits; Bolt's Logger and `console` fit. */
interface WarnLogger {
  warn(...args: unknown[]): void;
}

/** Slack Web API calls of one pass, each method paced on its own (Slack limits each on its own). */
export class PacedSlack {
  private readonly pacers = new Map<string, SlackPacer>();

  constructor(
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly logger: WarnLogger,
    /** How many 429 waits one call may sit through before it gives up. */
    private readonly maxRateLimitWaits: number,
    /** Milliseconds on a monotonic clock; a test's virtual time goes here. */
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** True while Slack has asked us to wait before calling `method` again. */
  holding(method: string): boolean {
    return this.pacerFor(method).holding();
  }

  /** How long Slack has still asked us to wait before calling `method` (0 when it has not). */
  heldForMs(method: string): number {
    return this.pacerFor(method).heldForMs();
  }

  /**
   * Calls Slack, sitting out 429s; a failure (rate_limited when this call has waited its share,
   * or `onWait` said not to wait) otherwise. `onWait` runs before each wait, e.g. to extend a lease.
   */
  async call<T>(
    method: string,
    call: () => Promise<T>,
    onWait?: (ms: number) => Promise<boolean>,
  ): Promise<SlackCallResult<T>> {
    const pacer = this.pacerFor(method);
    // Already held back by an earlier 429: a caller that will not wait is told so without a call
    // (which would only earn another 429) and without sitting out the hold.
    const heldMs = pacer.heldForMs();
    if (heldMs > 0 && onWait && !(await onWait(heldMs))) {
      return { ok: false, failure: { kind: "rate_limited", retryAfterMs: heldMs } };
    }
    for (let waits = 0; ; waits++) {
      await pacer.ready();
      try {
        const value = await call();
        pacer.succeeded();
        return { ok: true, value };
      } catch (error) {
        const failure = classifySlackError(error);
        if (failure.kind !== "rate_limited") return { ok: false, failure };
        pacer.rateLimited(failure.retryAfterMs);
        this.logger.warn(`Slack asked to slow down; pausing sends for ${failure.retryAfterMs / 1000}s`);
        if (waits >= this.maxRateLimitWaits || (onWait && !(await onWait(failure.retryAfterMs)))) {
          return { ok: false, failure };
        }
      }
    }
  }

  private pacerFor(method: string): SlackPacer {
    let pacer = this.pacers.get(method);
    if (!pacer) {
      pacer = new SlackPacer(this.sleep, this.clock);
      this.pacers.set(method, pacer);
    }
    return pacer;
  }
}
