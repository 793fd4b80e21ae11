import type { Middleware, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { answerFor } from "../../answering.js";
import { parseCommand } from "../../command.js";
import type { BotDeps } from "../../deps.js";
import { handleSubscriptionCommand } from "../../subscriptions.js";
import { stripControl } from "../../text.js";
import { overviewView, replyView } from "../../views/overview.js";

export const COMMAND = "/em-focus";

/** `/em-focus <question>`, `/em-focus help` and the subscription subcommands. */
export function emFocusCommand(deps: BotDeps): Middleware<SlackCommandMiddlewareArgs> {
  return async ({ command, ack, respond, client }) => {
    const parsed = parseCommand(stripControl(command.text ?? ""));
    if (parsed.kind === "help") {
      await ack({ response_type: "ephemeral", ...overviewView(deps.library) });
      return;
    }
    if (parsed.kind === "ask") {
      // Matching takes microseconds, so the answer rides on the acknowledgement itself.
      const answer = answerFor(deps, parsed.question);
      await ack({ response_type: "ephemeral", ...replyView(deps.library, answer, { buttons: true }) });
      return;
    }
    await ack();
    await handleSubscriptionCommand(parsed, command, { deps, client, respond });
  };
}
