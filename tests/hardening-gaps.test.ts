import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ACTIONS } from "../src/slack/views/answer.js";
import { privateQuestion } from "../src/store/gap-question.js";
import { migrationProvider } from "../src/store/migrations.js";
import { openStore } from "../src/store/open.js";
import { buttonsOf, startTestBot, TEST_DATABASES, type TestBot, testDatabase } from "./helpers/bot.js";
import { imMessageEvent, nextTs, sendAction, sendCommand, sendEvent } from "./helpers/slack-requests.js";

/** Issue 17, items 4 and 13: what a knowledge gap keeps, and how often one person's 👎 counts. */

const PERSONAL =
  "<@U0BOSS> and <!subteam^S0HR|@hr-team> asked in <#C0SECRET|project-falcon-layoffs> which parking garage " +
  "level is reserved for visitors; mail <mailto:jo.doe@corp.example|jo.doe@corp.example> or jo.doe@corp.example, " +
  "call +1 (555) 010-4477 or 0301234567, see <https://wiki.corp.example/falcon|the falcon wiki> or " +
  "https://corp.example/x, ask @jo.doe in #falcon-private";
const LEAKS =
  /U0BOSS|S0HR|hr-team|C0SECRET|falcon|jo\.doe|corp\.example|mailto|555|4477|0301234567|https?:|@|#|[<>]/i;

describe("a knowledge gap keeps the question, not who or where (item 4)", () => {
  it("removes mentions, channel names, e-mail addresses, links and phone numbers", () => {
    expect(privateQuestion(PERSONAL)).toBe(
      "and asked in which parking garage level is reserved for visitors; mail or , call or , see or ask in",
    );
    expect(privateQuestion("how do I hire my first engineer (2 of them) in 2025?")).toBe(
      "how do I hire my first engineer (2 of them) in 2025?",
    );
    expect(privateQuestion("C# or F#, 1:1s and a 10,000-person org")).toBe(
      "C# or F#, 1:1s and a 10,000-person org",
    );
    expect(privateQuestion("&lt;@U0TYPED&gt; typed as text")).toBe("typed as text");
    expect(privateQuestion("<@U1> <#C1|x>")).toBe("");
    // A long question is cut before it is cleaned: the word the cut goes through goes too.
    const long = privateQuestion(`${"word ".repeat(399)}jo.doe@corp.example <@U0CUT> ${"more ".repeat(500)}`);
    expect(long).toMatch(/^word word/);
    expect(long).not.toMatch(/jo|corp|@|U0CUT|more/);
  });

  describe("over the real HTTP receiver", () => {
    let t: TestBot;
    beforeAll(async () => {
      t = await startTestBot();
    });
    afterAll(async () => {
      await t?.stop();
    });

    async function storedGaps(): Promise<string[]> {
      const store = await openStore(t.databasePath);
      try {
        return (await store.listGaps(new Date(0))).map((g) => g.question);
      } finally {
        await store.close();
      }
    }

    it.each([
      ["a direct message", () => sendEvent(t.target, imMessageEvent({ text: PERSONAL, user: "U0DM" }))],
      ["/em-focus", () => sendCommand(t.target, { text: PERSONAL, user_id: "U0CMD" })],
    ])("stores the cleaned question of %s", async (_name, send) => {
      const before = (await storedGaps()).length;
      expect((await send()).status).toBe(200);
      await vi.waitFor(async () => expect((await storedGaps()).length).toBe(before + 1));
      const stored = (await storedGaps()).at(0) ?? "";
      expect(stored).toContain("which parking garage level is reserved for visitors");
      expect(stored).not.toMatch(LEAKS);
    });
  });
});

