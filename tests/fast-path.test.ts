import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Cron } from "croner";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createGapRecorder } from "../src/gaps.js";
import { createLogger } from "../src/log.js";
import { nextPromptAt } from "../src/prompts/schedule.js";
import { FILE_CHECK_INTERVAL_MS, openStore } from "../src/store/open.js";
import type { GapInput } from "../src/store/types.js";
import { buttonsOf, startTestBot, TEST_DATABASES, type TestBot } from "./helpers/bot.js";
import { sendAction, sendCommand, sendToApp } from "./helpers/slack-requests.js";

/** Issue 21, the fast path: what changed to make a request cheaper must not change what it does. */

const gap = (question: string): GapInput => ({
  question,
  outcome: "off-topic",
  articleSlug: null,
  sectionId: null,
  now: new Date(),
});

describe("knowledge gaps off the request path", () => {
  it("are written together after the turn of the event loop that recorded them, and before the store closes", async () => {
    const batches: number[] = [];
    const store = {
      recordGap: vi.fn(async () => {}),
      recordGaps: vi.fn(async (inputs: readonly GapInput[]) => {
        batches.push(inputs.length);
      }),
    };
    const record = createGapRecorder(store, createLogger("error"), true);
    record(gap("one"));
    record(gap("two"));
    record(gap("three"));
    expect(store.recordGaps).not.toHaveBeenCalled();
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([3]);
    record(gap("four"));
    await record.flush?.();
    expect(batches).toEqual([3, 1]);
    expect(store.recordGap).not.toHaveBeenCalled();
  });
});

describe("the SQLite file check without a stat per write", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "em-focus-fast-path-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("notices a deleted file on its own, without a health check in between", async () => {
    const path = join(dir, "watched.db");
    const store = await openStore(path);
    try {
      await store.recordGaps([gap("before the file went")]);
      rmSync(path);
      // The watch reports the deletion at once; the periodic look would within a second anyway.
      await new Promise((resolve) => setTimeout(resolve, FILE_CHECK_INTERVAL_MS + 100));
      await expect(store.recordGaps([gap("after the file went")])).rejects.toThrow(/is gone/);
      // Until it is back, every write looks again, and fails again.
      await expect(store.recordGaps([gap("still gone")])).rejects.toThrow(/is gone/);
    } finally {
      await store.close();
    }
  });
});

describe("the next prompt time, remembered per schedule", () => {
  it("answers what croner answers for every instant, in order and out of order", () => {
    const schedule = { weekday: 1, time: "09:00" } as const;
    const zone = "Europe/Berlin";
    const cron = new Cron("0 9 * * 1", { timezone: zone });
    // Across the end of summer time (2026-10-25) and back in time again.
    const start = Date.parse("2026-10-12T06:00:00Z");
    const instants = [
      ...Array.from({ length: 60 }, (_, i) => start + i * 9 * 3_600_000),
      start + 3 * 24 * 3_600_000,
      start,
      Date.parse("2026-10-19T07:00:00Z") - 1,
      Date.parse("2026-10-19T07:00:00Z"),
      Date.parse("2026-10-19T07:00:00Z") + 1,
    ];
    for (const at of instants) {
      expect(nextPromptAt(schedule, zone, new Date(at)).toISOString()).toBe(
        cron.nextRun(new Date(at))?.toISOString(),
      );
    }
  });
});

describe.each(TEST_DATABASES)("one Bolt listener per surface ($name)", ({ postgresUrl }) => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot(postgresUrl ? { postgresUrl } : {});
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("routes a click to the listener of its action_id, and acks one nobody registered", async () => {
    const answer = await sendCommand(t.target, {
      text: "I miss coding, should I go back?",
      user_id: "U0ROUTE",
    });
    const value = buttonsOf(answer.json).find((b) => b.action_id === "answer_helpful")?.value;
    const clicked = await sendAction(t.target, {
      actions: [{ action_id: "answer_helpful", value }],
      user: { id: "U0ROUTE" },
      response_url: t.fake.responseUrl("routed"),
    });
    expect(clicked.status).toBe(200);
    expect((await t.fake.waitForResponse((r) => r.id === "routed")).body).toBeDefined();
    const started = performance.now();
    const unknown = await sendAction(t.target, {
      actions: [{ action_id: "no_such_button", value: "x" }],
      user: { id: "U0ROUTE" },
      response_url: t.fake.responseUrl("unknown"),
    });
    expect(unknown.status).toBe(200);
    // Acked by the gate at once, not after Bolt's three-second timeout.
    expect(performance.now() - started).toBeLessThan(2_500);
  });

  it("refuses a body whose signature is for other bytes, verified once by the receiver", async () => {
    const response = await sendToApp(t.url, "command=%2Fem-focus&text=hi&user_id=U1", {
      contentType: "application/x-www-form-urlencoded",
      signingSecret: "not-the-secret",
    });
    expect(response.status).toBe(401);
  });
});
