import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readKeys } from "../src/config.js";
import { createLogger } from "../src/log.js";
import { SealedInstallations } from "../src/slack/installation-store.js";
import { openStore } from "../src/store/open.js";
import type { Store } from "../src/store/types.js";
import { TEST_DATABASES, type TestBot, testDatabase } from "./helpers/bot.js";
import { install, newKey, type Origin, sendEventFrom, startOAuthBot } from "./helpers/oauth.js";
import { rawSql } from "./helpers/raw-sql.js";
import { appMentionEvent } from "./helpers/slack-requests.js";

const ROTATING: Origin = { teamId: "T0ROT" };
const STEADY: Origin = { teamId: "T0STEADY" };

/** A workspace install whose bot token, granted by the fake Slack, rotates and expires in ten minutes. */
function rotatingInstall(teamId: string, granted: Record<string, unknown>) {
  return {
    team: { id: teamId },
    enterprise: undefined,
    user: { id: "U1", token: undefined, scopes: undefined },
    bot: {
      token: String(granted.access_token),
      refreshToken: String(granted.refresh_token),
      expiresAt: Math.floor(Date.now() / 1000) + 600,
      scopes: ["chat:write"],
      id: "B1",
      userId: "U0BOT",
    },
    isEnterpriseInstall: false,
    authVersion: "v2" as const,
  };
}

const refreshCalls = (bot: TestBot) =>
  bot.fake.callsTo("oauth.v2.access").filter((call) => call.args.grant_type === "refresh_token");

describe.each(TEST_DATABASES)(
  "token rotation and per-install delivery on $name (issue 19)",
  ({ postgresUrl }) => {
    let bot: TestBot;

    beforeAll(async () => {
      bot = await startOAuthBot(postgresUrl ? { postgresUrl } : {});
      // An hour left: inside the refresh window from the first request on.
      expect((await install(bot, { teamId: ROTATING.teamId, rotating: true, expiresIn: 3600 })).status).toBe(
        200,
      );
      expect((await install(bot, { teamId: STEADY.teamId })).status).toBe(200);
    }, 60_000);
    afterAll(async () => {
      await bot?.stop();
    });

    it("20 concurrent requests near expiry cause exactly one refresh, and all use its token", async () => {
      const channels = Array.from({ length: 20 }, (_, i) => `C0ROT${i}`);
      const sent = await Promise.all(
        channels.map((channel) =>
          sendEventFrom(bot, ROTATING, appMentionEvent({ text: "<@U0BOT> I miss coding", channel })),
        ),
      );
      expect(sent.every((response) => response.status === 200)).toBe(true);
      const answers = await Promise.all(
        channels.map((channel) =>
          bot.fake.waitForCall("chat.postMessage", (c) => c.args.channel === channel),
        ),
      );
      expect(refreshCalls(bot)).toHaveLength(1);
      expect(refreshCalls(bot)[0]?.error).toBeUndefined();
      const tokens = new Set(answers.map((call) => call.token));
      expect(tokens.size).toBe(1);
      const [token] = [...tokens];
      expect(token?.startsWith("xoxe.xoxb-")).toBe(true);
      expect(bot.fake.oauth.whoseToken(token)?.teamId).toBe("T0ROT");
      const [row] = await rawSql(
        bot.databasePath,
        "select bot_expires_at from installations where team_id = 'T0ROT'",
      );
      expect(Number(row?.bot_expires_at) - Date.now() / 1000).toBeGreaterThan(40_000);
    });

    it("a refused token pauses only its install's prompts: kept due, named in /healthz, the others sent", async () => {
      const store = await openStore(bot.databasePath);
      const past = new Date(Date.now() - 60_000);
      const schedule = { weekday: 2 as const, time: "10:00" };
      for (const [team, user] of [
        ["T0ROT", "U0ROT"],
        ["T0STEADY", "U0STEADY"],
      ] as const) {
        await store.upsertSubscription({
          teamId: team,
          targetType: "user",
          targetId: user,
          subscribedBy: user,
          schedule,
          // The fake's users.info zone: the prompt stays due now, not moved by a change of zone.
          timeZone: "America/New_York",
          nextPromptAt: past,
          now: past,
        });
      }
      await store.close();
      for (const token of bot.fake.oauth.tokensOf((who) => who.teamId === "T0ROT"))
        bot.fake.oauth.revoke(token);

      const report = await bot.bot.deliverPrompts(new Date());
      expect(report).toMatchObject({ sent: 1, errors: 0 });
      expect(Object.keys((report as { pausedInstalls?: object }).pausedInstalls ?? {})).toEqual([
        "workspace T0ROT",
      ]);
      expect(
        bot.fake
          .callsTo("chat.postMessage")
          .some((c) => c.args.channel === "U0STEADY" && c.error === undefined),
      ).toBe(true);
      const [rotSub] = await rawSql(
        bot.databasePath,
        "select next_prompt_at, paused_reason from subscriptions where team_id = 'T0ROT'",
      );
      expect(Number(rotSub?.next_prompt_at)).toBe(past.getTime());
      expect(rotSub?.paused_reason).toBeNull();
      const health = await fetch(`${bot.url}/healthz`);
      expect(health.status).toBe(200);
      const body = (await health.json()) as { paused_installs?: Record<string, string> };
      expect(body.paused_installs?.["workspace T0ROT"]).toMatch(/token_revoked/);
    });
  },
);

/*
 * Two app instances on one PostgreSQL database, as two stores in this process. On SQLite two stores
 * in one process cannot do this (better-sqlite3's synchronous busy wait would block the lock holder's
 * own HTTP call), so the SQLite case below uses two processes: the app and a cron
 * `prompts deliver` share one file, and both may refresh the same token.
 */
