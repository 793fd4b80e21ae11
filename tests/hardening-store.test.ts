import { renameSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { asMessage, buttonsOf, startTestBot, TEST_DATABASES, type TestBot } from "./helpers/bot.js";
import { sendAction, sendCommand, sendViewSubmission } from "./helpers/slack-requests.js";

const NOTHING_SAVED = "That didn't work, nothing was saved — try again.";

/** Runs one statement on the bot's database through a connection of the test's own. */
async function execute(databaseUrl: string, statement: string): Promise<void> {
  if (/^postgres(ql)?:/.test(databaseUrl)) {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  } else {
    const { default: Sqlite } = await import("better-sqlite3");
    const db = new Sqlite(databaseUrl);
    try {
      db.exec(statement);
    } finally {
      db.close();
    }
  }
}

/** A store failure after the ack is never silent (issue 9, item 7). */
describe.each(TEST_DATABASES)("store failures after the ack ($name)", ({ postgresUrl }) => {
  let t: TestBot;
  let sequence = 0;

  beforeEach(async () => {
    t = await startTestBot(postgresUrl ? { postgresUrl } : {});
  });
  afterEach(async () => {
    await t?.stop();
  });

  async function helpfulClick(user: string) {
    const answer = await sendCommand(t.target, { text: "I miss coding, should I go back?", user_id: user });
    const value = buttonsOf(answer.json).find((b) => b.action_id === "answer_helpful")?.value;
    const id = `feedback-${++sequence}`;
    await sendAction(t.target, {
      actions: [{ action_id: "answer_helpful", value }],
      user: { id: user },
      response_url: t.fake.responseUrl(id),
    });
    return asMessage((await t.fake.waitForResponse((r) => r.id === id)).body);
  }

  it("tells the person privately that nothing was saved when a write fails, and works again after", async () => {
    await execute(t.databasePath, "alter table feedback rename to feedback_away");
    try {
      const failed = await helpfulClick("U0FAIL");
      expect(failed).toMatchObject({ response_type: "ephemeral", text: NOTHING_SAVED });
    } finally {
      await execute(t.databasePath, "alter table feedback_away rename to feedback");
    }
    const worked = await helpfulClick("U0FAIL");
    expect(JSON.stringify(worked)).toContain("Thanks");
  });

  it("tells the person by direct message when a modal's write fails after the ack", async () => {
    await execute(t.databasePath, "alter table subscriptions rename to subscriptions_away");
    try {
      const response = await sendViewSubmission(t.target, {
        callback_id: "schedule_modal",
        user: { id: "U0MODAL" },
        values: {
          weekday: { weekday: { type: "static_select", selected_option: { value: "2" } } },
          time: { time: { type: "timepicker", selected_time: "10:00" } },
        },
      });
      expect(response.status).toBe(200);
      const told = await t.fake.waitForCall("chat.postMessage", (call) => call.args.channel === "U0MODAL");
      expect(told.args.text).toBe(NOTHING_SAVED);
    } finally {
      await execute(t.databasePath, "alter table subscriptions_away rename to subscriptions");
    }
  });
});

describe.each(TEST_DATABASES)("a note's modal with the store down ($name)", ({ postgresUrl }) => {
  let t: TestBot;

  beforeEach(async () => {
    t = await startTestBot(postgresUrl ? { postgresUrl } : {});
  });
  afterEach(async () => {
    await t?.stop();
  });

  // Issue 17, item 9: the delivery look-up ran outside the try, so Slack never got an answer.
  it("answers the submission in Slack's time and tells the person in the modal that nothing was saved", async () => {
    await execute(t.databasePath, "alter table deliveries rename to deliveries_away");
    try {
      const started = Date.now();
      const response = await sendViewSubmission(t.target, {
        callback_id: "prompt_note",
        private_metadata: "a-delivery-id",
        user: { id: "U0NOTE" },
        values: { note: { note: { type: "plain_text_input", value: "three 1:1s with leads" } } },
      });
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ response_action: "errors", errors: { note: NOTHING_SAVED } });
      // Acked by the listener itself, not by Bolt giving up after its 3-second timeout.
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await execute(t.databasePath, "alter table deliveries_away rename to deliveries");
    }
  });
});

describe("/healthz checks that the SQLite store can write (item 7)", () => {
  let t: TestBot;

  beforeEach(async () => {
    t = await startTestBot();
  });
  afterEach(async () => {
    await t?.stop();
  });

  const health = async () => {
    const response = await fetch(`${t.url}/healthz`);
    return {
      status: response.status,
      body: (await response.json()) as { store: { ok: boolean; error?: string } },
    };
  };

  it("answers 503 with the reason while the folder is gone, refuses writes, and 200 once it is back", async () => {
    expect((await health()).status).toBe(200);
    const folder = dirname(t.databasePath);
    renameSync(folder, `${folder}-moved`);
    try {
      const gone = await health();
      expect(gone.status).toBe(503);
      expect(gone.body.store.error).toContain("is gone");
      // A write in the meantime fails (and is said to fail) instead of going into the moved file.
      const answer = await sendCommand(t.target, {
        text: "I miss coding, should I go back?",
        user_id: "U0GONE",
      });
      const value = buttonsOf(answer.json).find((b) => b.action_id === "answer_helpful")?.value;
      await sendAction(t.target, {
        actions: [{ action_id: "answer_helpful", value }],
        user: { id: "U0GONE" },
        response_url: t.fake.responseUrl("gone"),
      });
      const told = await t.fake.waitForResponse((r) => r.id === "gone");
      expect(told.body).toMatchObject({ text: NOTHING_SAVED });
    } finally {
      renameSync(`${folder}-moved`, folder);
    }
    expect((await health()).status).toBe(200);
  });

  it("answers 503 once the SQLite file was deleted", async () => {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${t.databasePath}${suffix}`, { force: true });
    const deleted = await health();
    expect(deleted.status).toBe(503);
    expect(deleted.body.store.error).toContain(t.databasePath);
  });
});
