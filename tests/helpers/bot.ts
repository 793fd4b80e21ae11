import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LogLevel, webApi } from "@slack/bolt";
import { type RunningBot, startBot } from "../../src/bot.js";
import { loadLibrary } from "../../src/content/load.js";
import type { MatcherOptions } from "../../src/match/matcher.js";
import { passRenderers } from "../../src/slack/views/pass-renderers.js";
import { type FakeSlack, startFakeSlack } from "../../test-support/fake-slack.js";
import { postgresSchema, TEST_DATABASES, TEST_POSTGRES_URL, testDatabase } from "./postgres.js";
import type { AppTarget } from "./slack-requests.js";

export { postgresSchema, TEST_DATABASES, TEST_POSTGRES_URL, testDatabase };

export const TEST_BOT_TOKEN = "xoxb-test-bot-token";
export const TEST_SIGNING_SECRET = "test-signing-secret";
export const CONTENT_BASE_URL = "https://example.test/articles";
export const ARTICLE_SLUG = "levels-of-engineering-management-focus";
export const ARTICLE_URL = `${CONTENT_BASE_URL}/${ARTICLE_SLUG}`;
/** The repository's own content, whatever the working directory of the test run. */
export const CONTENT_DIR = fileURLToPath(new URL("../../content", import.meta.url));

/** The renderers the app hands its delivery pass, over the repository's content. */
export const RENDERERS = passRenderers(loadLibrary(CONTENT_DIR, { baseUrl: CONTENT_BASE_URL }));

export interface TestBot {
  fake: FakeSlack;
  bot: RunningBot;
  /** Where to send signed Slack requests. */
  target: AppTarget;
  /** `http://127.0.0.1:PORT` of the bot. */
  url: string;
  /** The environment the bot was started with. */
  env: Record<string, string>;
  /**
   * The `DATABASE_URL` of this bot: a fresh temp SQLite file, the schema made for `postgresUrl`,
   * or the `DATABASE_URL` given. `openStore` opens it alongside the bot.
   */
  databasePath: string;
  stop(): Promise<void>;
}

