import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../src/store/open.js";
import type { Store } from "../src/store/types.js";
import { type FakeSlack, startFakeSlack } from "../test-support/fake-slack.js";
import { TEST_BOT_TOKEN } from "./helpers/bot.js";
import { acceptedByChannel, at, MINUTE, startDeliver, subscribe } from "./helpers/deliver-process.js";

/**
 * Issue 17, item 10: a cron `prompts deliver` beside the bot's own minute timer, on one SQLite file.
 * A deferred transaction that reads and then writes cannot wait for the other writer (SQLite
 * answers "database is locked" at once); immediate transactions queue behind it instead.
 */
describe("two delivery passes on one SQLite file (issue 17, item 10)", () => {
  let fake: FakeSlack;
  let store: Store;
  let dir: string;

  beforeEach(async () => {
    fake = await startFakeSlack({ tokens: [TEST_BOT_TOKEN] });
    dir = mkdtempSync(join(tmpdir(), "em-focus-two-passes-"));
    store = await openStore(join(dir, "em-focus.db"));
  });
  afterEach(async () => {
    await store?.close();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("both passes finish without 'database is locked' and every prompt is sent once", async () => {
    const users = Array.from({ length: 60 }, (_, i) => `U0TWO${String(i).padStart(3, "0")}`);
    await subscribe(store, fake, users);
    const env = {
      SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
      SLACK_API_URL: fake.apiUrl,
      DATABASE_URL: join(dir, "em-focus.db"),
    };
    const runs = await Promise.all([startDeliver(env, at(MINUTE)).done, startDeliver(env, at(MINUTE)).done]);
    for (const run of runs) {
      expect(run.stderr).not.toMatch(/locked|SQLITE_BUSY/i);
      expect(run.code, run.stderr).toBe(0);
    }
    const accepted = acceptedByChannel(fake);
    expect([...accepted.keys()].sort()).toEqual([...users].sort());
    expect([...accepted.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);
});
