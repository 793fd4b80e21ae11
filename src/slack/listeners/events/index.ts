import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { RecentEvents } from "../../dedupe.js";
import type { BotDeps } from "../../deps.js";
import { appHomeOpened } from "./app-home-opened.js";
import { appMention } from "./app-mention.js";
import { directMessage } from "./direct-message.js";
import { uninstalled } from "./uninstalled.js";

type EventArgs = SlackEventMiddlewareArgs & AllMiddlewareArgs;

/**
 * One Bolt listener for the events the app answers, routing by type: Bolt runs every listener's
 * middleware for every request, commands and clicks included.
 */
export function registerEvents(app: App, deps: BotDeps, titled: RecentEvents): void {
  // Each handler gets Bolt's arguments for its own event type, which the type check below assures.
  const byType: Record<string, (args: EventArgs) => Promise<void>> = {
    app_mention: appMention(deps) as (args: EventArgs) => Promise<void>,
    message: directMessage(deps, titled) as (args: EventArgs) => Promise<void>,
    app_home_opened: appHomeOpened(deps) as (args: EventArgs) => Promise<void>,
    app_uninstalled: uninstalled(deps) as (args: EventArgs) => Promise<void>,
    tokens_revoked: uninstalled(deps) as (args: EventArgs) => Promise<void>,
  };
  app.event(/^(?:app_mention|message|app_home_opened|app_uninstalled|tokens_revoked)$/, async (args) => {
    await byType[args.event.type]?.(args);
  });
}
