import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type RunningBot, startBot } from "../../src/bot.js";
import { type FakeSlack, startFakeSlack } from "./fake-slack.js";
import type { AppTarget } from "./slack-requests.js";

export const TEST_BOT_TOKEN = "xoxb-test-bot-token";
export const TEST_SIGNING_SECRET = "test-signing-secret";
export const CONTENT_BASE_URL = "https://example.test/articles";
export const ARTICLE_SLUG = "levels-of-engineering-management-focus";
export const ARTICLE_URL = `${CONTENT_BASE_URL}/${ARTICLE_SLUG}`;
/** The repository's own content, whatever the working directory of the test run. */
export const CONTENT_DIR = resolve(import.meta.dirname, "../../content");

export interface TestBot {
  fake: FakeSlack;
  bot: RunningBot;
  /** Where to send signed Slack requests. */
  target: AppTarget;
  /** `http://127.0.0.1:PORT` of the bot. */
  url: string;
  /** The environment the bot was started with. */
  env: Record<string, string>;
  /** The SQLite file of this bot (a fresh temp file unless `DATABASE_URL` was given). */
  databasePath: string;
  stop(): Promise<void>;
}

export interface StartTestBotOptions {
  /** Overrides and additions; a key set to `undefined` is removed from the defaults. */
  env?: Record<string, string | undefined>;
  /** Reuse a fake (it is then not closed by `stop`). */
  fake?: FakeSlack;
}

/**
 * The environment `startBot` gets in tests: HTTP mode on a free loopback port, Web API calls to the
 * fake, the repository's content, a fresh SQLite file. Nothing is read from process.env or .env.
 */
export function testEnv(fake: FakeSlack, databasePath: string): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    PORT: "0",
    HOST: "127.0.0.1",
    SLACK_API_URL: fake.apiUrl,
    CONTENT_DIR,
    CONTENT_BASE_URL,
    LOG_LEVEL: "error",
    DATABASE_URL: databasePath,
  };
}

/** Starts the real bot (HTTP receiver) against a fake Slack. Call `stop()` in afterAll. */
export async function startTestBot(options: StartTestBotOptions = {}): Promise<TestBot> {
  const fake = options.fake ?? (await startFakeSlack());
  const dir = mkdtempSync(join(tmpdir(), "em-focus-test-"));
  const databasePath = join(dir, "em-focus.db");
  const env = testEnv(fake, databasePath);
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const cleanup = async () => {
    if (!options.fake) await fake.close();
    rmSync(dir, { recursive: true, force: true });
  };
  let bot: RunningBot;
  try {
    bot = await startBot(env);
  } catch (error) {
    await cleanup();
    throw error;
  }
  if (bot.port === null) {
    await bot.stop();
    await cleanup();
    throw new Error("the bot did not report an HTTP port; is it in Socket Mode?");
  }
  const url = `http://127.0.0.1:${bot.port}`;
  const signingSecret = env.SLACK_SIGNING_SECRET ?? TEST_SIGNING_SECRET;
  let stopped = false;
  return {
    fake,
    bot,
    target: { url, signingSecret },
    url,
    env,
    databasePath: env.DATABASE_URL ?? databasePath,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await bot.stop();
      } finally {
        await cleanup();
      }
    },
  };
}

/** Waits a little, for asserting that something did NOT happen (pair it with a positive control). */
export function settle(ms = 150): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
