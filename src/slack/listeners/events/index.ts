import type { App } from "@slack/bolt";
import type { BotDeps } from "../../deps.js";
import { appHomeOpened } from "./app-home-opened.js";
import { appMention } from "./app-mention.js";
import { directMessage } from "./direct-message.js";

export function registerEvents(app: App, deps: BotDeps): void {
  app.event("app_mention", appMention(deps));
  app.message(directMessage(deps));
  app.event("app_home_opened", appHomeOpened(deps));
}
