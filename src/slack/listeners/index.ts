import type { App } from "@slack/bolt";
import { PROMPT_ANSWER_ACTIONS } from "../../prompts/render.js";
import type { BotDeps } from "../app.js";
import { HOME_ACTIONS, SCHEDULE_MODAL } from "../home.js";
import { NOTE_MODAL, PROMPT_NOTE_ACTION } from "../prompt-actions.js";
import { SUBSCRIPTION_ACTIONS } from "../subscriptions.js";
import { stripControl } from "../text.js";
import { ACTIONS } from "../views/answer.js";
import { ASSISTANT_ACTIONS } from "../views/assistant.js";
import { registerActions } from "./actions.js";
import { registerAssistant } from "./assistant.js";
import { COMMAND, registerCommands } from "./commands.js";
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

/** Every modal the app opens; a submission of anything else is acked and dropped. */
export const KNOWN_VIEW_CALLBACK_IDS: ReadonlySet<string> = new Set([NOTE_MODAL, SCHEDULE_MODAL]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Whether a listener of this app will answer the request. Anything else that Slack expects an
 * acknowledgement for (an unknown button, modal, command, shortcut, a submission without state, a
 * payload with no user) is acked at once instead of timing out into a 404.
 */
export function isHandled(body: Record<string, unknown>): boolean {
  if (body.type === "event_callback") return true;
  if (typeof body.command === "string") return body.command === COMMAND && typeof body.user_id === "string";
  const user = body.user;
  if (!isRecord(user) || typeof user.id !== "string") return false;
  if (body.type === "block_actions") {
    const actions = body.actions;
    return (
      Array.isArray(actions) && actions.some((a) => isRecord(a) && KNOWN_ACTION_IDS.has(String(a.action_id)))
    );
  }
  if (body.type === "view_submission") {
    const view = body.view;
    return (
      isRecord(view) &&
      KNOWN_VIEW_CALLBACK_IDS.has(String(view.callback_id)) &&
      isRecord(view.state) &&
      isRecord(view.state.values)
    );
  }
  return false;
}

/** A button value without control characters, also inside the strings of a JSON value. */
export function cleanValue(value: string): string {
  const clean = stripControl(value);
  if (!clean.startsWith("{") && !clean.startsWith("[")) return clean;
  try {
    return JSON.stringify(JSON.parse(clean), (_key, inner: unknown) =>
      typeof inner === "string" ? stripControl(inner) : inner,
    );
  } catch {
    return clean;
  }
}

export function registerListeners(app: App, deps: BotDeps): void {
  app.use(async ({ body, ack, next }) => {
    if (!isHandled(body as unknown as Record<string, unknown>)) {
      deps.logger.debug("Acknowledging a request this version does not handle");
      await ack?.();
      return;
    }
    // A button value is untrusted input, and some are echoed (the question of an answer): no
    // control character gets past this point, not even one escaped inside a JSON value.
    const actions = (body as { actions?: unknown }).actions;
    if (Array.isArray(actions)) {
      for (const action of actions as Array<{ value?: unknown }>) {
        if (typeof action.value === "string") action.value = cleanValue(action.value);
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
