import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli.js";
import { openStore } from "../src/store/open.js";
import { type FakeSlack, startFakeSlack } from "../test-support/fake-slack.js";

let fake: FakeSlack;
let dir: string;

beforeAll(async () => {
  fake = await startFakeSlack();
  dir = mkdtempSync(join(tmpdir(), "em-focus-cli-"));
});
afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[], env: NodeJS.ProcessEnv) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk) => {
    out += String(chunk);
  });
  stderr.on("data", (chunk) => {
    err += String(chunk);
  });
  const code = await runCli(args, { stdout, stderr, stdin: new PassThrough() }, env);
  return { code, out, err };
}

describe("em-focus prompts deliver", () => {
  it("does one pass at --now and reports what it did", async () => {
    const databaseUrl = join(dir, "cli.db");
    const store = await openStore(databaseUrl);
    const now = new Date("2026-03-09T13:00:00Z");
    await store.upsertSubscription({
      teamId: "T0CLI",
      targetType: "user",
      targetId: "U1",
      subscribedBy: "U1",
      schedule: { weekday: 1, time: "09:00" },
      timeZone: "America/New_York",
      nextPromptAt: now,
      now: new Date("2026-03-01T00:00:00Z"),
    });
    await store.close();

    const env = {
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_API_URL: fake.apiUrl,
      DATABASE_URL: databaseUrl,
      CONTENT_DIR: join(import.meta.dirname, "..", "content"),
      LOG_LEVEL: "error",
    };
    const first = await run(["prompts", "deliver", "--now", now.toISOString()], env);
    expect(first).toMatchObject({ code: 0, err: "" });
    expect(first.out).toBe(
      "prompts deliver: claimed 1, sent 1, retried 0, missed 0, paused 0, failed 0, skipped 0, errors 0, summaries 0, nudges 0, expired 0\n",
    );
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);

    const again = await run(["prompts", "deliver", "--now", now.toISOString()], env);
    expect(again.out).toContain("claimed 0, sent 0");
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("explains a bad --now and a missing bot token", async () => {
    const badNow = await run(["prompts", "deliver", "--now", "next monday"], { DATABASE_URL: ":memory:" });
    expect(badNow.code).toBe(2);
    expect(badNow.err).toContain("--now must be an ISO time");

    const noToken = await run(["prompts", "deliver"], { DATABASE_URL: ":memory:" });
    expect(noToken.code).toBe(1);
    expect(noToken.err).toContain("SLACK_BOT_TOKEN");

    const unknown = await run(["prompts", "send"], {});
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('did you mean "em-focus prompts deliver"?');
  });
});
