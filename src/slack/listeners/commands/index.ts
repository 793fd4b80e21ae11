import type { App } from "@slack/bolt";
import type { BotDeps } from "../../deps.js";
import { COMMAND, emFocusCommand } from "./em-focus.js";

export function registerCommands(app: App, deps: BotDeps): void {
  app.command(COMMAND, emFocusCommand(deps));
}
