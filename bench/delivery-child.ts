/**
 * Child process of the delivery benchmark, so that its memory and event loop hold nothing but the
 * store and deliverDuePrompts. The parent runs the fake Slack, and runs this file bundled as the
 * app ships (see bundleChild in delivery.ts), with plain node and its working directory the project.
 *
 * Environment: BENCH_DATABASE_URL, BENCH_SLACK_API_URL, BENCH_COUNT, optionally
 * BENCH_DELIVERY_CONCURRENCY (default: deliverDuePrompts' own), BENCH_ZONES_READ_AHEAD=0 (see below)
 * and BENCH_CPU_PROF (a folder: a CPU profile of the pass alone is written there). Sends one `DeliveryChildResult` over IPC and exits.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import { webApi } from "@slack/bolt";
import { loadLibrary } from "../src/content/load.js";
import { loadPrompts } from "../src/content/prompts.js";
import { type DeliveryLogger, deliverDuePrompts } from "../src/prompts/deliver.js";
import { passRenderers } from "../src/slack/views/pass-renderers.js";
import { openStore, type Store } from "../src/store/index.js";
import {
  BENCH_TEAM,
  BENCH_TIME_ZONE,
  benchUserId,
  type CallTiming,
  type DeliveryChildResult,
} from "./delivery-shared.js";

type Timings = Map<string, { calls: number; failures: number; totalMs: number; maxMs: number }>;

function record(timings: Timings, name: string, ms: number, failed: boolean): void {
  const entry = timings.get(name) ?? { calls: 0, failures: 0, totalMs: 0, maxMs: 0 };
  entry.calls += 1;
  entry.totalMs += ms;
  entry.maxMs = Math.max(entry.maxMs, ms);
  if (failed) entry.failures += 1;
  timings.set(name, entry);
}

/** Wraps an async function so every call's duration is recorded under `name`. */
function timedFn<A extends unknown[], R>(timings: Timings, name: string, fn: (...args: A) => Promise<R>) {
  return async (...args: A): Promise<R> => {
    const start = performance.now();
    let failed = false;
    try {
      return await fn(...args);
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      record(timings, name, performance.now() - start, failed);
    }
  };
}

/** The store with every method timed (time per phase of the pass). */
function timedStore(store: Store, timings: Timings): Store {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== "function") return value;
      return timedFn(timings, String(key), (...args: unknown[]) =>
        Promise.resolve((value as (...a: unknown[]) => unknown).apply(target, args)),
      );
    },
  });
}

function report(timings: Timings): Record<string, CallTiming> {
  const round = (v: number) => Math.round(v * 100) / 100;
  return Object.fromEntries(
    [...timings].map(([name, t]) => [
      name,
      {
        calls: t.calls,
        failures: t.failures,
        totalMs: round(t.totalMs),
        meanMs: round(t.totalMs / t.calls),
        maxMs: round(t.maxMs),
      },
    ]),
  );
}

