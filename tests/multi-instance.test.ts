import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "../test-support/fake-slack.js";
import {
  postgresSchema,
  settle,
  startTestBot,
  TEST_POSTGRES_URL,
  TEST_SIGNING_SECRET,
  type TestBot,
  testEnv,
} from "./helpers/bot.js";
import { exitWithin, freePort, spawnBot, waitForHttp } from "./helpers/bot-process.js";
import { type FreezingProxy, startFreezingProxy } from "./helpers/freezing-proxy.js";
import { appMentionEvent, BOT_USER_ID, imMessageEvent, sendEvent } from "./helpers/slack-requests.js";

/*
 * Issue 19, item 7: two instances of the app, each with its own HTTP receiver, behind one URL on one
 * PostgreSQL database (a schema of its own per run). A Slack retry of an event that lands on the
 * other instance must not be answered again; when the database is down, events are still answered.
 */

const SKIP_REASON = "TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)";
if (!TEST_POSTGRES_URL) console.warn(`SKIPPED the several-instances tests: ${SKIP_REASON}`);

const IC_QUESTION = "I miss coding, should I go back?";

interface Instance {
  child: ChildProcess;
  target: { url: string; signingSecret: string };
  fake: FakeSlack;
}

async function startInstance(fake: FakeSlack, databaseUrl: string): Promise<Omit<Instance, "fake">> {
  const port = await freePort();
  const env = { ...testEnv(fake, databaseUrl), PORT: String(port) };
  const child = spawnBot(env, "ignore");
  return {
    child,
    target: { url: `http://127.0.0.1:${port}`, signingSecret: TEST_SIGNING_SECRET },
  };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  await exitWithin(child, 10_000);
}

describe.skipIf(!TEST_POSTGRES_URL)(
  `several instances on one PostgreSQL (issue 19, item 7)${TEST_POSTGRES_URL ? "" : ` — skipped: ${SKIP_REASON}`}`,
  () => {
    let fake: FakeSlack | undefined;
    let dropSchema: (() => Promise<void>) | undefined;
    const children: ChildProcess[] = [];

    afterEach(async () => {
      await Promise.all(children.splice(0).map((child) => stopProcess(child)));
      await fake?.close();
      await dropSchema?.();
      fake = dropSchema = undefined;
    });

    /** Two app processes (src/main.ts), each its own receiver and pool, on one schema and one fake. */
    async function twoInstances(): Promise<[Instance, Instance]> {
      const schema = await postgresSchema(TEST_POSTGRES_URL ?? "");
      dropSchema = schema.drop;
      fake = await startFakeSlack();
      const started = await Promise.all([startInstance(fake, schema.url), startInstance(fake, schema.url)]);
      children.push(...started.map((instance) => instance.child));
      await Promise.all(started.map((instance) => waitForHttp(`${instance.target.url}/healthz`)));
      return [
        { ...started[0], fake },
        { ...started[1], fake },
      ] as [Instance, Instance];
    }

    it("answers a retried event once, whichever instance each delivery reaches", async () => {
      const [first, second] = await twoInstances();
      const event = appMentionEvent({ text: `<@${BOT_USER_ID}> ${IC_QUESTION}`, channel: "CMULTI" });
      const delivery = await sendEvent(first.target, event);
      expect(delivery.status).toBe(200);
      await first.fake.waitForCall("chat.postMessage", (call) => call.args.channel === "CMULTI");
      // Slack's retries (immediately, ~1 min, ~5 min), alternating between the instances.
      for (const [retryNum, instance] of [
        [1, second],
        [2, first],
        [3, second],
      ] as const) {
        const retry = await sendEvent(instance.target, event, { eventId: delivery.eventId, retryNum });
        expect(retry.status).toBe(200);
      }
      // Positive control: a new event on the second instance is answered.
      await sendEvent(
        second.target,
        appMentionEvent({ text: `<@${BOT_USER_ID}> ${IC_QUESTION}`, channel: "CCONTROL" }),
      );
      await first.fake.waitForCall("chat.postMessage", (call) => call.args.channel === "CCONTROL");
      await settle(200);
      expect(first.fake.callsTo("chat.postMessage").map((call) => call.args.channel)).toEqual([
        "CMULTI",
        "CCONTROL",
      ]);
    });

    it("answers once when the first delivery and its retry reach both instances at the same time", async () => {
      const [first, second] = await twoInstances();
      for (const round of [1, 2, 3, 4, 5]) {
        const user = `U0RACE${round}`;
        const event = imMessageEvent({ text: IC_QUESTION, user });
        const eventId = `EvMULTIRACE${round}`;
        const sent = await Promise.all([
          sendEvent(first.target, event, { eventId }),
          sendEvent(second.target, event, { eventId, retryNum: 1 }),
        ]);
        expect(sent.map((response) => response.status)).toEqual([200, 200]);
        await first.fake.waitForCall("chat.postMessage", (call) => call.args.channel === `D${user}`);
      }
      await settle(300);
      const channels = first.fake.callsTo("chat.postMessage").map((call) => call.args.channel);
      expect(channels).toEqual(["DU0RACE1", "DU0RACE2", "DU0RACE3", "DU0RACE4", "DU0RACE5"]);
    });
  },
);

describe.skipIf(!TEST_POSTGRES_URL)(
  `the shared event memory when PostgreSQL stops answering${TEST_POSTGRES_URL ? "" : ` — skipped: ${SKIP_REASON}`}`,
  () => {
    let bot: TestBot | undefined;
    let fake: FakeSlack | undefined;
    let proxy: FreezingProxy | undefined;
    let dropSchema: (() => Promise<void>) | undefined;

    afterEach(async () => {
      proxy?.thaw();
      await bot?.stop();
      await proxy?.close();
      await fake?.close();
      await dropSchema?.();
      bot = fake = proxy = dropSchema = undefined;
    });

    it("still answers an event, and a retry reaching the same instance is not answered again", async () => {
      const server = new URL(TEST_POSTGRES_URL ?? "");
      proxy = await startFreezingProxy(server.hostname, Number(server.port || 5432));
      const schema = await postgresSchema(TEST_POSTGRES_URL ?? "");
      dropSchema = schema.drop;
      const proxied = new URL(schema.url);
      proxied.hostname = "127.0.0.1";
      proxied.port = String(proxy.port);
      fake = await startFakeSlack();
      bot = await startTestBot({
        fake,
        env: {
          DATABASE_URL: proxied.toString(),
          DATABASE_CONNECT_TIMEOUT_MS: "500",
          DATABASE_STATEMENT_TIMEOUT_MS: "500",
        },
      });

      proxy.freeze();
      const event = appMentionEvent({ text: `<@${BOT_USER_ID}> ${IC_QUESTION}`, channel: "CDOWN" });
      const delivery = await sendEvent(bot.target, event);
      expect(delivery.status).toBe(200);
      // Not dropped: answered although the claim could not be stored.
      await fake.waitForCall("chat.postMessage", (call) => call.args.channel === "CDOWN", 10_000);
      // The retry reaching this same instance is still recognised.
      const retry = await sendEvent(bot.target, event, { eventId: delivery.eventId, retryNum: 1 });
      expect(retry.status).toBe(200);
      await settle(3_000);
      expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
    });
  },
);
