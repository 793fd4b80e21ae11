import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { redactDatabaseUrl } from "../src/store/index.js";
import { startFakeSlack } from "../test-support/fake-slack.js";
import { postgresSchema } from "../tests/helpers/postgres.js";
import { BENCH_DIR, fmt, type PartResult, ROOT, type Row, round } from "./common.js";
import { benchUserId, type DeliveryChildResult } from "./delivery-shared.js";

const SUBSCRIPTIONS = 10_000;
/** PostgreSQL is also run at this size: a claim's cost shows over a longer pass (issue 21). */
const LARGE_SUBSCRIPTIONS = 50_000;
/** chat.postMessage calls the fake Slack accepts per second; the floor is count / RATE seconds. */
const RATE = 500;
const TARGET_RATIO = { SQLite: 1.1, PostgreSQL: 1.2 } as const;

export interface DeliveryRun {
  database: keyof typeof TARGET_RATIO;
  subscriptions: number;
  floorSeconds: number;
  passSeconds: number;
  ratio: number;
  accepted: number;
  rejected429: number;
  usersInfoCalls: number;
  duplicates: number;
  extraMessages: number;
  losses: number;
  /** Accepted chat.postMessage per wall-clock second of the fake's limiter, first to last. */
  acceptedPerSecond: number[];
  /** CPU the fake Slack (this process) used while the child ran, and its event-loop utilisation. */
  fakeSlackCpuMs: number;
  fakeSlackEventLoopUtilization: number;
  child: DeliveryChildResult;
}

/**
 * bench/delivery-child.ts bundled as `npm run build` bundles the app (esbuild, node20, the drivers
 * external), so the pass measured is the code that ships. Under tsx it also ran with source maps
 * enabled and tsx's loader hooks. Not minified (names and whitespace cost nothing at run time), so
 * a CPU profile names the functions and esbuild's `// path` comments name each module's lines. Written under dist/ so node finds the external drivers in node_modules.
 */
async function bundleChild(): Promise<string> {
  const esbuild = await import("esbuild");
  const outfile = join(ROOT, "dist", "bench", `delivery-child-${process.pid}.mjs`);
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [join(BENCH_DIR, "delivery-child.ts")],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: ["better-sqlite3", "pg", "pg-native"],
    banner: {
      js: 'import { createRequire as __benchRequire } from "node:module"; const require = __benchRequire(import.meta.url);',
    },
    logLevel: "warning",
  });
  return outfile;
}

