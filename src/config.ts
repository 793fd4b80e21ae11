import { isIP } from "node:net";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type OAuthSettings, readOAuth } from "./config/oauth.js";
import { ConfigError, type ConfigProblem, WHERE } from "./config/problems.js";
import { hostName, milliseconds, optionalUrl, wholeNumber } from "./config/values.js";

export { type OAuthSettings, readKeys } from "./config/oauth.js";
export { ConfigError, type ConfigProblem } from "./config/problems.js";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface SlackSettings {
  botToken: string;
  /** Socket Mode when an app-level token is given; HTTP (Events API) otherwise. */
  mode: "socket" | "http";
  appToken: string | null;
  signingSecret: string | null;
  /** Base URL of every Web API call; null for Slack's own. */
  apiUrl: string | null;
}

export interface Config {
  contentDir: string;
  /** Where articles without a front-matter `url` live; their sections' links are built on it. */
  contentBaseUrl: string | null;
  /** Public address of this app (HTTP mode); articles are then served at `<PUBLIC_URL>/articles/<slug>`. */
  publicUrl: string | null;
  port: number;
  /** Interface to listen on; all of them when unset. */
  host: string | null;
  logLevel: LogLevel;
  /** A PostgreSQL URL, or a SQLite file path. */
  databaseUrl: string;
  /**
   * `PLAYGROUND_DATABASE_URL`: the playground's own store (its knowledge gaps), never the bot's;
   * by default a file beside the bot's SQLite file (`data/em-focus-playground.db`).
   */
  playgroundDatabaseUrl: string;
  /** How long a PostgreSQL store may take before the caller is told it failed (SQLite ignores them). */
  databaseTimeouts: DatabaseTimeouts;
  /** `EM_FOCUS_INSTANCE_ID`: names this process in delivery leases; null for host name and pid. */
  instanceId: string | null;
  /** Present when SLACK_BOT_TOKEN is set; `requireSlack` says what is missing otherwise. */
  slack: SlackSettings | null;
  /** Present in OAuth mode: SLACK_CLIENT_ID (and the rest) set, SLACK_BOT_TOKEN not. */
  oauth?: OAuthSettings;
  /** `NODE_ENV` is `production` or `prod` (any case): missing Slack settings stay fatal, no playground in their place. */
  production: boolean;
  /** `PLAYGROUND=on`: serve the local playground beside Slack too (it always runs without Slack). */
  playground: boolean;
  /** `PLAYGROUND_PORT`: the playground's port when Slack has PORT; default PORT + 1. */
  playgroundPort: number;
  /**
   * `PLAYGROUND_HOST`: the interface the playground listens on; loopback (127.0.0.1) unless set.
   * Not `HOST`: the playground has no login and shows the knowledge gaps, so opening the bot to the
   * network must not open it too.
   */
  playgroundHost: string;
  /** `RECORD_GAPS=off` stops recording unanswered and 👎 questions (no user ids are ever kept). */
  recordGaps: boolean;
  /**
   * `SLACK_AGENT_VIEW=on`: the app uses Slack's Agent messaging experience (`features.agent_view`):
   * the Messages tab gets the suggested prompts and questions there are answered as in the panel.
   */
  agentView: boolean;
  /** `RETENTION_DAYS`: answers, notes, deliveries and channel summaries older than this are deleted. */
  retentionDays: number;
  /** `SUMMARY_DELAY_HOURS`: how long after a channel prompt its summary is posted (24: the next morning). */
  summaryDelayHours: number;
}

export interface DatabaseTimeouts {
  /** `DATABASE_CONNECT_TIMEOUT_MS`: opening a connection, or waiting for a free one in the pool. */
  readonly connectMs: number;
  /** `DATABASE_STATEMENT_TIMEOUT_MS`: one statement; 0 for none. */
  readonly statementMs: number;
}

/*
 * Short by default: a command is acknowledged before the store is written, and the person should
 * hear "nothing was saved" within about Slack's own 3 seconds when the database hangs, not after
 * TCP gives up minutes later.
 */
const DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
const DEFAULT_STATEMENT_TIMEOUT_MS = 2_500;

/** `NODE_ENV` values that mean production, whatever their case: a deployment says either. */
const PRODUCTION = /^(?:prod|production)$/i;
const HOST_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** Reads and validates the environment once. Throws ConfigError listing every problem found. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: ConfigProblem[] = [];
  const portText = env.PORT?.trim() || "3000";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    problems.push({ variable: "PORT", message: `must be a port number (0–65535), got "${portText}"` });
  }
  const logLevel = (env.LOG_LEVEL?.trim().toLowerCase() || "info") as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push({
      variable: "LOG_LEVEL",
      message: `must be one of ${LOG_LEVELS.join(", ")}, got "${env.LOG_LEVEL}"`,
    });
  }
  const publicUrl = optionalUrl(env, "PUBLIC_URL", problems);
  const contentBaseUrl =
    optionalUrl(env, "CONTENT_BASE_URL", problems) ?? (publicUrl ? `${publicUrl}/articles` : null);
  const apiUrl = optionalUrl(env, "SLACK_API_URL", problems);

  let slack: SlackSettings | null = null;
  const botToken = env.SLACK_BOT_TOKEN?.trim();
  const appToken = env.SLACK_APP_TOKEN?.trim() || null;
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim() || null;
  if (botToken) {
    if (!botToken.startsWith("xoxb-")) {
      problems.push({
        variable: "SLACK_BOT_TOKEN",
        message: `must start with xoxb-: ${WHERE.SLACK_BOT_TOKEN}`,
      });
    }
    if (appToken && !appToken.startsWith("xapp-")) {
      problems.push({
        variable: "SLACK_APP_TOKEN",
        message: `must start with xapp-: ${WHERE.SLACK_APP_TOKEN}`,
      });
    }
    slack = { botToken, mode: appToken ? "socket" : "http", appToken, signingSecret, apiUrl };
  }
  const oauth = botToken ? null : readOAuth(env, { signingSecret, appToken, apiUrl, publicUrl }, problems);
  const playgroundText = env.PLAYGROUND?.trim().toLowerCase() || "off";
  if (playgroundText !== "on" && playgroundText !== "off") {
    problems.push({ variable: "PLAYGROUND", message: `must be on or off, got "${env.PLAYGROUND}"` });
  }
  const gapsText = env.RECORD_GAPS?.trim().toLowerCase() || "on";
  if (gapsText !== "on" && gapsText !== "off") {
    problems.push({ variable: "RECORD_GAPS", message: `must be on or off, got "${env.RECORD_GAPS}"` });
  }
  const agentViewText = env.SLACK_AGENT_VIEW?.trim().toLowerCase() || "off";
  if (agentViewText !== "on" && agentViewText !== "off") {
    problems.push({
      variable: "SLACK_AGENT_VIEW",
      message: `must be on or off (on when the manifest has features.agent_view), got "${env.SLACK_AGENT_VIEW?.slice(0, 40)}"`,
    });
  }
  const validPort = Number.isInteger(port) && port >= 0 && port < 65_535;
  const playgroundPortText = env.PLAYGROUND_PORT?.trim() || String(validPort && port !== 0 ? port + 1 : 0);
  const playgroundPort = Number(playgroundPortText);
  if (!Number.isInteger(playgroundPort) || playgroundPort < 0 || playgroundPort > 65_535) {
    problems.push({
      variable: "PLAYGROUND_PORT",
      message: `must be a port number (0–65535), got "${playgroundPortText}"`,
    });
  }
  const databaseTimeouts: DatabaseTimeouts = {
    connectMs: milliseconds(env, "DATABASE_CONNECT_TIMEOUT_MS", DEFAULT_CONNECT_TIMEOUT_MS, problems),
    statementMs: milliseconds(
      env,
      "DATABASE_STATEMENT_TIMEOUT_MS",
      DEFAULT_STATEMENT_TIMEOUT_MS,
      problems,
      true,
    ),
  };
  const playgroundHost = hostName(env.PLAYGROUND_HOST) ?? "127.0.0.1";
  if (!isIP(playgroundHost) && !HOST_NAME.test(playgroundHost)) {
    problems.push({
      variable: "PLAYGROUND_HOST",
      message: `must be an IP address or a host name (default 127.0.0.1), got "${env.PLAYGROUND_HOST?.slice(0, 80)}"`,
    });
  }
  const databaseUrl = env.DATABASE_URL?.trim() || "data/em-focus.db";
  const playgroundDatabaseUrl = env.PLAYGROUND_DATABASE_URL?.trim() || playgroundStoreBeside(databaseUrl);
  if (playgroundDatabaseUrl === databaseUrl && !MEMORY.test(databaseUrl)) {
    problems.push({
      variable: "PLAYGROUND_DATABASE_URL",
      message:
        "must not be the bot's own store (DATABASE_URL): questions tried in the playground would show among the real knowledge gaps",
    });
  }
  const retentionDays = wholeNumber(
    env,
    "RETENTION_DAYS",
    { fallback: 730, min: 1, max: 36_500, unit: "days" },
    problems,
  );
  const summaryDelayHours = wholeNumber(
    env,
    "SUMMARY_DELAY_HOURS",
    { fallback: 24, min: 1, max: 144, unit: "hours" },
    problems,
  );
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    contentDir: resolve(env.CONTENT_DIR?.trim() || "content"),
    contentBaseUrl,
    publicUrl,
    port,
    host: env.HOST?.trim() || null,
    logLevel,
    databaseUrl,
    playgroundDatabaseUrl,
    databaseTimeouts,
    instanceId: env.EM_FOCUS_INSTANCE_ID?.trim() || null,
    slack,
    ...(oauth ? { oauth } : {}),
    production: PRODUCTION.test(env.NODE_ENV?.trim() ?? ""),
    playground: playgroundText === "on",
    playgroundPort,
    playgroundHost,
    recordGaps: gapsText === "on",
    agentView: agentViewText === "on",
    retentionDays,
    summaryDelayHours,
  };
}

