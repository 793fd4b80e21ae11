/*
 * The real bot (src/main.ts under tsx) in a process of its own, for the faults only a process
 * shows: its stdio, its signals, its start-up errors.
 */
import { type ChildProcess, type StdioOptions, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "./slack-requests.js";

export { freePort };

const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
const REPO = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Starts `node --import tsx src/main.ts` with only `env` (plus PATH). Empty Slack settings keep
 * dotenv from filling them in from a developer's .env.
 */
export function spawnBot(env: Record<string, string>, stdio: StdioOptions = ["ignore", "pipe", "pipe"]) {
  return spawn(process.execPath, ["--import", "tsx", MAIN], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? "", SLACK_APP_TOKEN: "", PLAYGROUND: "off", ...env },
    stdio,
  });
}

/** Everything the process wrote to stderr, and how it ended. */
export function collectExit(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stderr }));
  });
}

/** The process's exit, or undefined if it is still running after `ms` (then it is killed). */
export async function exitWithin(child: ChildProcess, ms: number): Promise<number | null | undefined> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve(undefined);
    }, ms);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** Polls `url` until it answers (any status); throws after `ms`. */
export async function waitForHttp(url: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
