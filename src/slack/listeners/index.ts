import type { App } from "@slack/bolt";
import { titledThreads } from "../assistant.js";
import type { BotDeps } from "../deps.js";
import { stripControl } from "../text.js";
import { registerActions } from "./actions/index.js";
import { registerAssistant } from "./assistant/index.js";
import { COMMAND } from "./commands/em-focus.js";
import { registerCommands } from "./commands/index.js";
import { registerEvents } from "./events/index.js";
import { Listeners } from "./registry.js";
import { registerViews } from "./views/index.js";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Whether a listener of this app will answer the request. Anything else that Slack expects an
 * acknowledgement for (an unknown button, modal, command, shortcut, a submission without state, a
 * payload with no user) is acked at once instead of timing out into a 404.
 */
export function isHandled(body: Record<string, unknown>, listeners: Listeners): boolean {
  if (body.type === "event_callback") return true;
  if (typeof body.command === "string") return body.command === COMMAND && typeof body.user_id === "string";
  const user = body.user;
  if (!isRecord(user) || typeof user.id !== "string") return false;
  if (body.type === "block_actions") {
    // Bolt hands listeners the first action alone: a payload is ours when that one is, whatever
    // follows it (else it would go unacknowledged).
    const first: unknown = Array.isArray(body.actions) ? body.actions[0] : undefined;
    return isRecord(first) && listeners.handlesButton(String(first.action_id));
  }
  if (body.type === "view_submission") {
    const view = body.view;
    return (
      isRecord(view) &&
      listeners.handlesSubmission(String(view.callback_id)) &&
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

/**
 * Registers every listener of the app, behind a gate that acks what none of them answers. The gate
 * first asks `firstDelivery` about a body with an `event_id` and drops a repeated delivery.
 */
export function registerListeners(
  app: App,
  deps: BotDeps,
  firstDelivery?: (eventId: string) => Promise<boolean>,
): Listeners {
  const listeners = new Listeners(app);
  app.use(async ({ body, ack, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (firstDelivery && typeof eventId === "string" && !(await firstDelivery(eventId))) return;
    if (!isHandled(body as unknown as Record<string, unknown>, listeners)) {
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
  // Threads already titled, shared by the panel and the Messages tab (agent_view), whose follow-ups
  // reach the panel's Assistant: a follow-up never renames the thread its question named.
  const titled = titledThreads();
  // Before the DM listener: the panel's Assistant takes DM thread messages so they are answered once.
  registerAssistant(app, listeners, deps, titled);
  registerEvents(app, deps, titled);
  registerActions(listeners, deps);
  registerViews(listeners, deps);
  return listeners;
}
