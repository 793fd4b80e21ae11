import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "@slack/bolt";
import { type Config, ConfigError, playgroundOnly, readConfig, requireSlack } from "./config.js";
import { ContentError } from "./content/errors.js";
import { loadLibrary, PROMPTS_FOLDER } from "./content/load.js";
import { loadPrompts } from "./content/prompts.js";
import { createGapRecorder } from "./gaps.js";
import { Problems } from "./health.js";
import { createLogger, redact } from "./log.js";
import type { MatcherOptions } from "./match/matcher.js";
import { loadMatcher } from "./match/model-cache.js";
import { playgroundBanner, playgroundGaps, startPlayground } from "./playground/start.js";
import { startPromptDelivery } from "./prompts/scheduler.js";
import { SlackTokenError } from "./prompts/slack-errors.js";
import { createSlackApp } from "./slack/app.js";
import { ThreadContextStore } from "./slack/assistant-context.js";
import { installClients } from "./slack/install-clients.js";
import { SealedInstallations } from "./slack/installation-store.js";
import { passRenderers } from "./slack/views/pass-renderers.js";
import { deferStore } from "./store/deferred.js";
import type { Store } from "./store/types.js";
import { redactDatabaseUrl } from "./store/url.js";
import { maskUrlCredentials } from "./url-credentials.js";

export interface RunningBot {
  /** The HTTP port bound (HTTP mode), or null in Socket Mode without custom routes. */
  port: number | null;
  /** `playground`: no Slack settings, so only the local playground runs (not in production). */
  mode: "socket" | "http" | "playground";
  /** The playground's address when it runs (always without Slack; with PLAYGROUND=on beside it). */
  playgroundUrl: string | null;
  /** Runs one delivery pass now (as the minute timer does), unless one is running. */
  deliverPrompts(now?: Date): Promise<unknown>;
  stop(): Promise<void>;
}

/** What the environment does not set: for tests that need the matcher to decide otherwise. */
export interface BotOverrides {
  matcher?: MatcherOptions;
}

/** Starts the bot: settings, content, store, Slack, weekly prompts. */
export async function startBot(
  env: NodeJS.ProcessEnv = process.env,
  overrides: BotOverrides = {},
): Promise<RunningBot> {
  const config = readConfig(env);
  if (playgroundOnly(config, env)) return startPlaygroundOnly(config);
  const settings = config.oauth ?? requireSlack(config, env);
  const logger = createLogger(config.logLevel);
  // The examples are parsed only if the matcher trains (a model restored from the cache needs none).
  const library = loadLibrary(config.contentDir, { baseUrl: config.contentBaseUrl, lazyExamples: true });
  const matcher = loadMatcher(library, overrides.matcher);
  const promptsDir = join(config.contentDir, PROMPTS_FOLDER);
  const prompts = existsSync(promptsDir) ? loadPrompts(promptsDir) : [];
  // Kysely and the driver take a good part of start-up to load; they load while Slack connects.
  const opening: Promise<Store> = import("./store/open.js").then(({ openStore }) =>
    openStore(config.databaseUrl, { timeouts: config.databaseTimeouts }),
  );
  opening.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled"
  const store = deferStore(opening);
  const problems = new Problems();
  const gaps = createGapRecorder(store, logger, config.recordGaps);
  const installations = config.oauth ? new SealedInstallations(store, config.oauth, logger) : undefined;
  const deps = {
    library,
    matcher,
    store,
    logger,
    now: () => new Date(),
    problems,
    gaps,
    agentView: config.agentView,
    threadContexts: new ThreadContextStore(),
    ...(installations ? { installations } : {}),
  };
  const slack = createSlackApp(config, settings, deps);
  try {
    await slack.start();
  } catch (error) {
    await opening.then((opened) => opened.close()).catch(() => {});
    throw unreachable(error, settings.apiUrl) ?? error;
  }
  try {
    await opening;
  } catch (error) {
    await slack.stop();
    throw error;
  }
  const scheduler = startPromptDelivery({
    store,
    client: slack.app.client,
    ...(installations ? { clients: installClients(installations, settings.apiUrl, logger) } : {}),
    prompts,
    logger,
    ...passRenderers(library),
    retentionDays: config.retentionDays,
    summaryDelayMs: config.summaryDelayHours * 60 * 60 * 1000,
    ...(config.instanceId ? { instanceId: config.instanceId } : {}),
    onReport: (report) => {
      problems.clear("slack_token");
      problems.setPausedInstalls(new Map(Object.entries(report.pausedInstalls ?? {})));
    },
    onError: (error) => {
      if (error instanceof SlackTokenError) problems.set("slack_token", error.message);
    },
  });
  let playground: Awaited<ReturnType<typeof startPlaygroundOn>> | null = null;
  if (config.playground) {
    try {
      playground = await startPlaygroundOn(config, logger, config.playgroundPort);
    } catch (error) {
      await scheduler.stop();
      await slack.stop();
      await store.close();
      throw error;
    }
  }
  logger.info(
    `em-focus is running in ${settings.mode === "socket" ? "Socket Mode" : `HTTP mode on port ${slack.port() ?? config.port}`}${config.oauth ? " for every workspace that installs it (OAuth; installs start at /slack/install)" : ""}: ` +
      `${library.articles.length} article(s), ${library.sections.length} sections, store ${redactDatabaseUrl(config.databaseUrl)}` +
      (playground ? `; playground on ${playground.url}` : ""),
  );
  return {
    port: slack.port(),
    mode: settings.mode,
    playgroundUrl: playground?.url ?? null,
    deliverPrompts: (now) => scheduler.runOnce(now),
    async stop() {
      await playground?.close();
      await scheduler.stop();
      await slack.stop();
      await gaps.flush?.();
      await store.close();
    },
  };
}

