import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { choiceFromAction, PROMPT_ANSWER_ACTIONS, PROMPT_ANSWER_LABELS } from "../prompts/render.js";
import { formatSchedule } from "../prompts/schedule.js";
import type { Delivery, PromptSchedule, SubscriptionTarget, Weekday } from "../store/types.js";
import type { BotDeps } from "./app.js";
import { NOTHING_SAVED } from "./failures.js";
import { HOME_ACTIONS, publishHome, SCHEDULE_MODAL, scheduleModal } from "./home.js";
import {
  formatLocal,
  isDirectMessage,
  SUBSCRIPTION_ACTIONS,
  subscribe,
  timeZoneOf,
} from "./subscriptions.js";
import { stripControl } from "./text.js";

export const NOTE_MODAL = "prompt_note";
export const PROMPT_NOTE_ACTION = "prompt_add_note";
const ADD_NOTE = PROMPT_NOTE_ACTION;

/** The schedule a subscribe button carries. Any channel in the value is ignored: values are untrusted. */
function readSchedule(value: string | undefined): PromptSchedule | null {
  try {
    const parsed = JSON.parse(value ?? "") as { w?: unknown; t?: unknown };
    if (typeof parsed.w !== "number" || parsed.w < 0 || parsed.w > 6 || typeof parsed.t !== "string")
      return null;
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(parsed.t)) return null;
    return { weekday: parsed.w as Weekday, time: parsed.t };
  } catch {
    return null;
  }
}

const NOT_YOURS =
  "That prompt isn't yours, so nothing was saved. Answer the prompts sent to you or to a channel you are in.";

/**
 * Whether the person who clicked may answer (or add a note to) this delivery. Who and where come
 * from the signed payload, never from the button's value: a person's own prompt is theirs alone;
 * a channel prompt may be answered from that channel, where the message is.
 */
export function mayAnswer(
  delivery: Delivery,
  teamId: string,
  userId: string,
  channelId: string | undefined,
): boolean {
  if (delivery.teamId !== teamId) return false;
  if (delivery.targetType === "user") return delivery.targetId === userId;
  return channelId !== undefined && (channelId === delivery.targetId || channelId === delivery.channelId);
}

