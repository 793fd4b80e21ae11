import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { LabelledQuestion } from "../src/match/evaluate.js";
import { parseLabelledQuestions } from "../src/match/evaluate.js";

export const ROOT = resolve(import.meta.dirname, "..");
export const BENCH_DIR = join(ROOT, "bench");
export const CONTENT_DIR = join(ROOT, "content");
export const QUESTIONS_FILE = join(ROOT, "tests", "fixtures", "questions.jsonl");
/** Preloaded into server children; prints `BENCH_LISTENING <port>` once the server listens. */
export const LISTEN_PRELOAD = join(BENCH_DIR, "report-listen.mjs");
export const LISTENING_MARKER = "BENCH_LISTENING";

/** One line of the final table. */
export interface Row {
  part: string;
  figure: string;
  /** The measured figure, formatted with its unit. */
  value: string;
  /** The baseline measured in the same run, formatted; "—" when there is none. */
  baseline: string;
  /** value / baseline, or null when a ratio means nothing. */
  ratio: number | null;
  target: string;
  /** null when the row is information without a target. */
  met: boolean | null;
}

/** What every part hands back: table rows plus the raw figures for results.json. */
export interface PartResult {
  rows: Row[];
  details: Record<string, unknown>;
}

export function loadQuestions(): LabelledQuestion[] {
  return parseLabelledQuestions(readFileSync(QUESTIONS_FILE, "utf8"));
}

/** Sorted copy, ascending. */
export function sorted(values: readonly number[]): number[] {
  return Array.from(Float64Array.from(values).sort());
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = sorted(values);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = sorted(values);
  const rank = Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length)));
  return s[rank - 1] as number;
}

export interface Summary {
  count: number;
  min: number;
  median: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(values: readonly number[]): Summary {
  const s = sorted(values);
  const pick = (p: number) =>
    s[Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length))) - 1] as number;
  const mid = Math.floor(s.length / 2);
  return {
    count: s.length,
    min: s[0] ?? Number.NaN,
    median: s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2,
    p90: pick(90),
    p99: pick(99),
    max: s.at(-1) ?? Number.NaN,
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}

/** Rounds for JSON: keeps 3 significant decimals without float noise. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function fmt(value: number, unit: string, digits = 1): string {
  if (!Number.isFinite(value)) return "n/a";
  return `${value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`.trim();
}

export function fmtRatio(ratio: number | null): string {
  return ratio === null || !Number.isFinite(ratio) ? "—" : `${ratio.toFixed(2)}×`;
}

export function pct(score: { correct: number; total: number }): string {
  return score.total === 0 ? "n/a" : `${((100 * score.correct) / score.total).toFixed(1)}%`;
}

/** A part's rows as they come, so a long run shows progress. */
export function printRows(rows: readonly Row[]): void {
  for (const row of rows) {
    const met = row.met === null ? "" : row.met ? "  [met]" : "  [MISSED]";
    console.log(
      `  ${row.figure}: ${row.value}  (baseline ${row.baseline}, ratio ${fmtRatio(row.ratio)}, target ${row.target})${met}`,
    );
  }
}

export function markdownTable(rows: readonly Row[]): string {
  const header = ["part", "figure", "baseline", "ratio", "target", "met?"];
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const row of rows) {
    const met = row.met === null ? "—" : row.met ? "yes" : "**no**";
    lines.push(
      `| ${[row.part, `${row.figure}: ${row.value}`, row.baseline, fmtRatio(row.ratio), row.target, met]
        .map(cell)
        .join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

/** A loopback port that was free a moment ago (the server under test binds it itself). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => done());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** The environment of server children: only what they need, nothing from the caller's shell or .env. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ["PATH", "HOME", "TMPDIR", "LANG", "TZ"]) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  // Empty values keep dotenv (loaded by dist/main.js) from filling them in from a developer's .env.
  Object.assign(env, { SLACK_APP_TOKEN: "", PUBLIC_URL: "", CONTENT_BASE_URL: "", EM_FOCUS_INSTANCE_ID: "" });
  return { ...env, ...extra };
}

/** The signing secret every benchmarked server verifies requests with. */
export const BENCH_SIGNING_SECRET = "bench-signing-secret";

/**
 * Settings for a benchmarked server (em-focus or the bare Bolt app) in HTTP mode: a free port on
 * loopback, the fake Slack, an in-memory store, errors only, and the content of `contentDir`.
 */
export function serverEnv(apiUrl: string, contentDir = CONTENT_DIR): NodeJS.ProcessEnv {
  return childEnv({
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
    PORT: "0",
    HOST: "127.0.0.1",
    SLACK_API_URL: apiUrl,
    DATABASE_URL: ":memory:",
    LOG_LEVEL: "error",
    CONTENT_DIR: contentDir,
  });
}

export interface ServerChild {
  name: string;
  child: ChildProcess;
  port: number;
  url: string;
  /** Milliseconds from spawn to the listening line. */
  readyMs: number;
  /** Everything the child wrote to stderr, for error messages. */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Starts `node --import report-listen.mjs <script>` and resolves once it prints that it listens.
 * The clock starts right before spawn, so readyMs covers node's own start, module loading and
 * whatever the program does before it listens.
 */
export function startServerChild(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  options: { nodeArgs?: readonly string[]; timeoutMs?: number; npmScript?: boolean } = {},
): Promise<ServerChild> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const started = performance.now();
  // `npmScript`: `npm run <script>` as a person types it; the preload reaches the node process npm
  // starts through NODE_OPTIONS, and the whole process group is stopped together.
  const child = options.npmScript
    ? spawn("npm", ["run", "--silent", script], {
        cwd: ROOT,
        env: { ...env, NODE_OPTIONS: `--import ${LISTEN_PRELOAD}` },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      })
    : spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", LISTEN_PRELOAD, script], {
        cwd: ROOT,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
  const kill = (signal: NodeJS.Signals) => {
    if (options.npmScript && child.pid !== undefined) {
      try {
        process.kill(-child.pid, signal);
        return;
      } catch {
        // the group is gone already
      }
    }
    child.kill(signal);
  };
  let errText = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    if (errText.length < 20_000) errText += chunk;
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    kill("SIGTERM");
    const timer = setTimeout(() => kill("SIGKILL"), 3_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise<ServerChild>((done, fail) => {
    const timer = setTimeout(() => {
      void stop();
      fail(new Error(`${name} did not listen within ${timeoutMs} ms; stderr:\n${errText}`));
    }, timeoutMs);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      if (!line.startsWith(`${LISTENING_MARKER} `)) return;
      const readyMs = performance.now() - started;
      const port = Number(line.slice(LISTENING_MARKER.length + 1));
      clearTimeout(timer);
      done({
        name,
        child,
        port,
        url: `http://127.0.0.1:${port}`,
        readyMs,
        stderr: () => errText,
        stop,
      });
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`${name} exited (${signal ?? code}) before listening; stderr:\n${errText}`));
    });
  });
}

/** Node flags that write a CPU profile into BENCH_CPU_PROF (a folder), when that is set. */
export function profileArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ["--cpu-prof", "--cpu-prof-dir", dir] : [];
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