/**
 * The playground with a store of its own: what is tried there never shows among the bot's
 * knowledge gaps (`em-focus gaps`). Closing it closes that store.
 */
async function startPlaygroundOn(config: Config, logger: Logger, port: number) {
  const { openStore } = await import("./store/open.js");
  const store = await openStore(config.playgroundDatabaseUrl, { timeouts: config.databaseTimeouts });
  try {
    const playground = await startPlayground(config, logger, playgroundGaps(config, store, logger, port));
    return {
      ...playground,
      async close() {
        await playground.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** No Slack settings outside production: the playground alone, on PORT, with one line saying how to connect Slack. */
async function startPlaygroundOnly(config: Config): Promise<RunningBot> {
  const logger = createLogger(config.logLevel);
  const playground = await startPlaygroundOn(config, logger, config.port);
  logger.info(playgroundBanner(playground.url));
  return {
    port: playground.port,
    mode: "playground",
    playgroundUrl: playground.url,
    deliverPrompts: async () => undefined,
    async stop() {
      await playground.close();
    },
  };
}

/** Slack's API could not be reached at all (DNS, connection refused, proxy, TLS, timeout). */
export class SlackUnreachableError extends Error {
  constructor(
    readonly apiUrl: string,
    readonly detail: string,
  ) {
    super(
      `em-focus cannot start: it could not reach Slack. It tried auth.test at ${apiUrl}auth.test and got: ${detail}.\n` +
        `Check ${apiUrl === SLACK_DEFAULT_API_URL ? "that this machine can reach slack.com over HTTPS (network, firewall, HTTPS_PROXY)" : "SLACK_API_URL (is the proxy or Slack-compatible server there running?)"}, then start again.`,
    );
    this.name = "SlackUnreachableError";
  }
}

const SLACK_DEFAULT_API_URL = "https://slack.com/api/";

/** The error as a SlackUnreachableError when it is the Web API failing to connect, else undefined. */
function unreachable(error: unknown, apiUrl: string | null): SlackUnreachableError | undefined {
  const { code, original } = error as {
    code?: unknown;
    original?: { message?: unknown; cause?: { code?: unknown; message?: unknown } };
  };
  if (code !== "slack_webapi_request_error") return undefined;
  const cause = original?.cause;
  const detail = [original?.message, cause?.code ?? cause?.message]
    .filter((part) => typeof part === "string" && part !== "")
    .join(": ");
  const base = apiUrl ? `${apiUrl.replace(/\/+$/, "")}/` : SLACK_DEFAULT_API_URL;
  return new SlackUnreachableError(base, detail || "no answer");
}

/**
 * Errors people can act on, said in plain words; anything else keeps its detail for a bug report.
 * Redacted like a log line: a message may quote a setting (a URL with credentials in it). Our own
 * settings messages only need URL credentials masked (the token pattern would eat "TOKEN: missing").
 */
export function explainStartupError(error: unknown): string {
  if (error instanceof ConfigError) return maskUrlCredentials(error.message);
  return redact(explainInWords(error)) as string;
}

function explainInWords(error: unknown): string {
  if (error instanceof SlackUnreachableError) return error.message;
  if (error instanceof ContentError)
    return `em-focus cannot start: a content file is broken.\n  ${error.message}\nRun "npx em-focus content check" after fixing it.`;
  const data = (error as { data?: { error?: string } }).data;
  if (data?.error === "invalid_auth" || data?.error === "not_authed" || data?.error === "account_inactive") {
    return `em-focus cannot start: Slack rejected SLACK_BOT_TOKEN (${data.error}). Copy the Bot User OAuth Token again from your app's OAuth & Permissions page.`;
  }
  const { code, port } = error as { code?: string; port?: number };
  // The port comes from the error itself: startBot may have been given an env other than process.env.
  if (code === "EADDRINUSE")
    return `em-focus cannot start: port ${port ?? process.env.PORT ?? 3000} is already in use; set PORT to a free one.`;
  return `em-focus stopped on an unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}
