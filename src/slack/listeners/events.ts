import type { App } from "@slack/bolt";
import { answerQuestion } from "../../match/answer.js";
import type { BotDeps } from "../app.js";
import { mentionQuestion } from "../command.js";
import { publishHome } from "../home.js";
import { stripControl } from "../text.js";
import { threadRootText } from "../thread.js";
import { replyView } from "../views/answer.js";

export function registerEvents(app: App, deps: BotDeps): void {
  app.event("app_mention", async ({ event, context, client }) => {
    if ("bot_id" in event && event.bot_id) return;
    const threadTs = event.thread_ts ?? event.ts;
    let question = mentionQuestion(stripControl(event.text ?? ""), context.botUserId);
    // A bare mention inside a thread asks about the thread itself.
    if (question === "" && event.thread_ts) {
      question = mentionQuestion(
        stripControl((await threadRootText(client, event.channel, event.thread_ts, deps.logger)) ?? ""),
        context.botUserId,
      );
    }
    const view = replyView(deps.library, answerQuestion(deps.matcher, question));
    await client.chat.postMessage({
      channel: event.channel,
      thread_ts: threadTs,
      unfurl_links: false,
      ...view,
    });
  });

  app.message(async ({ message, client }) => {
    // Only what people type into a DM: no edits, deletions, joins or other bots' messages.
    if (message.channel_type !== "im" || message.subtype !== undefined || "bot_id" in message) return;
    const view = replyView(deps.library, answerQuestion(deps.matcher, stripControl(message.text ?? "")));
    await client.chat.postMessage({
      channel: message.channel,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
      unfurl_links: false,
      ...view,
    });
  });

  app.event("app_home_opened", async ({ event, client, context }) => {
    if (event.tab !== "home") return;
    await publishHome(client, deps, context.teamId ?? "", event.user);
  });
}