/** Runs the bundled child and returns what it reports over IPC. */
function runChild(
  script: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<DeliveryChildResult> {
  // BENCH_CPU_PROF reaches the child through its environment: it profiles the pass alone.
  const args = ["--expose-gc", script];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((done, fail) => {
    let settled = false;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`delivery child did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on("message", (message: { type: string; result?: DeliveryChildResult; message?: string }) => {
      settled = true;
      clearTimeout(timer);
      if (message.type === "result" && message.result) done(message.result);
      else fail(new Error(`delivery child failed: ${message.message ?? "no detail"}`));
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (!settled) fail(new Error(`delivery child exited (${signal ?? code}) without a result`));
    });
  });
}

async function deliveryRun(
  script: string,
  database: DeliveryRun["database"],
  databaseUrl: string,
  subscriptions = SUBSCRIPTIONS,
): Promise<DeliveryRun> {
  const fake = await startFakeSlack();
  try {
    fake.rateLimit("chat.postMessage", RATE);
    const cpu = process.cpuUsage();
    const elu = performance.eventLoopUtilization();
    const child = await runChild(
      script,
      {
        BENCH_DATABASE_URL: databaseUrl,
        BENCH_SLACK_API_URL: fake.apiUrl,
        BENCH_COUNT: String(subscriptions),
      },
      ((3 * subscriptions) / RATE) * 1000 + 60_000,
    );
    const cpuUsed = process.cpuUsage(cpu);
    const eventLoop = performance.eventLoopUtilization(elu);
    const posts = fake.callsTo("chat.postMessage");
    const accepted = posts.filter((call) => call.status === 200 && call.error === undefined);
    const perChannel = new Map<string, number>();
    for (const call of accepted) {
      const channel = String(call.args.channel);
      perChannel.set(channel, (perChannel.get(channel) ?? 0) + 1);
    }
    const repeated = [...perChannel.values()].filter((n) => n > 1);
    let losses = 0;
    for (let i = 0; i < subscriptions; i++) if (!perChannel.has(benchUserId(i))) losses += 1;
    const seconds = accepted.map((call) => Math.floor(call.at / 1000));
    const first = seconds.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
    const last = seconds.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
    const acceptedPerSecond = Array.from({ length: seconds.length === 0 ? 0 : last - first + 1 }, () => 0);
    for (const second of seconds)
      acceptedPerSecond[second - first] = (acceptedPerSecond[second - first] ?? 0) + 1;
    const floorSeconds = subscriptions / RATE;
    const passSeconds = child.passMs / 1000;
    return {
      database,
      subscriptions,
      floorSeconds,
      passSeconds: round(passSeconds, 2),
      ratio: round(passSeconds / floorSeconds),
      accepted: accepted.length,
      rejected429: fake.rateLimitStats("chat.postMessage").rejected,
      usersInfoCalls: fake.callsTo("users.info").length,
      duplicates: repeated.length,
      extraMessages: repeated.reduce((sum, n) => sum + n - 1, 0),
      losses,
      acceptedPerSecond,
      fakeSlackCpuMs: Math.round((cpuUsed.user + cpuUsed.system) / 1000),
      fakeSlackEventLoopUtilization: round(eventLoop.utilization),
      child,
    };
  } finally {
    await fake.close();
  }
}

function rows(run: DeliveryRun): Row[] {
  const part = `5 delivery (${run.database})`;
  const target = TARGET_RATIO[run.database];
  return [
    {
      part,
      figure: `${run.subscriptions.toLocaleString("en-US")} due prompts, chat.postMessage limited to ${RATE}/s`,
      value: fmt(run.passSeconds, "s", 1),
      baseline: `${fmt(run.floorSeconds, "s", 1)} (floor ${run.subscriptions}/${RATE})`,
      ratio: run.ratio,
      target: `≤ ${target}× floor`,
      met: run.ratio <= target,
    },
    {
      part,
      figure: "duplicates / losses",
      value: `${run.duplicates} / ${run.losses} (sent ${run.child.report.sent ?? 0}, 429s ${run.rejected429})`,
      baseline: "—",
      ratio: null,
      target: "0 / 0",
      met: run.duplicates === 0 && run.losses === 0,
    },
    {
      part,
      figure: "CPU of the delivering process per prompt (user + system), event loop busy",
      value: `${fmt((run.child.cpuUserMs + run.child.cpuSystemMs) / run.subscriptions, "ms", 2)}, ${Math.round(run.child.eventLoopUtilization * 100)}%`,
      baseline: "—",
      ratio: null,
      target: "—",
      met: null,
    },
    {
      part,
      figure: "peak RSS of the delivering process",
      value: fmt(run.child.peakRssMiB, "MiB", 1),
      baseline: `${fmt(run.child.rssBeforeMiB, "MiB", 1)} (same process before the pass)`,
      ratio: run.child.peakRssMiB / run.child.rssBeforeMiB,
      target: "—",
      met: null,
    },
  ];
}

export async function runDelivery(): Promise<PartResult> {
  const runs: DeliveryRun[] = [];
  const pgUrl = process.env.TEST_DATABASE_URL;
  const dir = mkdtempSync(join(tmpdir(), "em-focus-bench-delivery-"));
  const script = await bundleChild();
  try {
    runs.push(await deliveryRun(script, "SQLite", join(dir, "bench.db")));
    if (pgUrl) {
      const scoped = await postgresSchema(pgUrl);
      try {
        runs.push(await deliveryRun(script, "PostgreSQL", scoped.url));
      } finally {
        await scoped.drop();
      }
      const large = await postgresSchema(pgUrl);
      try {
        runs.push(await deliveryRun(script, "PostgreSQL", large.url, LARGE_SUBSCRIPTIONS));
      } finally {
        await large.drop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    // Beside the profiles, the bundle their line numbers refer to.
    const profiles = process.env.BENCH_CPU_PROF;
    if (profiles) copyFileSync(script, join(profiles, basename(script)));
    rmSync(script, { force: true });
  }
  return {
    rows: runs.flatMap(rows),
    details: {
      subscriptions: SUBSCRIPTIONS,
      largeSubscriptions: LARGE_SUBSCRIPTIONS,
      ratePerSecond: RATE,
      postgres: pgUrl ? redactDatabaseUrl(pgUrl) : "not run (set TEST_DATABASE_URL)",
      runs,
    },
  };
}
