import type { App } from "@slack/bolt";
import type { BotDeps } from "../app.js";
import { registerActions } from "./actions.js";
import { registerCommands } from "./commands.js";
import { registerEvents } from "./events.js";

export function registerListeners(app: App, deps: BotDeps): void {
  registerCommands(app, deps);
  registerEvents(app, deps);
  registerActions(app, deps);
}