/** Profiles what `work` runs (not the set-up before it) when BENCH_CPU_PROF names a folder. */
async function profiled<T>(work: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_CPU_PROF;
  if (!dir) return work();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  try {
    return await work();
  } finally {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(join(dir, `delivery-pass-${process.pid}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

async function main(): Promise<DeliveryChildResult> {
  const root = process.cwd();
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? "";
  const apiUrl = process.env.BENCH_SLACK_API_URL ?? "";
  const count = Number(process.env.BENCH_COUNT ?? "10000");
  const prompts = loadPrompts(join(root, "content", "prompts"));
  const store = await openStore(databaseUrl);
  try {
    const now = Date.now();
    // The app reads each person's zone in the day before their prompt, a few dozen a pass
    // (src/prompts/zone-lookahead.ts): 10,000 prompts due at once had theirs read from about four
    // hours before, 50,000 from about 21. BENCH_ZONES_READ_AHEAD=0 leaves them unread, so each
    // prompt asks users.info when due (what every prompt did before the look-ahead).
    const zonesReadAt =
      process.env.BENCH_ZONES_READ_AHEAD === "0" ? undefined : new Date(now - 3 * 60 * 60 * 1000);
    const insertStart = performance.now();
    // SQLite is synchronous underneath; PostgreSQL gets a few inserts in flight at once.
    const inFlight = store.dialect === "postgres" ? 10 : 1;
    for (let i = 0; i < count; i += inFlight) {
      const batch: Promise<unknown>[] = [];
      for (let j = i; j < Math.min(count, i + inFlight); j++) {
        batch.push(
          store.upsertSubscription({
            teamId: BENCH_TEAM,
            targetType: "user",
            targetId: benchUserId(j),
            subscribedBy: benchUserId(j),
            schedule: { weekday: 1, time: "09:00" },
            timeZone: BENCH_TIME_ZONE,
            ...(zonesReadAt ? { timeZoneCheckedAt: zonesReadAt } : {}),
            // All due within the past minute.
            nextPromptAt: new Date(now - 1_000 - ((j * 7_919) % 58_000)),
            now: new Date(now - 120_000),
          }),
        );
      }
      await Promise.all(batch);
    }
    const insertMs = performance.now() - insertStart;

    const storeTimings: Timings = new Map();
    const slackTimings: Timings = new Map();
    const client = new webApi.WebClient("xoxb-bench", {
      slackApiUrl: apiUrl,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      logLevel: webApi.LogLevel.ERROR,
    });
    const timedClient = {
      chat: {
        postMessage: timedFn(slackTimings, "chat.postMessage", client.chat.postMessage.bind(client.chat)),
      },
      users: { info: timedFn(slackTimings, "users.info", client.users.info.bind(client.users)) },
      conversations: client.conversations,
    };
    const logged = { warn: 0, error: 0, firstErrors: [] as string[] };
    const logger: DeliveryLogger = {
      debug() {},
      info() {},
      warn() {
        logged.warn += 1;
      },
      error(...args: unknown[]) {
        logged.error += 1;
        if (logged.firstErrors.length < 5) logged.firstErrors.push(args.map(String).join(" ").slice(0, 300));
      },
    };

    // Loaded before the clock starts: the app loads its library once, at start-up, not per pass.
    const renderers = passRenderers(loadLibrary(join(root, "content"), { baseUrl: null }));
    global.gc?.();
    const rssBefore = process.memoryUsage.rss();
    let peakRss = rssBefore;
    let peakHeap = process.memoryUsage().heapUsed;
    // RSS every 100 ms, the heap every second: a full memoryUsage() took ~1 ms of the CPU the pass
    // is measured by on a loaded machine.
    let samples = 0;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      if (++samples % 10 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }, 100);
    const elu = performance.eventLoopUtilization();
    const cpu = process.cpuUsage();
    const passStart = performance.now();
    const result = await profiled(() =>
      deliverDuePrompts({
        store: timedStore(store, storeTimings),
        client: { ...timedClient, chat: { ...timedClient.chat, update: (args) => client.chat.update(args) } },
        prompts,
        ...renderers,
        now: new Date(),
        logger,
        // Diagnostic knob; unset means the app's own default.
        ...(process.env.BENCH_DELIVERY_CONCURRENCY
          ? { concurrency: Number(process.env.BENCH_DELIVERY_CONCURRENCY) }
          : {}),
      }),
    );
    const passMs = performance.now() - passStart;
    const cpuUsed = process.cpuUsage(cpu);
    const eventLoop = performance.eventLoopUtilization(elu);
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
    return {
      dialect: store.dialect,
      insertMs: Math.round(insertMs),
      passMs: Math.round(passMs),
      report: (({ pausedInstalls: _paused, ...counts }) => counts)(result),
      rssBeforeMiB: mib(rssBefore),
      peakRssMiB: mib(peakRss),
      peakHeapUsedMiB: mib(peakHeap),
      eventLoopUtilization: Math.round(eventLoop.utilization * 1000) / 1000,
      cpuUserMs: Math.round(cpuUsed.user / 1000),
      cpuSystemMs: Math.round(cpuUsed.system / 1000),
      store: report(storeTimings),
      slack: report(slackTimings),
      logged,
    };
  } finally {
    await store.close();
  }
}

main().then(
  (result) => {
    process.send?.({ type: "result", result }, () => process.exit(0));
  },
  (error: unknown) => {
    process.send?.(
      { type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) },
      () => process.exit(1),
    );
  },
);
