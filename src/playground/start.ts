import type { Logger } from "@slack/bolt";
import type { Config } from "../config.js";
import { type GapGroup, groupGapsInSlices } from "../gaps.js";
import type { GapInput, Store } from "../store/types.js";
import { gapsHtml } from "./pages.js";
import { type PlaygroundExtras, type PlaygroundServer, startPlaygroundServer } from "./server.js";
import { Studio } from "./studio.js";

export interface PlaygroundOptions {
  /** The port to listen on: PORT without Slack, PLAYGROUND_PORT beside it. */
  port: number;
  recordGap?: (gap: GapInput) => Promise<void>;
  extras?: PlaygroundExtras;
}

/** Whether only this machine can reach an address: localhost, 127.0.0.0/8 or ::1. */
export function isLoopback(host: string): boolean {
  const bare = host.toLowerCase().replace(/^\[|\]$/g, "");
  return bare === "localhost" || bare === "::1" || /^(?:::ffff:)?127\.\d+\.\d+\.\d+$/.test(bare);
}

/** What to warn about when PLAYGROUND_HOST opens the playground beyond this machine; null on loopback. */
export function exposureWarning(host: string, url: string): string | null {
  if (isLoopback(host)) return null;
  return (
    `PLAYGROUND_HOST=${host}: the playground at ${url} is reachable beyond this machine. It has no login: ` +
    "whoever reaches it can read the knowledge gaps and ask questions. Unset PLAYGROUND_HOST to keep it on loopback."
  );
}

/** Loads the content into a Studio and serves the playground, on loopback unless PLAYGROUND_HOST says otherwise. */
export async function startPlayground(
  config: Config,
  logger: Logger,
  options: PlaygroundOptions,
): Promise<PlaygroundServer & { studio: Studio }> {
  const studio = new Studio({
    contentDir: config.contentDir,
    baseUrl: config.contentBaseUrl,
    ...(options.recordGap ? { recordGap: options.recordGap } : {}),
  });
  const server = await startPlaygroundServer(studio, logger, {
    host: config.playgroundHost,
    port: options.port,
    ...(options.extras ? { extras: options.extras } : {}),
  });
  const warning = exposureWarning(config.playgroundHost, server.url);
  if (warning) logger.warn(warning);
  return { ...server, studio };
}

/** The one line `npm start` logs without Slack. */
export function playgroundBanner(url: string): string {
  return `playground running at ${url} (no Slack settings found; to connect Slack set SLACK_BOT_TOKEN and SLACK_APP_TOKEN or SLACK_SIGNING_SECRET in .env, see .env.example)`;
}

const GAPS_SHOWN_MS = 30 * 24 * 60 * 60 * 1000;

/** The playground's options with knowledge gaps kept in the store (the same list `em-focus gaps` shows). */
export function playgroundGaps(
  config: Config,
  store: Pick<Store, "recordGap" | "listGaps">,
  logger: Logger,
  port: number,
): PlaygroundOptions {
  const grouping = sharedGrouping(store);
  return {
    port,
    ...(config.recordGaps
      ? {
          recordGap: (gap: GapInput) =>
            store
              .recordGap(gap)
              .catch((error: unknown) => logger.warn("could not record a knowledge gap", error)),
        }
      : {}),
    extras: {
      gapsHtml: async () => gapsHtml(await grouping(), config.recordGaps),
    },
  };
}

/**
 * The gap groups, worked out in slices so the bot beside the playground keeps answering; requests
 * that arrive while they are being worked out share that work instead of each starting it again.
 */
function sharedGrouping(store: Pick<Store, "listGaps">): () => Promise<GapGroup[]> {
  let running: Promise<GapGroup[]> | null = null;
  return () => {
    running ??= store
      .listGaps(new Date(Date.now() - GAPS_SHOWN_MS))
      .then((gaps) => groupGapsInSlices(gaps))
      .finally(() => {
        running = null;
      });
    return running;
  };
}
