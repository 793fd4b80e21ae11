import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { answerFor } from "../../answering.js";
import { mentionQuestion } from "../../command.js";
import type { BotDeps } from "../../deps.js";
import { stripControl } from "../../text.js";
import { threadRootText } from "../../thread.js";
import { replyView } from "../../views/overview.js";

/** A mention is answered in its thread; a bare mention inside a thread asks about the thread itself. */
export function appMention(deps: BotDeps) {
  return async ({ event, context, client }: SlackEventMiddlewareArgs<"app_mention"> & AllMiddlewareArgs) => {
    if ("bot_id" in event && event.bot_id) return;
    const threadTs = event.thread_ts ?? event.ts;
    let question = mentionQuestion(stripControl(event.text ?? ""), context.botUserId);
    if (question === "" && event.thread_ts) {
      question = mentionQuestion(
        stripControl((await threadRootText(client, event.channel, event.thread_ts, deps.logger)) ?? ""),
        context.botUserId,
      );
    }
    const view = replyView(deps.library, answerFor(deps, question));
    await client.chat.postMessage({
      channel: event.channel,
      thread_ts: threadTs,
      unfurl_links: false,
      ...view,
    });
  };
}