describe.each(TEST_DATABASES)("migration 0004 cleans the gaps stored before ($name)", ({ postgresUrl }) => {
  let url: string;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ url, drop } = await testDatabase(postgresUrl, "em-focus-migrate"));
  });
  afterAll(async () => drop());

  it("rewrites each stored question as it would be stored today, and deletes those with nothing left", async () => {
    const pg = postgresUrl ? (await import("pg")).default : undefined;
    const db = new Kysely<unknown>({
      dialect: pg
        ? new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) })
        : new SqliteDialect({ database: new Database(url) }),
    });
    try {
      // The database as the last release left it: migrated up to 0002, gaps stored verbatim.
      // Named as openStore names it: Kysely finds migration tables in any schema, e.g. public's.
      const schema = postgresUrl
        ? /search_path=(\S+)/.exec(new URL(url).searchParams.get("options") ?? "")?.[1]
        : undefined;
      const migrated = await new Migrator({
        db,
        provider: migrationProvider,
        ...(schema ? { migrationTableSchema: schema } : {}),
      }).migrateTo("0002_gaps");
      expect(migrated.error).toBeUndefined();
      const rows: Array<[string, string]> = [
        [PERSONAL, "off-topic"],
        ["<@U0ONLY> <#C0ONLY|secret-channel>", "off-topic"],
        ["what is our vacation policy", "not-helpful"],
      ];
      for (const [question, outcome] of rows) {
        await sql`insert into gaps (id, question, outcome, article_slug, section_id, created_at)
          values (${randomUUID()}, ${question}, ${outcome}, null, null, ${Date.now()})`.execute(db);
      }
    } finally {
      await db.destroy();
    }
    const store = await openStore(url);
    try {
      const questions = (await store.listGaps(new Date(0))).map((g) => g.question).sort();
      expect(questions).toEqual([privateQuestion(PERSONAL), "what is our vacation policy"]);
    } finally {
      await store.close();
    }
  });
});

describe("one vote per person per answer (item 13)", () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(async () => {
    await t?.stop();
  });

  function rows(sqlText: string): Array<Record<string, unknown>> {
    const db = new Database(t.databasePath, { readonly: true });
    try {
      return db.prepare(sqlText).all() as Array<Record<string, unknown>>;
    } finally {
      db.close();
    }
  }

  it("repeated 👎 on one answer is one vote and one gap; the vote can be changed", async () => {
    const question = "I now run three teams through their leads";
    const answer = await sendCommand(t.target, { text: question, user_id: "U0VOTER" });
    const buttons = buttonsOf(answer.json);
    const messageTs = nextTs();
    let clicks = 0;
    const vote = async (actionId: string, user = "U0VOTER") => {
      const button = buttons.find((b) => b.action_id === actionId);
      const id = `vote-${++clicks}`;
      const response = await sendAction(t.target, {
        actions: [{ action_id: actionId, block_id: button?.block_id, value: button?.value }],
        user: { id: user },
        container: { type: "message", message_ts: messageTs, channel_id: "C0TEST", is_ephemeral: true },
        response_url: t.fake.responseUrl(id),
      });
      expect(response.status).toBe(200);
      await t.fake.waitForResponse((r) => r.id === id);
    };
    const votes = (user = "U0VOTER") =>
      rows(`select helpful from feedback where user_id = '${user}'`).map((r) => r.helpful);
    const gaps = () => rows(`select question from gaps where outcome = 'not-helpful'`).length;

    for (let i = 0; i < 3; i += 1) await vote(ACTIONS.notHelpful);
    expect(votes()).toEqual([0]);
    await vi.waitFor(() => expect(gaps()).toBe(1));
    await vote(ACTIONS.helpful);
    expect(votes()).toEqual([1]);
    await vote(ACTIONS.notHelpful);
    expect(votes()).toEqual([0]);
    // Someone else's 👎 on the same answer is their own vote, and their own gap.
    await vote(ACTIONS.notHelpful, "U0OTHER");
    expect(votes("U0OTHER")).toEqual([0]);
    await vi.waitFor(() => expect(gaps()).toBe(2));
    expect(gaps()).toBe(2);
  });
});
