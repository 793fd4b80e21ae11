import type { App } from "@slack/bolt";
import { PROMPT_ANSWER_ACTIONS } from "../../prompts/render.js";
import type { BotDeps } from "../app.js";
import { HOME_ACTIONS } from "../home.js";
import { PROMPT_NOTE_ACTION } from "../prompt-actions.js";
import { SUBSCRIPTION_ACTIONS } from "../subscriptions.js";
import { ACTIONS } from "../views/answer.js";
import { ASSISTANT_ACTIONS } from "../views/assistant.js";
import { registerActions } from "./actions.js";
import { registerAssistant } from "./assistant.js";
import { registerCommands } from "./commands.js";
import { registerEvents } from "./events.js";

/** Every button the app renders; a click on anything else (an old message's button) is acked and dropped. */
export const KNOWN_ACTION_IDS: ReadonlySet<string> = new Set([
  ...Object.values(ACTIONS),
  ...Object.values(SUBSCRIPTION_ACTIONS),
  ...Object.values(PROMPT_ANSWER_ACTIONS),
  ...Object.values(HOME_ACTIONS),
  PROMPT_NOTE_ACTION,
  ...Object.values(ASSISTANT_ACTIONS),
]);

export function registerListeners(app: App, deps: BotDeps): void {
  app.use(async ({ body, ack, next }) => {
    const actions = (body as { type?: unknown; actions?: { action_id?: unknown }[] }).actions;
    if ((body as { type?: unknown }).type === "block_actions") {
      const known = Array.isArray(actions) && actions.some((a) => KNOWN_ACTION_IDS.has(String(a.action_id)));
      if (!known) {
        deps.logger.debug("Acknowledging a click on a button this version does not know");
        await ack?.();
        return;
      }
    }
    await next();
  });
  registerCommands(app, deps);
  // Before the DM listener: the panel's Assistant takes DM thread messages so they are answered once.
  registerAssistant(app, deps);
  registerEvents(app, deps);
  registerActions(app, deps);
}
