import type { Delivery } from "../store/deliveries.js";
import {
  type DeliveryLogger,
  PROMPT_METADATA_EVENT_TYPE,
  type PromptSlackClient,
} from "./delivery-options.js";
import type { PacedSlack } from "./pacer.js";
import { isValidTimeZone } from "./schedule.js";
import type { SlackFailure } from "./slack-errors.js";

/** What the delivery pass's look-ups in Slack need; `tokenError` stops the pass. */
export interface LookupContext {
  readonly slack: PacedSlack;
  readonly client: PromptSlackClient;
  readonly logger: DeliveryLogger;
  readonly historyLimit: number;
  tokenError(method: string, failure: Extract<SlackFailure, { kind: "token" }>): void;
}

export type TimeZoneLookup =
  | { kind: "zone"; timeZone: string }
  | { kind: "pause"; reason: string }
  | { kind: "token" }
  | { kind: "keep" };

const dontWait = async () => false;

/** The person's current time zone in Slack, or why it cannot be used (keep: use the stored one). */
export async function currentTimeZone(ctx: LookupContext, userId: string): Promise<TimeZoneLookup> {
  // users.info has a far lower rate limit than posting (Slack's tier 4, about 100 a minute), and a
  // Monday 09:00 brings every subscriber due at once. While Slack holds it back, the stored zone
  // (right last week) is used rather than making prompts wait for the lookup.
  if (ctx.slack.holding("users.info")) return { kind: "keep" };
  const result = await ctx.slack.call("users.info", () => ctx.client.users.info({ user: userId }), dontWait);
  if (result.ok) {
    const user = result.value.user;
    if (user?.deleted) return { kind: "pause", reason: "account_inactive" };
    const tz = user?.tz;
    return tz && isValidTimeZone(tz) ? { kind: "zone", timeZone: tz } : { kind: "keep" };
  }
  if (result.failure.kind === "pause") return { kind: "pause", reason: result.failure.reason };
  if (result.failure.kind === "token") {
    ctx.tokenError("users.info", result.failure);
    return { kind: "token" };
  }
  // The stored zone is a fine fallback: it was right last week.
  ctx.logger.warn(
    `users.info failed for ${userId} (${describeFailure(result.failure)}); keeping the stored time zone`,
  );
  return { kind: "keep" };
}

/**
 * Looks in the target conversation for the message of a delivery an earlier attempt may have
 * sent (the process died after Slack accepted it, before the database recorded it): the newest
 * `historyLimit` messages, matched on the metadata every prompt carries. Not filtered by time:
 * Slack's clock and ours may differ. "token" after a token error; undefined when not found, or
 * when Slack cannot tell us (rate limit, missing scope: then it is sent again, as before).
 */
export async function findInSlack(
  ctx: LookupContext,
  delivery: Delivery,
): Promise<{ channel: string; ts: string } | "token" | undefined> {
  const unknown = (method: string, failure: SlackFailure): "token" | undefined => {
    if (failure.kind === "token" && failure.reason !== "missing_scope") {
      ctx.tokenError(method, failure);
      return "token";
    }
    ctx.logger.warn(
      `Could not check whether delivery ${delivery.id} was already sent (${method}: ${describeFailure(failure)}); sending it again`,
    );
    return undefined;
  };
  let channel = delivery.channelId ?? (delivery.targetType === "channel" ? delivery.targetId : undefined);
  if (!channel) {
    const opened = await ctx.slack.call(
      "conversations.open",
      () => ctx.client.conversations.open({ users: delivery.targetId }),
      dontWait,
    );
    if (!opened.ok) return unknown("conversations.open", opened.failure);
    channel = opened.value.channel?.id;
    if (!channel) return undefined;
  }
  const conversation = channel;
  const history = await ctx.slack.call(
    "conversations.history",
    () =>
      ctx.client.conversations.history({
        channel: conversation,
        include_all_metadata: true,
        limit: ctx.historyLimit,
      }),
    dontWait,
  );
  if (!history.ok) return unknown("conversations.history", history.failure);
  const message = history.value.messages?.find(
    (m) =>
      m.metadata?.event_type === PROMPT_METADATA_EVENT_TYPE &&
      m.metadata.event_payload?.delivery_id === delivery.id,
  );
  return message?.ts ? { channel: conversation, ts: message.ts } : undefined;
}

export function describeFailure(failure: SlackFailure): string {
  return "reason" in failure ? failure.reason : failure.kind;
}
