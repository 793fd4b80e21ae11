import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { answerInMessagesTab } from "../../agent-view.js";
import { answerFor } from "../../answering.js";
import type { RecentEvents } from "../../dedupe.js";
import type { BotDeps } from "../../deps.js";
import { stripControl } from "../../text.js";
import { replyView } from "../../views/overview.js";

/**
 * A question sent to the bot in a DM, answered there. Under agent_view the DM is the agent's
 * Messages tab: the answer goes into the thread under the question, as in the panel.
 */
export function directMessage(deps: BotDeps, titled: RecentEvents) {
  return async ({ message, client }: SlackEventMiddlewareArgs<"message"> & AllMiddlewareArgs) => {
    // Only what people type into a DM: no edits, deletions, joins or other bots' messages.
    if (message.channel_type !== "im" || message.subtype !== undefined || "bot_id" in message) return;
    const text = stripControl(message.text ?? "");
    if (deps.agentView && !message.thread_ts) {
      const asked = { channel: message.channel, ts: message.ts, user: message.user, text };
      await answerInMessagesTab(deps, client, asked, titled);
      return;
    }
    const view = replyView(deps.library, answerFor(deps, text));
    await client.chat.postMessage({
      channel: message.channel,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
      unfurl_links: false,
      ...view,
    });
  };
}
