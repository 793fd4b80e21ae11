import type { RespondFn, SlashCommand, webApi } from "@slack/bolt";
import { isFocusLevel, LEVEL_NAMES } from "../content/types.js";
import { formatSchedule, isValidTimeZone, nextPromptAt, parseSchedule } from "../prompts/schedule.js";
import type { PromptSchedule, Store, Subscription, SubscriptionTarget, Weekday } from "../store/types.js";
import type { Command } from "./command.js";
import type { BotDeps } from "./deps.js";
import type { MessageView } from "./views/answer.js";
import { escapeMrkdwn } from "./views/mrkdwn.js";
import {
  chooseTargetView,
  describeSubscription,
  describeTarget,
  forgetMeView,
  formatLocal,
  notice,
} from "./views/subscriptions.js";

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

/** `/em-focus focus narrow|wide|ic|off`: the person's intended focus; alone, what it is now. */
async function setFocus(
  deps: BotDeps,
  teamId: string,
  userId: string,
  args: string,
  now: Date,
): Promise<string> {
  const word = args.trim().toLowerCase();
  if (word === "") {
    const current = await deps.store.getIntendedFocus(teamId, userId);
    return current
      ? `Your intended focus this quarter: *${LEVEL_NAMES[current.level]}*. \`/em-focus focus off\` turns the drift note off.`
      : "No intended focus set. `/em-focus focus narrow`, `wide` or `ic` sets one.";
  }
  if (word === "off" || word === "none") {
    await deps.store.setIntendedFocus(teamId, userId, null, now);
    return "Intended focus turned off: no drift notes.";
  }
  if (!isFocusLevel(word)) return "Say `/em-focus focus narrow`, `wide`, `ic` or `off`.";
  await deps.store.setIntendedFocus(teamId, userId, word, now);
  return `Intended focus this quarter: *${LEVEL_NAMES[word]}*. When three of your last four answers go elsewhere, your next prompt asks, privately, whether that is on purpose (at most once a month).`;
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

/** The schedule a subscribe button carries. Any channel in the value is ignored: values are untrusted. */
export function readSchedule(value: string | undefined): PromptSchedule | null {
  try {
    const parsed = JSON.parse(value ?? "") as { w?: unknown; t?: unknown };
    // A whole day 0-6: croner throws on "2.5" or "1e-7", after the click was acked.
    if (!Number.isInteger(parsed.w) || (parsed.w as number) < 0 || (parsed.w as number) > 6) return null;
    if (typeof parsed.t !== "string") return null;
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(parsed.t)) return null;
    return { weekday: parsed.w as Weekday, time: parsed.t };
  } catch {
    return null;
  }
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
        await reply(notice(escapeMrkdwn(parsed.message)));
        return;
      }
      const schedule = { weekday: parsed.weekday, time: parsed.time };
      if (!isDirectMessage(slash.channel_id)) {
        await reply(chooseTargetView(schedule));
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
        notice(
          `${created ? "Subscribed" : "Updated"}: a reflection prompt every *${formatSchedule(schedule)}* your time. First one: ${formatLocal(subscription.nextPromptAt, timeZone)}.\n\`/em-focus status\` · \`/em-focus skip\` · \`/em-focus unsubscribe\``,
        ),
      );
      return;
    }
    case "status": {
      const subscriptions = await deps.store.listSubscriptionsForUser(teamId, slash.user_id);
      await reply(
        notice(
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
        await reply(notice("There is no weekly prompt to change here. `/em-focus subscribe` starts one."));
        return;
      }
      if (command.kind === "skip") {
        await deps.store.setSkipNext(subscription.id, true, now);
        await reply(
          notice(
            `The next prompt for ${describeTarget(target)} (${formatLocal(subscription.nextPromptAt, subscription.timeZone)}) will be skipped.`,
          ),
        );
      } else {
        await deps.store.deleteSubscription(target);
        await reply(
          notice(
            `Stopped the weekly prompts for ${describeTarget(target)}. Your past answers are kept; \`/em-focus forget-me\` deletes them.`,
          ),
        );
      }
      return;
    }
    case "forget-me":
      await reply(forgetMeView(slash.user_id));
      return;
    case "focus":
      await reply(notice(await setFocus(deps, teamId, slash.user_id, command.args, now)));
      return;
  }
}