const MEMORY = /^(?:file:)?:memory:$/;

/** The playground's store beside the bot's: `data/em-focus.db` → `data/em-focus-playground.db`. */
function playgroundStoreBeside(databaseUrl: string): string {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) return "data/em-focus-playground.db";
  if (MEMORY.test(databaseUrl)) return ":memory:";
  const path = databaseUrl.startsWith("file://")
    ? fileURLToPath(databaseUrl)
    : databaseUrl.replace(/^file:/, "");
  const name = /^(.*?)(\.[^./\\]*)?$/.exec(path);
  return `${name?.[1] ?? path}-playground${name?.[2] ?? ""}`;
}

/** Whether `npm start` serves only the playground: no Slack settings at all, and not production. */
export function playgroundOnly(config: Config, env: NodeJS.ProcessEnv = process.env): boolean {
  return (
    !config.production &&
    !config.slack &&
    !config.oauth &&
    !env.SLACK_APP_TOKEN?.trim() &&
    !env.SLACK_SIGNING_SECRET?.trim()
  );
}

/** The Slack settings the bot cannot run without; throws ConfigError naming each one missing. */
export function requireSlack(config: Config, env: NodeJS.ProcessEnv = process.env): SlackSettings {
  const problems: ConfigProblem[] = [];
  if (!config.slack) {
    problems.push({ variable: "SLACK_BOT_TOKEN", message: `missing — ${WHERE.SLACK_BOT_TOKEN}` });
  }
  if (!env.SLACK_APP_TOKEN?.trim() && !env.SLACK_SIGNING_SECRET?.trim()) {
    problems.push({
      variable: "SLACK_APP_TOKEN or SLACK_SIGNING_SECRET",
      message: `missing — set SLACK_APP_TOKEN for Socket Mode (easiest locally: ${WHERE.SLACK_APP_TOKEN}) or SLACK_SIGNING_SECRET for HTTP mode (${WHERE.SLACK_SIGNING_SECRET})`,
    });
  }
  if (problems.length > 0 || !config.slack) throw new ConfigError(problems);
  return config.slack;
}
