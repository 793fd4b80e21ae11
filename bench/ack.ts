import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type autocannon from "autocannon";
import { parseCommand } from "../src/slack/command.js";
import { type FakeSlack, startFakeSlack } from "../test-support/fake-slack.js";
import { signRequest, slashCommandBody } from "../tests/helpers/slack-requests.js";
import { ensureBuilt } from "./build.js";
import {
  BENCH_SIGNING_SECRET,
  fmt,
  loadQuestions,
  type PartResult,
  profileArgs,
  round,
  type ServerChild,
  serverEnv,
  startServerChild,
  summarize,
} from "./common.js";
import { rawLoad, rawRequest } from "./load.js";

/** Enough requests in flight to saturate either server: throughput is what each can take at most. */
const CONNECTIONS = 32;
const WARMUP_REQUESTS = 2_000;
const MEASURED_REQUESTS = 6_000;
/** Measured runs per server, alternating bare, app, bare, app, … */
const ROUNDS = 3;
/** em-focus's saturation throughput against bare Bolt acking fixed text (issue 21). */
const TARGET_RATIO = 0.5;

export interface LoadRun {
  server: string;
  requests: number;
  non2xx: number;
  errors: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Mean size of a reply (headers and body) in bytes. */
  meanResponseBytes: number;
  /** CPU time (user + system) the server process spent per request in this run, in µs; null without /proc. */
  serverCpuUsPerRequest: number | null;
  /** The same for this process, which sends the load: on two cores it shares the machine with the server. */
  clientCpuUsPerRequest: number;
}

/** Clock ticks a second, for /proc/<pid>/stat. */
const TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim()) || 100;

/** CPU time (user + system) a process has used, in ms, from /proc; null where there is no /proc. */
function processCpuMs(pid: number | undefined): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
  } catch {
    return null;
  }
}

/**
 * Signed `/em-focus <question>` requests, one per question. Signed when called: Bolt refuses
 * timestamps more than five minutes away, so each run gets a fresh set.
 */
function signedRequests(questions: readonly string[]): autocannon.Request[] {
  return questions.map((text) => {
    const body = slashCommandBody({ text });
    return {
      method: "POST",
      path: "/slack/events",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...signRequest(body, BENCH_SIGNING_SECRET),
      },
      body,
    };
  });
}

/** Sends `amount` requests over CONNECTIONS keep-alive connections; latency of every reply in ms. */
async function load(server: ServerChild, questions: readonly string[], amount: number): Promise<LoadRun> {
  const requests = signedRequests(questions).map((r) =>
    rawRequest(
      `127.0.0.1:${server.port}`,
      r.path ?? "/slack/events",
      r.headers as Record<string, string>,
      String(r.body),
    ),
  );
  const serverBefore = processCpuMs(server.child.pid);
  const clientBefore = process.cpuUsage();
  const result = await rawLoad(server.port, requests, amount, CONNECTIONS);
  const client = process.cpuUsage(clientBefore);
  const serverAfter = processCpuMs(server.child.pid);
  const replies = Math.max(1, result.latenciesMs.length);
  const summary = summarize(result.latenciesMs);
  let non2xx = 0;
  for (const [status, count] of result.statuses) if (status < 200 || status > 299) non2xx += count;
  return {
    server: server.name,
    requests: result.latenciesMs.length,
    non2xx,
    errors: result.errors,
    seconds: round(result.seconds),
    requestsPerSecond: round(result.latenciesMs.length / result.seconds, 0),
    p50Ms: round(summary.median),
    p90Ms: round(summary.p90),
    p99Ms: round(summary.p99),
    maxMs: round(summary.max),
    meanResponseBytes: Math.round(result.responseBytes / replies),
    serverCpuUsPerRequest:
      serverBefore === null || serverAfter === null
        ? null
        : round(((serverAfter - serverBefore) * 1000) / replies, 1),
    clientCpuUsPerRequest: round((client.user + client.system) / replies, 1),
  };
}

/** One request by hand, to see that the server answers what it should before loading it. */
async function probe(server: ServerChild, question: string): Promise<string> {
  const [request] = signedRequests([question]);
  const response = await fetch(`${server.url}/slack/events`, {
    method: "POST",
    headers: request?.headers as Record<string, string>,
    body: request?.body as string,
  });
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`${server.name} answered ${response.status}: ${text.slice(0, 200)}`);
  return text;
}

/**
 * CPU per request of each server, median over its rounds: what each could answer a second on one
 * core, free of what the load client takes from the same two cores (saturation throughput is not).
 */
