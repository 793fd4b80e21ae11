import { type Logger, webApi } from "@slack/bolt";

/** Generous for one call, yet well inside the delivery lease (see the note in prompts/deliver.ts). */
export const SLACK_CALL_TIMEOUT_MS = 30_000;

/**
 * The options of every Slack Web API client em-focus makes (Bolt's `clientOptions`, the CLI's
 * WebClient): no retries inside the SDK and 429s handed back, because prompt delivery paces and
 * retries itself; a timeout that keeps a hung send inside its claim's lease.
 */
export function webClientOptions(apiUrl: string | null, logger: Logger): webApi.WebClientOptions {
  return {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 0 },
    timeout: SLACK_CALL_TIMEOUT_MS,
    rejectRateLimitedCalls: true,
    logger,
  };
}

/** A WebClient for the bot token, with `webClientOptions`. */
export function createWebClient(botToken: string, apiUrl: string | null, logger: Logger): webApi.WebClient {
  return new webApi.WebClient(botToken, webClientOptions(apiUrl, logger));
}
