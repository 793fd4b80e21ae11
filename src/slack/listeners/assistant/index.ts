import { type App, Assistant, type BlockAction, type FeedbackButtonsAction } from "@slack/bolt";
import {
  answerInPanel,
  type FeedbackClick,
  parsePanelMessage,
  recordPanelFeedback,
  startPanelThread,
  threadReader,
} from "../../assistant.js";
import type { RecentEvents } from "../../dedupe.js";
import { type BotDeps, teamOf } from "../../deps.js";
import { ASSISTANT_ACTIONS } from "../../views/assistant.js";
import type { Listeners } from "../registry.js";

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Slack's assistant panel (Agents & AI Apps). Bolt's Assistant claims every DM message that is in a
 * thread and does not pass it on, so each message takes exactly one path: panel threads (and replies
 * in DM threads, where title and status simply fail) are answered here, top-level DMs by the
 * `message` listener. Without the panel feature in the app's settings Slack sends no assistant events.
 */
export function registerAssistant(app: App, listeners: Listeners, deps: BotDeps, titled: RecentEvents): void {
  app.assistant(
    new Assistant({
      threadContextStore: deps.threadContexts,
      threadStarted: async ({ say, setStatus, setTitle, setSuggestedPrompts, saveThreadContext }) => {
        await startPanelThread(deps, { say, setStatus, setTitle, setSuggestedPrompts, saveThreadContext });
      },
      threadContextChanged: async ({ saveThreadContext }) => {
        await saveThreadContext();
      },
      userMessage: async ({ message, say, setStatus, setTitle, setSuggestedPrompts, saveThreadContext }) => {
        const parsed = parsePanelMessage(message);
        if (!parsed) return;
        await answerInPanel(
          deps,
          parsed,
          { say, setStatus, setTitle, setSuggestedPrompts, saveThreadContext },
          titled,
        );
      },
    }),
  );

  listeners.button<BlockAction<FeedbackButtonsAction>>(
    ASSISTANT_ACTIONS.feedback,
    async ({ ack, action, body, client, context, respond, logger }) => {
      await ack();
      const message = body.message as Record<string, unknown> | undefined;
      const click: FeedbackClick = {
        teamId: teamOf(body),
        userId: body.user.id,
        channel: str(body.channel?.id),
        messageTs: str(message?.ts),
        threadTs: str(message?.thread_ts),
        fromApp:
          (context.botId !== undefined && message?.bot_id === context.botId) ||
          (context.botUserId !== undefined && message?.user === context.botUserId),
        value: action.value,
      };
      const outcome = await recordPanelFeedback(deps, click, threadReader(client));
      // The thanks goes into the thread, seen only by the clicker; anything else through the click's
      // response_url, which only ever reaches the person who clicked.
      if (outcome.kind === "recorded" && click.channel && click.threadTs) {
        try {
          await client.chat.postEphemeral({
            channel: click.channel,
            user: click.userId,
            thread_ts: click.threadTs,
            text: outcome.text,
          });
          return;
        } catch (error) {
          logger.warn(
            `Could not thank for feedback in the thread: ${error instanceof Error ? error.message : error}`,
          );
        }
      }
      try {
        await respond({ response_type: "ephemeral", replace_original: false, text: outcome.text });
      } catch (error) {
        logger.error("Could not tell a person what happened to their feedback", error);
      }
    },
  );
}
