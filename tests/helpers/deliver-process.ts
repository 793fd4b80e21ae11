/*
 * The real `em-focus prompts deliver` in a process of its own, and what the fake Slack accepted:
 * for the exactly-once tests that kill a pass or run two at once.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { nextPromptAt } from "../../src/prompts/schedule.js";
import type { Store } from "../../src/store/types.js";
import type { FakeSlack, RecordedCall } from "../../test-support/fake-slack.js";
import { CONTENT_DIR } from "./bot.js";
import { TEST_TEAM_ID } from "./slack-requests.js";

const CLI = fileURLToPath(new URL("../../src/cli.ts", import.meta.url));
const REPO = fileURLToPath(new URL("../..", import.meta.url));

export const SCHEDULE = { weekday: 1 as const, time: "09:00" };
export const ZONE = "Europe/Berlin";
/** Monday 2026-03-09, 09:00 in Berlin. */
export const DUE = new Date("2026-03-09T08:00:00Z");
export const MINUTE = 60_000;
export const at = (ms: number) => new Date(DUE.getTime() + ms);

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The real `em-focus prompts deliver` in a process of its own. */
export function startDeliver(
  env: Record<string, string>,
  now: Date,
): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", CLI, "prompts", "deliver", "--now", now.toISOString()],
    {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? "", CONTENT_DIR, LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const done = new Promise<Run>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export const deliver = (env: Record<string, string>, now: Date) => startDeliver(env, now).done;

/** Accepted prompt messages, by conversation. */
export function acceptedByChannel(fake: FakeSlack): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of fake.callsTo("chat.postMessage").filter((c: RecordedCall) => c.error === undefined)) {
    const channel = String(call.args.channel);
    counts.set(channel, (counts.get(channel) ?? 0) + 1);
  }
  return counts;
}

/** Weekly subscriptions for these people, due at DUE. */
export async function subscribe(store: Store, fake: FakeSlack, users: readonly string[]): Promise<void> {
  for (const user of users) {
    fake.setUser(user, { tz: ZONE });
    await store.upsertSubscription({
      teamId: TEST_TEAM_ID,
      targetType: "user",
      targetId: user,
      subscribedBy: user,
      schedule: SCHEDULE,
      timeZone: ZONE,
      nextPromptAt: nextPromptAt(SCHEDULE, ZONE, new Date("2026-03-03T00:00:00Z")),
      now: new Date("2026-03-02T12:00:00Z"),
    });
  }
}