/** Buttons and modals of the weekly prompts: subscribing, answering, notes, forgetting. */
export function registerPromptActions(app: App, deps: BotDeps): void {
  app.action<BlockAction<ButtonAction>>(SUBSCRIPTION_ACTIONS.cancel, async ({ ack, respond }) => {
    await ack();
    await respond({ delete_original: true });
  });

  for (const actionId of [SUBSCRIPTION_ACTIONS.subscribeMe, SUBSCRIPTION_ACTIONS.subscribeChannel]) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, action, body, client, respond }) => {
      await ack();
      const schedule = readSchedule(action.value);
      if (!schedule)
        return void (await respond({
          replace_original: true,
          text: "That button is out of date; run `/em-focus subscribe` again.",
        }));
      const teamId = body.team?.id ?? body.user.team_id ?? "";
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
    });
  }

  app.action<BlockAction<ButtonAction>>(
    SUBSCRIPTION_ACTIONS.forgetConfirm,
    async ({ ack, body, respond, client }) => {
      await ack();
      const teamId = body.team?.id ?? body.user.team_id ?? "";
      const report = await deps.store.forgetUser(teamId, body.user.id);
      await respond({
        replace_original: true,
        text: `Done. Deleted ${report.subscriptions} subscription(s), ${report.deliveries} prompt record(s), ${report.answers} answer(s) and ${report.feedback} feedback record(s)${report.channelSubscriptionsAnonymised ? `; ${report.channelSubscriptionsAnonymised} channel subscription(s) you set up no longer name you` : ""}.`,
      });
      await publishHome(client, deps, teamId, body.user.id);
    },
  );

  for (const actionId of Object.values(PROMPT_ANSWER_ACTIONS)) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, action, body, client, respond }) => {
      await ack();
      const choice = choiceFromAction(actionId);
      const delivery = action.value ? await deps.store.getDelivery(action.value) : undefined;
      const teamId = body.team?.id ?? body.user.team_id ?? "";
      if (!choice || !delivery || delivery.teamId !== teamId) {
        await respond({
          response_type: "ephemeral",
          replace_original: false,
          text: "That prompt is no longer stored (perhaps its data was deleted).",
        });
        return;
      }
      if (!mayAnswer(delivery, teamId, body.user.id, body.channel?.id)) {
        deps.logger.warn(
          `Refused an answer by ${body.user.id} to delivery ${delivery.id}, which is not theirs`,
        );
        await respond({ response_type: "ephemeral", replace_original: false, text: NOT_YOURS });
        return;
      }
      await deps.store.recordAnswer({
        deliveryId: delivery.id,
        teamId,
        userId: body.user.id,
        choice,
        now: deps.now(),
      });
      const confirmation = `${choice === "skip" ? "Skipped this week" : `You answered *${PROMPT_ANSWER_LABELS[choice]}*`} — thanks. Change it any time with the buttons.`;
      const noteButton = {
        type: "actions" as const,
        elements: [
          {
            type: "button" as const,
            action_id: ADD_NOTE,
            text: { type: "plain_text" as const, text: "Add a note" },
            value: delivery.id,
          },
        ],
      };
      /** The confirmation, shown to the person who clicked alone. */
      const confirmPrivately = () =>
        respond({
          response_type: "ephemeral",
          replace_original: false,
          text: confirmation,
          blocks: [
            { type: "section", text: { type: "mrkdwn", text: confirmation } },
            ...(choice === "skip" ? [] : [noteButton]),
          ],
        });
      if (delivery.targetType === "user" && body.message && body.channel) {
        // A person's own prompt: the message itself shows the answer.
        const blocks = (body.message.blocks ?? []).filter(
          (b: { block_id?: string }) => b.block_id !== "prompt_answer_confirmation",
        );
        try {
          await client.chat.update({
            channel: body.channel.id,
            ts: body.message.ts,
            text: body.message.text ?? "Weekly reflection",
            blocks: [
              ...blocks.filter(
                (b: { type?: string; block_id?: string }) =>
                  !(b.type === "actions" && b.block_id !== "prompt_answer"),
              ),
              {
                type: "context",
                block_id: "prompt_answer_confirmation",
                elements: [{ type: "mrkdwn", text: confirmation }],
              },
              ...(choice === "skip" ? [] : [noteButton]),
            ],
          });
        } catch (error) {
          // The answer is stored; without a confirmation the person would think the click was lost.
          deps.logger.warn("Could not update the prompt message; confirming the answer privately", error);
          await confirmPrivately();
        }
      } else {
        // A channel prompt is shared: each person's answer is confirmed to them alone.
        await confirmPrivately();
      }
      await publishHome(client, deps, teamId, body.user.id);
    });
  }

  app.action<BlockAction<ButtonAction>>(ADD_NOTE, async ({ ack, action, body, client, respond }) => {
    await ack();
    const teamId = body.team?.id ?? body.user.team_id ?? "";
    const delivery = action.value ? await deps.store.getDelivery(action.value) : undefined;
    if (!delivery || !mayAnswer(delivery, teamId, body.user.id, body.channel?.id)) {
      deps.logger.warn(`Refused a note by ${body.user.id} on delivery ${action.value ?? "(none)"}`);
      await respond({ response_type: "ephemeral", replace_original: false, text: NOT_YOURS });
      return;
    }
    await client.views.open({
      trigger_id: body.trigger_id,
      view: {
        type: "modal",
        callback_id: NOTE_MODAL,
        private_metadata: delivery.id,
        title: { type: "plain_text", text: "A note for this week" },
        submit: { type: "plain_text", text: "Save" },
        close: { type: "plain_text", text: "Cancel" },
        blocks: [
          {
            type: "input",
            block_id: "note",
            label: { type: "plain_text", text: "What stood out? Only you can see it." },
            element: { type: "plain_text_input", action_id: "note", multiline: true, max_length: 2000 },
          },
        ],
      },
    });
  });

  app.view(NOTE_MODAL, async ({ ack, view, body }) => {
    const note = stripControl(view.state.values.note?.note?.value ?? "").trim();
    // private_metadata was checked when the modal opened; checked again, as the view can be stale.
    const teamId = body.team?.id ?? body.user.team_id ?? "";
    const delivery = await deps.store.getDelivery(view.private_metadata);
    const notTheirs =
      delivery !== undefined &&
      (delivery.teamId !== teamId || (delivery.targetType === "user" && delivery.targetId !== body.user.id));
    if (notTheirs) {
      await ack({ response_action: "errors", errors: { note: NOT_YOURS } });
      return;
    }
    // Stored before the modal closes: if the write fails, the modal stays open with the note in it
    // (Slack shows an error) instead of closing as if it had been saved. Only the note changes, so
    // a choice clicked meanwhile on the prompt is kept.
    let saved: Awaited<ReturnType<typeof deps.store.setAnswerNote>>;
    try {
      saved = await deps.store.setAnswerNote(view.private_metadata, body.user.id, note === "" ? null : note);
    } catch (error) {
      deps.logger.error("The store failed while saving a note", error);
      await ack({ response_action: "errors", errors: { note: NOTHING_SAVED } });
      return;
    }
    if (!saved) {
      await ack({
        response_action: "errors",
        errors: { note: "Choose Narrow, Wide or IC on the prompt first." },
      });
      return;
    }
    await ack();
  });

  app.action<BlockAction<ButtonAction>>(HOME_ACTIONS.stop, async ({ ack, body, client }) => {
    await ack();
    const teamId = body.team?.id ?? body.user.team_id ?? "";
    await deps.store.deleteSubscription({ teamId, targetType: "user", targetId: body.user.id });
    await publishHome(client, deps, teamId, body.user.id);
  });

  app.action<BlockAction<ButtonAction>>(HOME_ACTIONS.schedule, async ({ ack, body, client }) => {
    await ack();
    const teamId = body.team?.id ?? body.user.team_id ?? "";
    const current = await deps.store.findSubscription({ teamId, targetType: "user", targetId: body.user.id });
    await client.views.open({ trigger_id: body.trigger_id, view: scheduleModal(current?.schedule) });
  });

  app.view(SCHEDULE_MODAL, async ({ ack, view, body, client }) => {
    const values = view.state.values;
    const weekday = Number(values.weekday?.weekday?.selected_option?.value);
    const time = values.time?.time?.selected_time ?? "";
    if (!(weekday >= 0 && weekday <= 6) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) {
      await ack({ response_action: "errors", errors: { time: "Pick a day and a time." } });
      return;
    }
    await ack();
    const teamId = body.team?.id ?? body.user.team_id ?? "";
    const timeZone = await timeZoneOf(client, body.user.id, deps);
    await subscribe(
      deps.store,
      { teamId, targetType: "user", targetId: body.user.id },
      body.user.id,
      { weekday: weekday as Weekday, time },
      timeZone,
      deps.now(),
    );
    await publishHome(client, deps, teamId, body.user.id);
  });
}
