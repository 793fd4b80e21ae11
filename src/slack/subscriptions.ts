import type { RespondFn, SlashCommand, webApi } from "@slack/bolt";
import { formatSchedule, isValidTimeZone, nextPromptAt, parseSchedule } from "../prompts/schedule.js";
import type { PromptSchedule, Store, Subscription, SubscriptionTarget } from "../store/types.js";
import type { BotDeps } from "./app.js";
import type { Command } from "./command.js";
import { escapeMrkdwn } from "./mrkdwn.js";
import type { Block, MessageView } from "./views/answer.js";

export const SUBSCRIPTION_ACTIONS = {
  subscribeMe: "subscribe_me",
  subscribeChannel: "subscribe_channel",
  forgetConfirm: "forget_me_confirm",
  cancel: "subscription_cancel",
} as const;

/** Where the person typed the command: a DM with the bot, or a channel (public or private). */
export function isDirectMessage(channelId: string): boolean {
  return channelId.startsWith("D");
}

/** The person's time zone from Slack; UTC when Slack gives none or one we cannot use. */
export async function timeZoneOf(client: webApi.WebClient, userId: string, deps: BotDeps): Promise<string> {
  try {
    const info = await client.users.info({ user: userId });
    const tz = info.user?.tz;
    if (tz && isValidTimeZone(tz)) return tz;
  } catch (error) {
    deps.logger.warn(`Could not read the time zone of ${userId}; using UTC`, error);
  }
  return "UTC";
}

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

/** Creates or changes a subscription; the next prompt is computed in the given zone. */
export async function subscribe(
  store: Store,
  target: SubscriptionTarget,
  subscribedBy: string,
  schedule: PromptSchedule,
  timeZone: string,
  now: Date,
): Promise<{ subscription: Subscription; created: boolean }> {
  const existing = await store.findSubscription(target);
  const next = nextPromptAt(schedule, timeZone, now);
  const result = await store.upsertSubscription({
    ...target,
    subscribedBy,
    schedule,
    timeZone,
    nextPromptAt: next,
    now,
  });
  // Subscribing again is how a paused subscription (e.g. the bot was removed) is resumed.
  if (existing?.pausedReason) await store.resumeSubscription(result.subscription.id, next, now);
  const subscription = (await store.getSubscription(result.subscription.id)) ?? result.subscription;
  return { subscription, created: result.created };
}

function text(message: string): MessageView {
  return { text: message, blocks: [{ type: "section", text: { type: "mrkdwn", text: message } }] };
}

function confirmView(
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

interface CommandTools {
  deps: BotDeps;
  client: webApi.WebClient;
  respond: RespondFn;
}

type SubscriptionCommand = Exclude<Command, { kind: "help" } | { kind: "ask" }>;

/** `/em-focus subscribe | unsubscribe | skip | status | forget-me`, answered privately. */
export async function handleSubscriptionCommand(
  command: SubscriptionCommand,
  slash: SlashCommand,
  { deps, client, respond }: CommandTools,
): Promise<void> {
  const reply = (view: MessageView) => respond({ response_type: "ephemeral", ...view });
  const teamId = slash.team_id;
  const me: SubscriptionTarget = { teamId, targetType: "user", targetId: slash.user_id };
  const here: SubscriptionTarget = { teamId, targetType: "channel", targetId: slash.channel_id };
  const now = deps.now();
  switch (command.kind) {
    case "subscribe": {
      const parsed = parseSchedule(command.args);
      if (!parsed.ok) {
        await reply(text(escapeMrkdwn(parsed.message)));
        return;
      }
      const schedule = { weekday: parsed.weekday, time: parsed.time };
      if (!isDirectMessage(slash.channel_id)) {
        // Only the schedule: where to send comes from the signed click itself (its channel).
        const value = JSON.stringify({ w: schedule.weekday, t: schedule.time });
        await reply(
          confirmView(
            `Weekly reflection prompts every *${formatSchedule(schedule)}*. Where should they go?`,
            [
              {
                action: SUBSCRIPTION_ACTIONS.subscribeMe,
                label: "To me, privately",
                value,
                style: "primary",
              },
              {
                action: SUBSCRIPTION_ACTIONS.subscribeChannel,
                label: "To this channel (team reflection)",
                value,
              },
            ],
          ),
        );
        return;
      }
      const timeZone = await timeZoneOf(client, slash.user_id, deps);
      const { subscription, created } = await subscribe(
        deps.store,
        me,
        slash.user_id,
        schedule,
        timeZone,
        now,
      );
      await reply(
        text(
          `${created ? "Subscribed" : "Updated"}: a reflection prompt every *${formatSchedule(schedule)}* your time. First one: ${formatLocal(subscription.nextPromptAt, timeZone)}.\n\`/em-focus status\` · \`/em-focus skip\` · \`/em-focus unsubscribe\``,
        ),
      );
      return;
    }
    case "status": {
      const subscriptions = await deps.store.listSubscriptionsForUser(teamId, slash.user_id);
      await reply(
        text(
          subscriptions.length === 0
            ? "You have no weekly reflection prompts. Start with `/em-focus subscribe [day] [time]`, e.g. `/em-focus subscribe mon 9am`."
            : `*Your weekly reflection prompts*\n${subscriptions.map(describeSubscription).join("\n")}`,
        ),
      );
      return;
    }
    case "skip":
    case "unsubscribe": {
      // In a channel with its own subscription, the command is about that one.
      const target =
        !isDirectMessage(slash.channel_id) && (await deps.store.findSubscription(here)) ? here : me;
      const subscription = await deps.store.findSubscription(target);
      if (!subscription) {
        await reply(text("There is no weekly prompt to change here. `/em-focus subscribe` starts one."));
        return;
      }
      if (command.kind === "skip") {
        await deps.store.setSkipNext(subscription.id, true, now);
        await reply(
          text(
            `The next prompt for ${describeTarget(target)} (${formatLocal(subscription.nextPromptAt, subscription.timeZone)}) will be skipped.`,
          ),
        );
      } else {
        await deps.store.deleteSubscription(target);
        await reply(
          text(
            `Stopped the weekly prompts for ${describeTarget(target)}. Your past answers are kept; \`/em-focus forget-me\` deletes them.`,
          ),
        );
      }
      return;
    }
    case "forget-me":
      await reply(
        confirmView(
          "Delete everything em-focus stores about you: your subscriptions, the prompts sent to you, your answers and notes, and your feedback? This cannot be undone.",
          [
            {
              action: SUBSCRIPTION_ACTIONS.forgetConfirm,
              label: "Delete my data",
              value: slash.user_id,
              style: "danger",
            },
          ],
        ),
      );
      return;
  }
}
