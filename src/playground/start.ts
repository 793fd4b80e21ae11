import type { Logger } from "@slack/bolt";
import type { Config } from "../config.js";
import { type PlaygroundExtras, type PlaygroundServer, startPlaygroundServer } from "./server.js";
import { type GapInput, Studio } from "./studio.js";

export interface PlaygroundOptions {
  /** The port to listen on: PORT without Slack, PLAYGROUND_PORT beside it. */
  port: number;
  recordGap?: (gap: GapInput) => Promise<void>;
  extras?: PlaygroundExtras;
}

/** Loads the content into a Studio and serves the playground, on loopback unless HOST says otherwise. */
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
    host: config.host ?? "127.0.0.1",
    port: options.port,
    ...(options.extras ? { extras: options.extras } : {}),
  });
  return { ...server, studio };
}

/** The one line `npm start` logs without Slack. */
export function playgroundBanner(url: string): string {
  return `playground running at ${url} (no Slack settings found; to connect Slack set SLACK_BOT_TOKEN and SLACK_APP_TOKEN or SLACK_SIGNING_SECRET in .env, see .env.example)`;
}
