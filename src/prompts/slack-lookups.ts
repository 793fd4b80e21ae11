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
  /** Use the stored zone; `answered`: Slack answered, without a zone we can use. */
  | { kind: "keep"; answered?: true };

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
    return tz && isValidTimeZone(tz) ? { kind: "zone", timeZone: tz } : { kind: "keep", answered: true };
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
 * What the conversation says about a delivery an earlier attempt may have sent:
 * - `found`: it is there (record it as sent);
 * - `absent`: it is not among the newest `historyLimit` messages (send it);
 * - `later`: Slack cannot tell us now (429, a passing error): keep the claim, look again after
 *   `afterMs` — sending now could post it twice;
 * - `blind`: Slack can never tell us (e.g. a scope is missing): send it, logged, as a duplicate is
 *   then the lesser harm than a prompt never sent;
 * - `token`: the bot token failed; the pass stops.
 */
export type SlackCheck =
  | { readonly kind: "found"; readonly channel: string; readonly ts: string }
  | { readonly kind: "absent" }
  | { readonly kind: "later"; readonly afterMs: number; readonly reason: string }
  | { readonly kind: "blind" }
  | { readonly kind: "token" };

/** How long to wait before looking again after a passing (non-429) error. */
const LOOK_AGAIN_AFTER_MS = 60_000;

/**
 * Looks in the target conversation for the message of a delivery an earlier attempt may have
 * sent (the process died after Slack accepted it, before the database recorded it): the newest
 * `historyLimit` messages, matched on the metadata every prompt carries. Not filtered by time:
 * Slack's clock and ours may differ.
 */
export async function findInSlack(ctx: LookupContext, delivery: Delivery): Promise<SlackCheck> {
  const cannotTell = (method: string, failure: SlackFailure): SlackCheck => {
    if (failure.kind === "token" && failure.reason !== "missing_scope") {
      ctx.tokenError(method, failure);
      return { kind: "token" };
    }
    const reason = `${method}: ${describeFailure(failure)}`;
    if (failure.kind === "rate_limited") return { kind: "later", afterMs: failure.retryAfterMs, reason };
    if (failure.kind === "transient") return { kind: "later", afterMs: LOOK_AGAIN_AFTER_MS, reason };
    ctx.logger.warn(
      `Could not check whether delivery ${delivery.id} was already sent (${reason}); sending it without checking`,
    );
    return { kind: "blind" };
  };
  let channel = delivery.channelId ?? (delivery.targetType === "channel" ? delivery.targetId : undefined);
  if (!channel) {
    const opened = await ctx.slack.call(
      "conversations.open",
      () => ctx.client.conversations.open({ users: delivery.targetId }),
      dontWait,
    );
    if (!opened.ok) return cannotTell("conversations.open", opened.failure);
    channel = opened.value.channel?.id;
    if (!channel) return { kind: "absent" };
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
  if (!history.ok) return cannotTell("conversations.history", history.failure);
  const message = history.value.messages?.find(
    (m) =>
      m.metadata?.event_type === PROMPT_METADATA_EVENT_TYPE &&
      m.metadata.event_payload?.delivery_id === delivery.id,
  );
  return message?.ts ? { kind: "found", channel: conversation, ts: message.ts } : { kind: "absent" };
}

export function describeFailure(failure: SlackFailure): string {
  return "reason" in failure ? failure.reason : failure.kind;
}
