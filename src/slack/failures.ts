import type { Logger, webApi } from "@slack/bolt";
import { StoreError } from "../store/deferred.js";

export const NOTHING_SAVED = "That didn't work, nothing was saved — try again.";
export const SOMETHING_FAILED = "Something went wrong on my side, so that didn't work — try again.";

/** The StoreError behind an error Bolt may have wrapped (UnknownError, MultipleListenerError, cause). */
export function storeErrorIn(error: unknown, depth = 0): StoreError | undefined {
  if (error instanceof StoreError) return error;
  if (depth > 5 || typeof error !== "object" || error === null) return undefined;
  const { original, originals, cause } = error as {
    original?: unknown;
    originals?: unknown;
    cause?: unknown;
  };
  for (const inner of [original, cause, ...(Array.isArray(originals) ? originals : [])]) {
    const found = storeErrorIn(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Tells the person whose request failed after it was acknowledged, privately: through the
 * request's response_url when it has one, else as an ephemeral message in the event's channel,
 * else by direct message. Never throws: a failure to tell is logged.
 */
export async function tellPersonItFailed(
  client: webApi.WebClient,
  body: unknown,
  error: unknown,
  logger: Logger,
): Promise<void> {
  const message = storeErrorIn(error) ? NOTHING_SAVED : SOMETHING_FAILED;
  const event = field(body, "event");
  const userId =
    text(field(body, "user_id")) ?? text(field(field(body, "user"), "id")) ?? text(field(event, "user"));
  const responseUrls = field(body, "response_urls");
  const responseUrl =
    text(field(body, "response_url")) ??
    (Array.isArray(responseUrls) ? text(field(responseUrls[0], "response_url")) : undefined);
  try {
    if (responseUrl) {
      const response = await fetch(responseUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ response_type: "ephemeral", replace_original: false, text: message }),
        signal: AbortSignal.timeout(10_000),
      });
      if (response.ok) return;
    }
    if (!userId) return;
    const channel = text(field(event, "channel"));
    if (channel) await client.chat.postEphemeral({ channel, user: userId, text: message });
    else await client.chat.postMessage({ channel: userId, text: message });
  } catch (failure) {
    logger.error("Could not tell the person that their request failed", failure);
  }
}
