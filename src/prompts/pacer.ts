import { classifySlackError, type SlackFailure } from "./slack-errors.js";

/**
 * How far behind "now" the slots may run. Within any second this allows at most 2.5% more calls than
 * the rate, which stays under the limit the rate keeps 5% below.
 */
const CATCH_UP_MS = 25;
/** The share of a count of accepted calls that the pacer sends at. */
const SHARE = 0.95;
/** How much slower a rate that Slack still answered 429 to becomes. */
const SLOW_DOWN = 0.85;
/** How long a rate must run without a 429 to count as fine. */
const QUIET_MS = 3000;
/** A fine rate this close under the slowest rate Slack refused is left alone. */
const CLOSE_ENOUGH = 1.06;

/**
 * Paces the calls to one Slack method. A 429 holds every call to that method for Retry-After, so
 * the sender slows down together instead of each worker hammering on its own; and from then on
 * calls are spaced at a rate, so the pass settles just under the limit instead of running into it
 * (and sitting out Retry-After) again and again.
 *
 * The first rate is 95% of the calls Slack accepted in the second before the first 429. That is
 * the limit when Slack counts over a sliding second, but up to twice it when Slack counts per fixed
 * window: the second before the 429 may hold the end of the window before. And a 429 says only that
 * the rate was too fast, not by how much (at a steady rate the last second holds that rate, window
 * or not). So a 429 while paced slows the rate by 15% at once, rather than to 95% of a count that
 * shrinks a little at each of many held seconds; and a rate that then runs QUIET_MS without a 429 is
 * raised half way (geometrically) towards the slowest rate Slack refused, as long as that is more
 * than 6% above it. A raise that meets a 429 goes back to the rate that was fine, or to 95% of
 * what Slack accepted in the last second if that is lower: near the limit a rate can run a few
 * seconds before its 429 comes, so "fine" there is not proof. (The pacer then stays put until
 * another 429.) Each 429 costs a held second, which is why the raises stop 6% short and the
 * slow-down is not smaller; in a simulation (tests/pacer.test.ts) these settings came out best
 * among those tried, against fixed windows at any phase as well as sliding ones.
 */
export class SlackPacer {
  private holdUntil = 0;
  /** Calls a second; 0 (unpaced) until the first 429. */
  private rate = 0;
  /** When `rate` was set (its first call goes out when the hold ends). */
  private rateSince = 0;
  /** The slowest rate Slack answered 429 to (or the count that set the first rate). */
  private tooFast = Number.POSITIVE_INFINITY;
  /** The fastest rate that ran QUIET_MS without a 429 and with its calls accepted at that pace. */
  private fine = 0;
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
    // pass ran at ~85% of the limit instead of 95%). The slots stay `1000 / rate` apart on average.
    if (this.rate > 0) this.nextSlot = Math.max(this.now() - CATCH_UP_MS, this.nextSlot) + 1000 / this.rate;
  }

  /** True while Slack has asked us to wait before calling this method again. */
  holding(): boolean {
    return this.holdUntil > this.now();
  }

  /** How long Slack has still asked us to wait (0 when it has not). */
  heldForMs(): number {
    return Math.max(0, Math.ceil(this.holdUntil - this.now()));
  }

  private acceptedInLastSecond(now: number): number {
    while ((this.accepted[0] ?? now) < now - 1000) this.accepted.shift();
    return this.accepted.length;
  }

  private pace(rate: number, since: number): void {
    this.rate = rate;
    this.rateSince = since;
  }

  /** Slack accepted a call. */
  succeeded(): void {
    const now = this.now();
    this.accepted.push(now);
    const perSecond = this.acceptedInLastSecond(now);
    if (this.rate === 0 || now - Math.max(this.rateSince, this.holdUntil) < QUIET_MS) return;
    // A rate the sender did not keep up (busy, or out of work) says nothing about the limit.
    if (perSecond >= this.rate * 0.9) this.fine = Math.max(this.fine, this.rate);
    const faster = this.fine === this.rate && this.tooFast > this.rate * CLOSE_ENOUGH;
    this.pace(faster ? Math.sqrt(this.rate * this.tooFast) : this.rate, now);
  }

  /** Slack answered 429 with this Retry-After. */
  rateLimited(retryAfterMs: number): void {
    const now = this.now();
    // A call in flight when the hold began: the 429 that began it already said what this one says.
    const sameBurst = now < this.holdUntil;
    this.holdUntil = Math.max(this.holdUntil, now + retryAfterMs);
    if (sameBurst) return;
    const perSecond = this.acceptedInLastSecond(now);
    if (this.rate === 0) {
      if (perSecond === 0) return;
      this.tooFast = perSecond;
      this.pace(perSecond * SHARE, this.holdUntil);
    } else if (this.rate > this.fine) {
      // Too fast: a raise goes back to the rate that was fine, any other rate slows down.
      this.tooFast = Math.min(this.tooFast, this.rate);
      const slower = this.fine > 0 ? this.fine : this.rate * SLOW_DOWN;
      this.pace(Math.min(slower, perSecond * SHARE || slower), this.holdUntil);
    } else {
      // A rate that ran fine met a 429 (another sender, a per-channel limit): one is not enough to
      // slow down, but the rate must prove itself again before the next one is let pass.
      this.fine = 0;
      this.rateSince = this.holdUntil;
    }
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