describe.each(TEST_DATABASES.filter((db) => db.postgresUrl))(
  "the refresh lock across two app instances on $name",
  ({ postgresUrl }) => {
    let database: { url: string; drop(): Promise<void> };
    let stores: Store[];

    beforeAll(async () => {
      database = await testDatabase(postgresUrl, "em-focus-refresh");
      stores = [await openStore(database.url), await openStore(database.url)];
    });
    afterAll(async () => {
      for (const store of stores ?? []) await store.close();
      await database?.drop();
    });

    it("two stores on one database, ten requests each, one refresh", async () => {
      const { startFakeSlack } = await import("../test-support/fake-slack.js");
      const fake = await startFakeSlack();
      try {
        const problems: Parameters<typeof readKeys>[1] = [];
        const keys = readKeys({ EM_FOCUS_ENCRYPTION_KEY: newKey() }, problems);
        if (!keys) throw new Error("no key");
        const settings = {
          clientId: fake.oauth.clientId,
          clientSecret: fake.oauth.clientSecret,
          apiUrl: fake.apiUrl,
          keys,
        };
        const logger = createLogger("error");
        const instances = stores.map((store) => new SealedInstallations(store, settings, logger));
        const code = fake.oauth.issueCode({ teamId: "T0LOCK", rotating: true, expiresIn: 600 });
        const granted = await fake.oauth.access({
          client_id: fake.oauth.clientId,
          client_secret: fake.oauth.clientSecret,
          code,
        });
        await instances[0]?.storeInstallation(rotatingInstall("T0LOCK", granted));
        const fetched = await Promise.all(
          instances.flatMap((instance) =>
            Array.from({ length: 10 }, () =>
              instance.fetchInstallation({
                teamId: "T0LOCK",
                enterpriseId: undefined,
                isEnterpriseInstall: false,
              }),
            ),
          ),
        );
        const refreshes = fake
          .callsTo("oauth.v2.access")
          .filter((c) => c.args.grant_type === "refresh_token");
        expect(refreshes).toHaveLength(1);
        expect(new Set(fetched.map((inst) => inst.bot?.token)).size).toBe(1);
        expect(fetched[0]?.bot?.token).not.toBe(granted.access_token);
      } finally {
        await fake.close();
      }
    });
  },
);

describe("the refresh lock across two processes on one SQLite file", () => {
  it("two processes, ten fetches each near expiry, one refresh", async () => {
    const { spawn } = await import("node:child_process");
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { fileURLToPath } = await import("node:url");
    const { startFakeSlack } = await import("../test-support/fake-slack.js");
    const fake = await startFakeSlack();
    const dir = mkdtempSync(join(tmpdir(), "em-focus-refresh-"));
    try {
      const databaseUrl = join(dir, "em-focus.db");
      const key = newKey();
      const keys = readKeys({ EM_FOCUS_ENCRYPTION_KEY: key }, []);
      if (!keys) throw new Error("no key");
      const store = await openStore(databaseUrl);
      const settings = {
        clientId: fake.oauth.clientId,
        clientSecret: fake.oauth.clientSecret,
        apiUrl: fake.apiUrl,
        keys,
      };
      const granted = await fake.oauth.access({
        client_id: fake.oauth.clientId,
        client_secret: fake.oauth.clientSecret,
        code: fake.oauth.issueCode({ teamId: "T0FILE", rotating: true, expiresIn: 600 }),
      });
      await new SealedInstallations(store, settings, createLogger("error")).storeInstallation(
        rotatingInstall("T0FILE", granted),
      );
      await store.close();

      const script = fileURLToPath(new URL("./helpers/fetch-installation-process.ts", import.meta.url));
      const instances = [0, 1].map(() => {
        const child = spawn(process.execPath, ["--import", "tsx", script], {
          env: {
            PATH: process.env.PATH ?? "",
            DATABASE_URL: databaseUrl,
            EM_FOCUS_ENCRYPTION_KEY: key,
            SLACK_CLIENT_ID: fake.oauth.clientId,
            SLACK_CLIENT_SECRET: fake.oauth.clientSecret,
            SLACK_API_URL: fake.apiUrl,
            TEAM_ID: "T0FILE",
            FETCHES: "10",
          },
          stdio: ["pipe", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stderr.on("data", (chunk) => {
          stderr += String(chunk);
        });
        const ready = new Promise<void>((resolve, reject) => {
          child.stdout.on("data", (chunk) => {
            stdout += String(chunk);
            if (stdout.startsWith("ready\n")) resolve();
          });
          child.once("close", (code) => reject(new Error(`exited ${code} before ready: ${stderr}`)));
        });
        const done = new Promise<string[]>((resolve, reject) => {
          child.once("close", (code) => {
            if (code !== 0) reject(new Error(`exited ${code}: ${stderr}`));
            else resolve(JSON.parse(stdout.slice("ready\n".length)) as string[]);
          });
        });
        return { child, ready, done };
      });
      await Promise.all(instances.map((instance) => instance.ready));
      for (const instance of instances) instance.child.stdin.end("go\n");
      const tokens = (await Promise.all(instances.map((instance) => instance.done))).flat();

      const refreshes = fake.callsTo("oauth.v2.access").filter((c) => c.args.grant_type === "refresh_token");
      expect(refreshes).toHaveLength(1);
      expect(refreshes[0]?.error).toBeUndefined();
      expect(tokens).toHaveLength(20);
      expect(new Set(tokens).size).toBe(1);
      expect(tokens[0]).not.toBe(granted.access_token);
      expect(fake.oauth.whoseToken(tokens[0])?.teamId).toBe("T0FILE");
    } finally {
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