function cpuRow(runs: readonly LoadRun[], app: string, bare: string): PartResult["rows"] {
  const median = (name: string) => {
    const values = runs.filter((r) => r.server === name).map((r) => r.serverCpuUsPerRequest);
    return values.every((v): v is number => v !== null) ? summarize(values).median : null;
  };
  const appUs = median(app);
  const bareUs = median(bare);
  if (appUs === null || bareUs === null) return [];
  const client = summarize(runs.map((r) => r.clientCpuUsPerRequest)).median;
  return [
    {
      part: "2 ack",
      figure: `server CPU per request (user + system, median of ${ROUNDS}; the load client: ${fmt(client, "µs", 0)})`,
      value: fmt(appUs, "µs", 0),
      baseline: `${fmt(bareUs, "µs", 0)} (bare Bolt)`,
      ratio: bareUs / appUs,
      target: "—",
      met: null,
    },
  ];
}

function best(runs: readonly LoadRun[]) {
  return {
    p50Ms: Math.min(...runs.map((r) => r.p50Ms)),
    p99Ms: Math.min(...runs.map((r) => r.p99Ms)),
    requestsPerSecond: Math.max(...runs.map((r) => r.requestsPerSecond)),
  };
}

export async function runAck(): Promise<PartResult> {
  ensureBuilt();
  // Only questions, so every request takes the "answer on the ack" path (none is a subcommand).
  const questions = loadQuestions()
    .map((q) => q.question)
    .filter((q) => parseCommand(q).kind === "ask");
  let fake: FakeSlack | undefined;
  const servers: ServerChild[] = [];
  try {
    fake = await startFakeSlack();
    const env = serverEnv(fake.apiUrl);
    const bare = await startServerChild("bare Bolt", "bench/bare-app.mjs", env);
    servers.push(bare);
    const app = await startServerChild("em-focus", "dist/main.js", env, { nodeArgs: profileArgs() });
    servers.push(app);

    const bareReply = await probe(bare, questions[1] ?? "hi");
    const appReply = await probe(app, questions[1] ?? "hi");
    if (!bareReply.includes("fixed text")) throw new Error(`bare app answered ${bareReply.slice(0, 200)}`);
    if (!appReply.includes("blocks")) throw new Error(`em-focus answered ${appReply.slice(0, 200)}`);

    await load(bare, questions, WARMUP_REQUESTS);
    await load(app, questions, WARMUP_REQUESTS);
    const runs: LoadRun[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const server of [bare, app]) {
        const run = await load(server, questions, MEASURED_REQUESTS);
        if (run.non2xx > 0 || run.errors > 0 || run.requests !== MEASURED_REQUESTS) {
          throw new Error(
            `${server.name}: ${run.non2xx} non-2xx replies, ${run.errors} errors, ${run.requests}/${MEASURED_REQUESTS} replies`,
          );
        }
        runs.push(run);
      }
    }
    const appBest = best(runs.filter((r) => r.server === app.name));
    const bareBest = best(runs.filter((r) => r.server === bare.name));
    const p50Ratio = appBest.p50Ms / bareBest.p50Ms;
    const p99Ratio = appBest.p99Ms / bareBest.p99Ms;
    const rpsRatio = appBest.requestsPerSecond / bareBest.requestsPerSecond;
    const setup = `${MEASURED_REQUESTS.toLocaleString("en-US")} req, ${CONNECTIONS} conn, best of ${ROUNDS}`;
    return {
      rows: [
        {
          part: "2 ack",
          figure: `saturation throughput (${setup})`,
          value: fmt(appBest.requestsPerSecond, "req/s", 0),
          baseline: `${fmt(bareBest.requestsPerSecond, "req/s", 0)} (bare Bolt acking fixed text)`,
          ratio: rpsRatio,
          target: "≥ 0.5×",
          met: rpsRatio >= TARGET_RATIO,
        },
        {
          part: "2 ack",
          figure: "p50 / p99 latency at saturation",
          value: `${fmt(appBest.p50Ms, "ms", 2)} / ${fmt(appBest.p99Ms, "ms", 2)}`,
          baseline: `${fmt(bareBest.p50Ms, "ms", 2)} / ${fmt(bareBest.p99Ms, "ms", 2)} (bare Bolt)`,
          ratio: p50Ratio,
          target: "—",
          met: null,
        },
        ...cpuRow(runs, app.name, bare.name),
        {
          part: "2 ack",
          figure: "throughput, every run",
          value: runs
            .filter((r) => r.server === app.name)
            .map((r) => r.requestsPerSecond)
            .join(", "),
          baseline: `${runs
            .filter((r) => r.server === bare.name)
            .map((r) => r.requestsPerSecond)
            .join(", ")} (bare Bolt)`,
          ratio: null,
          target: "—",
          met: null,
        },
      ],
      details: {
        connections: CONNECTIONS,
        warmupRequests: WARMUP_REQUESTS,
        measuredRequests: MEASURED_REQUESTS,
        questions: questions.length,
        runs,
        best: { emFocus: appBest, bare: bareBest },
        ratios: { p50: round(p50Ratio), p99: round(p99Ratio), requestsPerSecond: round(rpsRatio) },
      },
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await fake?.close();
  }
}
