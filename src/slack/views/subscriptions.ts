import { formatSchedule } from "../../prompts/schedule.js";
import type { PromptSchedule, Subscription, SubscriptionTarget } from "../../store/types.js";
import type { Block, MessageView } from "./answer.js";
import { escapeMrkdwn } from "./mrkdwn.js";

export const SUBSCRIPTION_ACTIONS = {
  subscribeMe: "subscribe_me",
  subscribeChannel: "subscribe_channel",
  forgetConfirm: "forget_me_confirm",
  cancel: "subscription_cancel",
} as const;

/** "Mon 30 Nov, 09:00 (Europe/Berlin)" */
export function formatLocal(date: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(date);
  return `${text} (${timeZone})`;
}

export function describeTarget(subscription: SubscriptionTarget): string {
  return subscription.targetType === "channel" ? `<#${subscription.targetId}>` : "you, by direct message";
}

export function describeSubscription(subscription: Subscription): string {
  const state = subscription.pausedReason
    ? `:pause_button: paused: Slack said \`${escapeMrkdwn(subscription.pausedReason)}\` — fix it and run \`/em-focus subscribe\` again to resume`
    : `next: ${formatLocal(subscription.nextPromptAt, subscription.timeZone)}${subscription.skipNext ? " — *will be skipped*" : ""}`;
  return `• ${describeTarget(subscription)} — every ${formatSchedule(subscription.schedule)}; ${state}`;
}

/** A plain private reply. */
export function notice(message: string): MessageView {
  return { text: message, blocks: [{ type: "section", text: { type: "mrkdwn", text: message } }] };
}

/** A question with buttons, and Cancel. */
export function confirmView(
  message: string,
  buttons: { action: string; label: string; value: string; style?: "primary" | "danger" }[],
): MessageView {
  const blocks: Block[] = [
    { type: "section", text: { type: "mrkdwn", text: message } },
    {
      type: "actions",
      elements: [
        ...buttons.map((b) => ({
          type: "button" as const,
          action_id: b.action,
          text: { type: "plain_text" as const, text: b.label },
          value: b.value,
          ...(b.style ? { style: b.style } : {}),
        })),
        {
          type: "button" as const,
          action_id: SUBSCRIPTION_ACTIONS.cancel,
          text: { type: "plain_text" as const, text: "Cancel" },
          value: "cancel",
        },
      ],
    },
  ];
  return { text: message, blocks };
}

/**
 * `/em-focus subscribe` in a channel: where should the prompts go? The buttons carry only the
 * schedule; where to send comes from the signed click itself (its channel).
 */
export function chooseTargetView(schedule: PromptSchedule): MessageView {
  const value = JSON.stringify({ w: schedule.weekday, t: schedule.time });
  return confirmView(`Weekly reflection prompts every *${formatSchedule(schedule)}*. Where should they go?`, [
    { action: SUBSCRIPTION_ACTIONS.subscribeMe, label: "To me, privately", value, style: "primary" },
    { action: SUBSCRIPTION_ACTIONS.subscribeChannel, label: "To this channel (team reflection)", value },
  ]);
}

/** `/em-focus forget-me`: a confirmation before anything is deleted. */
export function forgetMeView(userId: string): MessageView {
  return confirmView(
    "Delete everything em-focus stores about you: your subscriptions, the prompts sent to you, your answers and notes, your intended focus and summary name choices, and your feedback (channel summaries that counted you are redrawn without you)? This cannot be undone.",
    [{ action: SUBSCRIPTION_ACTIONS.forgetConfirm, label: "Delete my data", value: userId, style: "danger" }],
  );
}
