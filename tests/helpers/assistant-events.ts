import { nextTs, type SlackEvent } from "./slack-requests.js";

/** The context Slack sends with assistant events: the channel the person is looking at. */
export interface AssistantContext {
  channel_id?: string;
  team_id?: string;
  enterprise_id?: string | null;
}

export interface AssistantThreadFields {
  user: string;
  /** The app's DM with the person, where the panel's threads live. */
  channel?: string;
  threadTs?: string;
  context?: AssistantContext;
}

function assistantEvent(
  type: "assistant_thread_started" | "assistant_thread_context_changed",
  fields: AssistantThreadFields,
): SlackEvent {
  return {
    type,
    assistant_thread: {
      user_id: fields.user,
      context: fields.context ?? {},
      channel_id: fields.channel ?? `D${fields.user}`,
      thread_ts: fields.threadTs ?? nextTs(),
    },
    event_ts: nextTs(),
  };
}

/** `assistant_thread_started`, shaped as in Slack's reference. */
export function assistantThreadStartedEvent(fields: AssistantThreadFields): SlackEvent {
  return assistantEvent("assistant_thread_started", fields);
}

/** `assistant_thread_context_changed`, shaped as in Slack's reference. */
export function assistantThreadContextChangedEvent(fields: AssistantThreadFields): SlackEvent {
  return assistantEvent("assistant_thread_context_changed", fields);
}