export interface StartTestBotOptions {
  /** Overrides and additions; a key set to `undefined` is removed from the defaults. */
  env?: Record<string, string | undefined>;
  /** Reuse a fake (it is then not closed by `stop`). */
  fake?: FakeSlack;
  /**
   * Store the bot's data on this PostgreSQL server instead of a SQLite file, in a schema of its own
   * that `stop` drops (an `env.DATABASE_URL` still wins).
   */
  postgresUrl?: string;
  /** Decide with these matcher options instead of the shipped ones. */
  matcher?: MatcherOptions;
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
  // The schema first: nothing else is left behind when the PostgreSQL server is unreachable.
  const postgres = options.postgresUrl ? await postgresSchema(options.postgresUrl) : undefined;
  const fake = options.fake ?? (await startFakeSlack());
  const dir = mkdtempSync(join(tmpdir(), "em-focus-test-"));
  const databasePath = join(dir, "em-focus.db");
  const env = testEnv(fake, postgres?.url ?? databasePath);
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const cleanup = async () => {
    try {
      if (!options.fake) await fake.close();
      await postgres?.drop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  let bot: RunningBot;
  try {
    bot = await startBot(env, options.matcher ? { matcher: options.matcher } : {});
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

/**
 * A WebClient for the fake, made the way the prompt sender makes its own: every error and 429
 * reaches the caller, nothing is retried inside. For `deliverDuePrompts` in tests.
 */
export function fakeWebClient(fake: FakeSlack): webApi.WebClient {
  return new webApi.WebClient(TEST_BOT_TOKEN, {
    slackApiUrl: fake.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  });
}

/** Waits a little, for asserting that something did NOT happen (pair it with a positive control). */
export function settle(ms = 150): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------
// Looking into Slack messages

type Json = unknown;

export interface TextField {
  /** JSON-pointer-like path, e.g. `/blocks/2/elements/0/text`. */
  path: string;
  text: string;
  /**
   * `mrkdwn`: Slack parses it (mrkdwn text objects and a message's top-level `text`);
   * `plain_text`: shown literally, never parsed; `hidden`: never shown (button values, ids, URLs).
   */
  kind: "mrkdwn" | "plain_text" | "hidden";
}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const HIDDEN_KEYS = new Set([
  "value",
  "action_id",
  "block_id",
  "url",
  "image_url",
  "type",
  "style",
  "response_type",
  "callback_id",
  "private_metadata",
  "external_id",
]);

/** Every string in a message body, view or response, with how Slack treats it. */
export function textFields(body: Json): TextField[] {
  const found: TextField[] = [];
  const walk = (value: Json, path: string, key: string, parent: Record<string, Json> | null) => {
    if (typeof value === "string") {
      let kind: TextField["kind"] = "mrkdwn";
      if (key === "text" && parent?.type === "plain_text") kind = "plain_text";
      else if (HIDDEN_KEYS.has(key)) kind = "hidden";
      found.push({ path, text: value, kind });
    } else if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(item, `${path}/${index}`, String(index), null);
    } else if (isObject(value)) {
      for (const [childKey, child] of Object.entries(value))
        walk(child, `${path}/${childKey}`, childKey, value);
    }
  };
  walk(body, "", "", null);
  return found;
}

/** The strings Slack parses for markup: mrkdwn text and the notification `text`. */
export function parsedText(body: Json): string[] {
  return textFields(body)
    .filter((field) => field.kind === "mrkdwn")
    .map((field) => field.text);
}

/** All the visible text of a message, parsed or not, joined for `toContain` checks. */
export function visibleText(body: Json): string {
  return textFields(body)
    .filter((field) => field.kind !== "hidden")
    .map((field) => field.text)
    .join("\n");
}

/**
 * Every `<…>` sequence Slack would act on, except links to http(s) URLs not in `forbiddenHosts`
 * and mentions of the users in `allowedUsers`. An empty list means nothing can ping or mislead.
 */
export function unsafeMarkup(
  body: Json,
  options: { allowedUsers?: readonly string[]; forbiddenHosts?: readonly string[] } = {},
): string[] {
  const allowed = new Set((options.allowedUsers ?? []).map((user) => `<@${user}>`));
  const problems: string[] = [];
  for (const field of textFields(body)) {
    if (field.kind !== "mrkdwn") continue;
    for (const match of field.text.matchAll(/<[^>]*>?/g)) {
      const markup = match[0];
      if (allowed.has(markup)) continue;
      const link = /^<(https?:\/\/[^|>\s]+)(?:\|[^>]*)?>$/.exec(markup);
      if (link?.[1]) {
        const host = new URL(link[1]).hostname;
        if (!(options.forbiddenHosts ?? []).includes(host)) continue;
      }
      problems.push(`${field.path}: ${markup}`);
    }
  }
  return problems;
}

export interface MessageBody {
  text?: unknown;
  blocks?: unknown;
  response_type?: unknown;
  replace_original?: unknown;
  delete_original?: unknown;
  [key: string]: unknown;
}

export function asMessage(value: unknown): MessageBody {
  if (!isObject(value)) throw new Error(`expected a message object, got ${JSON.stringify(value)}`);
  return value as MessageBody;
}

export interface Block {
  type: string;
  block_id?: string;
  text?: { type: string; text: string };
  elements?: BlockElement[];
  [key: string]: unknown;
}

export type BlockElement = Record<string, unknown> & { type: string; text?: unknown };

export function blocksOf(body: unknown): Block[] {
  const blocks = asMessage(body).blocks;
  if (!Array.isArray(blocks)) throw new Error(`expected blocks, got ${JSON.stringify(body)?.slice(0, 300)}`);
  return blocks as Block[];
}

/** The buttons of a message, in order. */
export function buttonsOf(body: unknown): Array<{ action_id: string; value: string; block_id: string }> {
  return blocksOf(body)
    .filter((block) => block.type === "actions" || (block.type === "section" && block.accessory))
    .flatMap((block) =>
      (block.type === "section" ? [block.accessory as BlockElement] : (block.elements ?? []))
        .filter((element) => element.type === "button")
        .map((element) => ({
          action_id: String(element.action_id),
          value: String(element.value ?? ""),
          block_id: String(block.block_id ?? ""),
        })),
    );
}
