import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "../test-support/fake-slack.js";
import { postgresSchema, TEST_POSTGRES_URL, testEnv } from "./helpers/bot.js";
import { exitWithin, freePort, spawnBot, waitForHttp } from "./helpers/bot-process.js";
import { type FreezingProxy, startFreezingProxy } from "./helpers/freezing-proxy.js";
import { sendCommand } from "./helpers/slack-requests.js";

const NOTHING_SAVED = "That didn't work, nothing was saved — try again.";
const SKIP_REASON = "TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)";
if (!TEST_POSTGRES_URL) console.warn(`SKIPPED the frozen PostgreSQL test: ${SKIP_REASON}`);

/**
 * Issue 17, item 3: the bot (a real process) reaches PostgreSQL through a proxy that stops
 * forwarding bytes. /healthz must answer, the person must be told, and the pool must recover once
 * the link works again, without a restart.
 */
describe.skipIf(!TEST_POSTGRES_URL)(
  `a PostgreSQL that stops answering (issue 17, item 3)${TEST_POSTGRES_URL ? "" : ` — skipped: ${SKIP_REASON}`}`,
  () => {
    let fake: FakeSlack;
    let proxy: FreezingProxy;
    let dropSchema: () => Promise<void>;
    let databaseUrl: string;

    beforeEach(async () => {
      const server = new URL(TEST_POSTGRES_URL ?? "");
      proxy = await startFreezingProxy(server.hostname, Number(server.port || 5432));
      const schema = await postgresSchema(TEST_POSTGRES_URL ?? "");
      dropSchema = schema.drop;
      const proxied = new URL(schema.url);
      proxied.hostname = "127.0.0.1";
      proxied.port = String(proxy.port);
      databaseUrl = proxied.toString();
      fake = await startFakeSlack();
    });
    afterEach(async () => {
      await proxy?.close();
      await fake?.close();
      await dropSchema?.();
    });

    it("/healthz answers 503, a subscriber is told nothing was saved, and the pool recovers after the link comes back", async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const bot = spawnBot(
        {
          ...testEnv(fake, databaseUrl),
          PORT: String(port),
          DATABASE_CONNECT_TIMEOUT_MS: "500",
          DATABASE_STATEMENT_TIMEOUT_MS: "500",
        },
        "ignore",
      );
      const target = { url, signingSecret: testEnv(fake, "").SLACK_SIGNING_SECRET ?? "" };
      const health = async () =>
        (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) })) as Response;
      const subscribe = async (id: string) => {
        const ack = await sendCommand(target, {
          text: "subscribe",
          channel_id: "D0FROZEN",
          user_id: "U0FROZEN",
          response_url: fake.responseUrl(id),
        });
        expect(ack.status).toBe(200);
        return (await fake.waitForResponse((r) => r.id === id, 10_000)).body as { text?: string };
      };
      try {
        await waitForHttp(`${url}/healthz`);
        expect((await health()).status).toBe(200);

        proxy.freeze();
        const frozen = await health();
        expect(frozen.status).toBe(503);
        expect(JSON.stringify(await frozen.json())).toMatch(/timeout|did not answer/i);
        expect((await subscribe("frozen")).text).toBe(NOTHING_SAVED);

        // The bytes swallowed are lost: connections that waited for them must be replaced.
        proxy.thaw();
        const until = Date.now() + 20_000;
        let status = 0;
        while (status !== 200 && Date.now() < until) {
          status = (await health()).status;
          if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
        }
        expect(status).toBe(200);
        expect((await subscribe("thawed")).text).not.toBe(NOTHING_SAVED);
      } finally {
        bot.kill("SIGTERM");
        if ((await exitWithin(bot, 10_000)) === undefined) bot.kill("SIGKILL");
      }
    }, 90_000);
  },
);
