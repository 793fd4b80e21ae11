import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { answerFor } from "../../answering.js";
import type { BotDeps } from "../../deps.js";
import { stripControl } from "../../text.js";
import { replyView } from "../../views/overview.js";

/** A question sent to the bot in a DM, answered there. */
export function directMessage(deps: BotDeps) {
  return async ({ message, client }: SlackEventMiddlewareArgs<"message"> & AllMiddlewareArgs) => {
    // Only what people type into a DM: no edits, deletions, joins or other bots' messages.
    if (message.channel_type !== "im" || message.subtype !== undefined || "bot_id" in message) return;
    const view = replyView(deps.library, answerFor(deps, stripControl(message.text ?? "")));
    await client.chat.postMessage({
      channel: message.channel,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
      unfurl_links: false,
      ...view,
    });
  };
}
