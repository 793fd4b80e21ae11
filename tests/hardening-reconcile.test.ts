import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../src/store/open.js";
import type { Store } from "../src/store/types.js";
import { type FakeSlack, startFakeSlack } from "../test-support/fake-slack.js";
import { TEST_BOT_TOKEN, TEST_DATABASES, testDatabase } from "./helpers/bot.js";
import {
  acceptedByChannel,
  at,
  DUE,
  deliver,
  MINUTE,
  startDeliver,
  subscribe,
} from "./helpers/deliver-process.js";
import { TEST_TEAM_ID } from "./helpers/slack-requests.js";

/**
 * Issue 17, item 14: after a kill -9 between Slack accepting prompts and the database recording
 * them, conversations.history answers 429 to every look (as it does for apps outside the Marketplace,
 * about one call a minute). The expired claims must wait for an answer, not be sent blind.
 */
describe.each(TEST_DATABASES)(
  "reconciliation under a 429 storm on conversations.history ($name)",
  ({ postgresUrl }) => {
    let fake: FakeSlack;
    let store: Store;
    let databaseUrl: string;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      fake = await startFakeSlack({ tokens: [TEST_BOT_TOKEN] });
      ({ url: databaseUrl, drop: cleanup } = await testDatabase(postgresUrl, "em-focus-reconcile"));
      store = await openStore(databaseUrl);
    });
    afterEach(async () => {
      await store?.close();
      await fake?.close();
      await cleanup?.();
    });

    const env = () => ({
      SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
      SLACK_API_URL: fake.apiUrl,
      DATABASE_URL: databaseUrl,
    });

    it("sends every prompt exactly once across a kill -9 and passes that cannot read history", async () => {
      const users = Array.from({ length: 12 }, (_, i) => `U0STORM${String(i).padStart(2, "0")}`);
      await subscribe(store, fake, users);
      fake.setLatency(1_500);
      const first = startDeliver(env(), DUE);
      await fake.waitForCall("chat.postMessage", (call) => call.error === undefined, 30_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      first.child.kill("SIGKILL");
      expect((await first.done).signal).toBe("SIGKILL");
      fake.setLatency(0);
      const inSlack = acceptedByChannel(fake);
      expect(inSlack.size).toBeGreaterThan(0);

      // The storm: every history call is refused for a while, pass after pass.
      const calm = fake.failAlways("conversations.history", { status: 429, retryAfter: 30 });
      for (const minutes of [6, 7, 9]) {
        const stormy = await deliver(env(), at(minutes * MINUTE));
        expect(stormy.code, stormy.stderr).toBe(0);
        const now = acceptedByChannel(fake);
        expect(
          [...now.values()].every((n) => n === 1),
          JSON.stringify([...now]),
        ).toBe(true);
        // What was in Slack before is still waiting to be checked, not recorded and not re-sent.
        for (const channel of inSlack.keys()) expect(now.get(channel)).toBe(1);
      }
      expect(fake.callsTo("conversations.history").length).toBeGreaterThan(0);

      // The storm passes, inside the 12-hour window: each claim is checked and settled once.
      calm();
      const settled = await deliver(env(), at(11 * MINUTE));
      expect(settled.code, settled.stderr).toBe(0);
      const after = acceptedByChannel(fake);
      expect([...after.keys()].sort()).toEqual([...users].sort());
      expect([...after.values()].every((n) => n === 1)).toBe(true);
      const subscriptions = await Promise.all(
        users.map((u) => store.findSubscription({ teamId: TEST_TEAM_ID, targetType: "user", targetId: u })),
      );
      const deliveries = (
        await Promise.all(subscriptions.map((s) => (s ? store.listDeliveries(s.id) : [])))
      ).flat();
      expect(deliveries.map((d) => d.status)).toEqual(users.map(() => "sent"));
    }, 120_000);
  },
);
