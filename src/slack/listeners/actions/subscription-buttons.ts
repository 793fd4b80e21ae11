import type { Middleware } from "@slack/bolt";
import { formatSchedule } from "../../../prompts/schedule.js";
import type { SubscriptionTarget } from "../../../store/types.js";
import { type BotDeps, teamOf } from "../../deps.js";
import { publishHome } from "../../home.js";
import { isDirectMessage, readSchedule, subscribe, timeZoneOf } from "../../subscriptions.js";
import { formatLocal, SUBSCRIPTION_ACTIONS } from "../../views/subscriptions.js";
import type { ButtonArgs } from "../registry.js";

export const cancel: Middleware<ButtonArgs> = async ({ ack, respond }) => {
  await ack();
  await respond({ delete_original: true });
};

/** "To me, privately" / "To this channel": the schedule from the value, who and where from the signed click. */
export const subscribeTarget =
  (deps: BotDeps, actionId: string): Middleware<ButtonArgs> =>
  async ({ ack, action, body, client, respond }) => {
    await ack();
    const schedule = readSchedule(action.value);
    if (!schedule) {
      await respond({
        replace_original: true,
        text: "That button is out of date; run `/em-focus subscribe` again.",
      });
      return;
    }
    const teamId = teamOf(body);
    // The channel is the one the clicked message is in (signed by Slack), never the value's.
    const channelId = body.channel?.id;
    const toChannel = actionId === SUBSCRIPTION_ACTIONS.subscribeChannel;
    if (toChannel) {
      const canPost =
        channelId !== undefined &&
        !isDirectMessage(channelId) &&
        (await client.conversations
          .info({ channel: channelId })
          .then((info) => Boolean(info.channel?.is_member) && !info.channel?.is_archived)
          .catch(() => false));
      if (!canPost) {
        await respond({
          replace_original: true,
          text: "I can't post in this channel yet. Invite me with `/invite @em-focus`, then run `/em-focus subscribe` again.",
        });
        return;
      }
    }
    const target: SubscriptionTarget =
      toChannel && channelId
        ? { teamId, targetType: "channel", targetId: channelId }
        : { teamId, targetType: "user", targetId: body.user.id };
    const timeZone = await timeZoneOf(client, body.user.id, deps);
    const { subscription } = await subscribe(
      deps.store,
      target,
      body.user.id,
      schedule,
      timeZone,
      deps.now(),
    );
    await respond({
      replace_original: true,
      text: `Subscribed ${toChannel ? `<#${target.targetId}>` : "you"}: a reflection prompt every *${formatSchedule(schedule)}* (${timeZone}). First one: ${formatLocal(subscription.nextPromptAt, timeZone)}.`,
    });
  };

/** "Delete my data": always the clicker's own data, whatever the value says. */
export const forgetMe =
  (deps: BotDeps): Middleware<ButtonArgs> =>
  async ({ ack, body, respond, client }) => {
    await ack();
    const teamId = teamOf(body);
    const report = await deps.store.forgetUser(teamId, body.user.id);
    await respond({
      replace_original: true,
      text: `Done. Deleted ${report.subscriptions} subscription(s), ${report.deliveries} prompt record(s), ${report.answers} answer(s) with their notes, ${report.feedback} feedback record(s) and ${report.intendedFocus} intended focus${report.summariesRedrawn ? `; ${report.summariesRedrawn} channel summary(ies) that counted you will be redrawn without you` : ""}${report.channelSubscriptionsAnonymised ? `; ${report.channelSubscriptionsAnonymised} channel subscription(s) you set up no longer name you` : ""}.`,
    });
    await publishHome(client, deps, teamId, body.user.id);
  };
