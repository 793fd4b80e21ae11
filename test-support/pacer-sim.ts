/**
 * A delivery pass in virtual time: `workers` senders push `count` messages through the real
 * PacedSlack to a simulated rate limiter, each call taking `latencyMs`. No wall clock is involved,
 * so pacer designs compare without timing noise (tests/pacer.test.ts, bench/pacer-sim.ts).
 */
import { PacedSlack, type SlackCallResult } from "../src/prompts/pacer.js";

/** Decides each call as it reaches Slack; `retryAfterS` is the Retry-After of its 429s. */
export interface Limiter {
  readonly name: string;
  readonly retryAfterS: number;
  accept(now: number): boolean;
}

/** `limit` calls per fixed window of `windowMs`, the windows starting at `phaseMs` (like the fake Slack). */
export function fixedWindow(limit: number, phaseMs = 0, windowMs = 1000): Limiter {
  let current = Number.NaN;
  let used = 0;
  return {
    name: `fixed ${limit}/${windowMs}ms @${phaseMs}`,
    retryAfterS: 1,
    accept(now) {
      const window = Math.floor((now - phaseMs) / windowMs);
      if (window !== current) {
        current = window;
        used = 0;
      }
      if (used >= limit) return false;
      used += 1;
      return true;
    },
  };
}

/** At most `limit` calls accepted in any `windowMs`. */
export function slidingWindow(limit: number, windowMs = 1000): Limiter {
  const accepted: number[] = [];
  let head = 0;
  return {
    name: `sliding ${limit}/${windowMs}ms`,
    retryAfterS: 1,
    accept(now) {
      while (head < accepted.length && (accepted[head] as number) <= now - windowMs) head += 1;
      if (accepted.length - head >= limit) return false;
      accepted.push(now);
      return true;
    },
  };
}

/** `perSecond` tokens a second into a bucket of `burst`; a call takes one. */
export function tokenBucket(perSecond: number, burst: number): Limiter {
  let tokens = burst;
  let at = 0;
  return {
    name: `bucket ${perSecond}/s burst ${burst}`,
    retryAfterS: 1,
    accept(now) {
      tokens = Math.min(burst, tokens + ((now - at) * perSecond) / 1000);
      at = now;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

/** Timers on a virtual clock; `run` fires them in order, letting promise chains settle between. */
class VirtualTime {
  now = 0;
  private readonly heap: Array<{ at: number; seq: number; resolve: () => void }> = [];
  private seq = 0;
  private seed: number;

  constructor(
    private readonly lateMs: number,
    seed: number,
  ) {
    this.seed = seed;
  }

  /** Deterministic 0..1 (a small LCG), for timers that wake a little late as real ones do. */
  private random(): number {
    this.seed = (this.seed * 1103515245 + 12345) % 2147483648;
    return this.seed / 2147483648;
  }

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const at = this.now + Math.max(0, ms) + this.random() * this.lateMs;
      this.push({ at, seq: this.seq++, resolve });
    });

  async run(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      const next = this.pop();
      if (!next) return;
      this.now = Math.max(this.now, next.at);
      next.resolve();
    }
  }

  private less(a: number, b: number): boolean {
    const x = this.heap[a] as { at: number; seq: number };
    const y = this.heap[b] as { at: number; seq: number };
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }

  private swap(a: number, b: number): void {
    const h = this.heap;
    [h[a], h[b]] = [h[b] as (typeof h)[number], h[a] as (typeof h)[number]];
  }

  private push(item: { at: number; seq: number; resolve: () => void }): void {
    this.heap.push(item);
    for (let i = this.heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private pop(): { at: number; resolve: () => void } | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (!top || !last || this.heap.length === 0) return top;
    this.heap[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.heap.length && this.less(l, m)) m = l;
      if (r < this.heap.length && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }
}

export interface SimOptions {
  count: number;
  limiter: Limiter;
  workers?: number;
  /** Round trip of one call; the limiter sees it half way. */
  latencyMs?: number;
  /** Each timer wakes up to this much late (uniform, seeded). */
  lateMs?: number;
  /** Virtual time at which the pass starts (moves it against fixed windows). */
  startMs?: number;
  seed?: number;
  /** The sender under test; PacedSlack by default. */
  makeSlack?: (sleep: (ms: number) => Promise<void>, clock: () => number) => Sender;
}

export interface Sender {
  call<T>(method: string, call: () => Promise<T>): Promise<SlackCallResult<T>>;
}

export interface SimResult {
  /** From the pass's start to the last accepted call, in seconds. */
  seconds: number;
  rejected: number;
  /** Calls that gave up after their 429 waits (sent again here, as a later pass would). */
  gaveUp: number;
  /** Accepted calls per second of the pass. */
  acceptedPerSecond: number[];
  /** Virtual times (ms since the start) of the 429s. */
  rejectedAt: number[];
}

export async function simulatePass(options: SimOptions): Promise<SimResult> {
  const { count, limiter } = options;
  const latencyMs = options.latencyMs ?? 8;
  const startMs = options.startMs ?? 0;
  const time = new VirtualTime(options.lateMs ?? 0, options.seed ?? 1);
  time.now = startMs;
  const clock = () => time.now;
  const slack =
    options.makeSlack?.(time.sleep, clock) ?? new PacedSlack(time.sleep, { warn: () => {} }, 5, clock);
  let left = count;
  let lastAccepted = startMs;
  let rejected = 0;
  let gaveUp = 0;
  const acceptedPerSecond: number[] = [];
  const rejectedAt: number[] = [];
  const post = async (): Promise<void> => {
    await time.sleep(latencyMs / 2);
    const ok = limiter.accept(time.now);
    const at = time.now;
    await time.sleep(latencyMs / 2);
    if (!ok) {
      rejected += 1;
      rejectedAt.push(Math.round(at - startMs));
      throw { code: "slack_webapi_rate_limited_error", retryAfter: limiter.retryAfterS };
    }
    const second = Math.floor((at - startMs) / 1000);
    acceptedPerSecond[second] = (acceptedPerSecond[second] ?? 0) + 1;
    lastAccepted = Math.max(lastAccepted, at);
  };
  const worker = async (): Promise<void> => {
    while (left > 0) {
      left -= 1;
      const result = await slack.call("chat.postMessage", post);
      if (!result.ok) {
        gaveUp += 1;
        left += 1;
      }
    }
  };
  const done = Promise.all(Array.from({ length: options.workers ?? 8 }, worker));
  await time.run();
  await done;
  return {
    seconds: (lastAccepted - startMs) / 1000,
    rejected,
    gaveUp,
    acceptedPerSecond: Array.from(acceptedPerSecond, (n) => n ?? 0),
    rejectedAt,
  };
}
