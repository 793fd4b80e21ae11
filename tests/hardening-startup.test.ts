import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { explainStartupError, startBot } from "../src/bot.js";
import type { FakeSlack } from "../test-support/fake-slack.js";
import { testEnv } from "./helpers/bot.js";

/** A loopback address where nothing listens: a port that was free a moment ago. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("Slack unreachable at start-up (issue 9, item 10)", () => {
  it("names auth.test, the configured API URL and what to check, instead of 'fetch failed'", async () => {
    const apiUrl = `http://127.0.0.1:${await closedPort()}/api/`;
    const env = testEnv({ apiUrl } as FakeSlack, ":memory:");
    let error: unknown;
    try {
      const bot = await startBot(env);
      await bot.stop();
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeDefined();
    const explained = explainStartupError(error);
    expect(explained).toContain("auth.test");
    expect(explained).toContain(apiUrl);
    expect(explained).toContain("SLACK_API_URL");
    expect(explained).not.toMatch(/^em-focus stopped on an unexpected error: fetch failed$/);
    expect(explained).not.toContain(env.SLACK_BOT_TOKEN);
  });
});
