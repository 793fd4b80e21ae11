import { isIP } from "node:net";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type EncryptionKey, type KeyRing, MAKE_KEY_HINT, parseKey } from "./store/token-crypto.js";

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

/**
 * A distributed app (issue 19): installed by many workspaces over OAuth, each with its own token in
 * the database, sealed under `keys`. HTTP mode only (Slack's Marketplace takes no Socket Mode app).
 */
export interface OAuthSettings {
  mode: "http";
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  signingSecret: string;
  /** Base URL of every Web API call, oauth.v2.access included; null for Slack's own. */
  apiUrl: string | null;
  /** `<PUBLIC_URL>/slack/oauth_redirect` when PUBLIC_URL is set; else the app settings' only one is used. */
  redirectUri: string | null;
  keys: KeyRing;
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

/** A whole number setting within [min, max]; the fallback (and a problem) otherwise. */
function wholeNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  range: { fallback: number; min: number; max: number; unit: string },
  problems: ConfigProblem[],
): number {
  const text = env[name]?.trim();
  if (!text) return range.fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    problems.push({
      variable: name,
      message: `must be a whole number of ${range.unit} (${range.min}–${range.max}), got "${text.slice(0, 40)}"`,
    });
    return range.fallback;
  }
  return value;
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

export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Settings that cannot be used. The message names every variable, what it is for and where to find it. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      [
        "em-focus cannot start: its settings are incomplete.",
        ...problems.map((p) => `  - ${p.variable}: ${p.message}`),
        'Put them in .env (see .env.example) or the environment. To try answers without Slack: npx em-focus ask "your question"',
      ].join("\n"),
    );
    this.name = "ConfigError";
  }
}

const WHERE = {
  SLACK_BOT_TOKEN:
    "the bot token (xoxb-…) the app uses for every Slack call. Slack app settings → OAuth & Permissions → Bot User OAuth Token (install the app to your workspace first).",
  SLACK_SIGNING_SECRET:
    "proves requests come from Slack in HTTP mode. Slack app settings → Basic Information → App Credentials → Signing Secret.",
  SLACK_CLIENT_ID:
    "for OAuth (many workspaces). Slack app settings → Basic Information → App Credentials → Client ID.",
  SLACK_CLIENT_SECRET: "for OAuth. Slack app settings → Basic Information → App Credentials → Client Secret.",
  SLACK_STATE_SECRET:
    "signs the OAuth state that protects installs from forgery: any long random text you choose (e.g. openssl rand -hex 32).",
  EM_FOCUS_ENCRYPTION_KEY: `seals every workspace's tokens in the database (AES-256-GCM, 32 bytes in base64): ${MAKE_KEY_HINT}. Keep it: without it the stored tokens cannot be read.`,
  SLACK_APP_TOKEN:
    "an app-level token (xapp-…) with the connections:write scope, for Socket Mode. Slack app settings → Basic Information → App-Level Tokens.",
} as const;

function optionalUrl(env: NodeJS.ProcessEnv, name: string, problems: ConfigProblem[]): string | null {
  const value = env[name]?.trim();
  if (!value) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
    return value.replace(/\/+$/, "");
  } catch {
    problems.push({ variable: name, message: `must be an http(s) URL, got "${value.slice(0, 80)}"` });
    return null;
  }
}

function milliseconds(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  problems: ConfigProblem[],
  allowZero = false,
): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1) || value > 3_600_000) {
    problems.push({
      variable: name,
      message: `must be a number of milliseconds (${allowZero ? "0" : "1"}–3600000), got "${text.slice(0, 40)}"`,
    });
    return fallback;
  }
  return value;
}

/** `NODE_ENV` values that mean production, whatever their case: a deployment says either. */
const PRODUCTION = /^(?:prod|production)$/i;
const HOST_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** A host setting as `listen` takes it: trimmed, an IPv6 address without its brackets; null when unset. */
function hostName(value: string | undefined): string | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  return /^\[.*\]$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}

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

const OAUTH_VARIABLES = ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET"] as const;

/** The OAuth settings when any of them is set (then all are needed), else null. */
function readOAuth(
  env: NodeJS.ProcessEnv,
  given: {
    signingSecret: string | null;
    appToken: string | null;
    apiUrl: string | null;
    publicUrl: string | null;
  },
  problems: ConfigProblem[],
): OAuthSettings | null {
  const values = OAUTH_VARIABLES.map((name) => env[name]?.trim() ?? "");
  if (values.every((value) => value === "")) return null;
  const [clientId = "", clientSecret = "", stateSecret = ""] = values;
  OAUTH_VARIABLES.forEach((name, i) => {
    if (!values[i]) problems.push({ variable: name, message: `missing — ${WHERE[name]}` });
  });
  if (!given.signingSecret)
    problems.push({ variable: "SLACK_SIGNING_SECRET", message: `missing — ${WHERE.SLACK_SIGNING_SECRET}` });
  if (given.appToken)
    problems.push({
      variable: "SLACK_APP_TOKEN",
      message:
        "must not be set in OAuth mode: a distributed app takes Slack's requests over HTTP (remove it)",
    });
  const keys = readKeys(env, problems);
  if (!keys || !clientId || !clientSecret || !stateSecret || !given.signingSecret) return null;
  return {
    mode: "http",
    clientId,
    clientSecret,
    stateSecret,
    signingSecret: given.signingSecret,
    apiUrl: given.apiUrl,
    redirectUri: given.publicUrl ? `${given.publicUrl}/slack/oauth_redirect` : null,
    keys,
  };
}

/** EM_FOCUS_ENCRYPTION_KEY and the EM_FOCUS_OLD_ENCRYPTION_KEYS still read (comma-separated). */
export function readKeys(env: NodeJS.ProcessEnv, problems: ConfigProblem[]): KeyRing | null {
  const text = env.EM_FOCUS_ENCRYPTION_KEY?.trim();
  if (!text) {
    problems.push({
      variable: "EM_FOCUS_ENCRYPTION_KEY",
      message: `missing — ${WHERE.EM_FOCUS_ENCRYPTION_KEY}`,
    });
    return null;
  }
  let current: EncryptionKey;
  try {
    current = parseKey(text);
  } catch (error) {
    problems.push({ variable: "EM_FOCUS_ENCRYPTION_KEY", message: (error as Error).message });
    return null;
  }
  const old: EncryptionKey[] = [];
  for (const [i, part] of (env.EM_FOCUS_OLD_ENCRYPTION_KEYS ?? "").split(",").entries()) {
    if (part.trim() === "") continue;
    try {
      old.push(parseKey(part));
    } catch (error) {
      problems.push({
        variable: "EM_FOCUS_OLD_ENCRYPTION_KEYS",
        message: `key ${i + 1} ${(error as Error).message}`,
      });
    }
  }
  return { current, old: old.filter((key) => key.id !== current.id) };
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
