import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { messagesTabOpened } from "../../agent-view.js";
import type { BotDeps } from "../../deps.js";
import { publishHome } from "../../home.js";

/** Home: the person's page. Messages, under agent_view: the agent's surface gets its suggested prompts. */
export function appHomeOpened(deps: BotDeps) {
  return async ({
    event,
    client,
    context,
  }: SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs) => {
    if (event.tab === "messages" && deps.agentView) {
      await messagesTabOpened(deps, client, event.channel);
      return;
    }
    if (event.tab !== "home") return;
    await publishHome(client, deps, context.teamId ?? "", event.user);
  };
}
