import type { Middleware } from "@slack/bolt";
import { type BotDeps, teamOf } from "../../deps.js";
import { publishHome } from "../../home.js";
import { mayAnswer, NOT_YOURS } from "../../prompt-answers.js";
import {
  answeredPromptBlocks,
  choiceFromAction,
  nameChoiceBlocks,
  noteModal,
  privateConfirmation,
} from "../../views/prompt.js";
import type { ButtonArgs } from "../registry.js";

/** Narrow / Wide / IC / Skip on a weekly prompt; the value names the delivery, which must be the clicker's. */
export const answerPrompt =
  (deps: BotDeps, actionId: string): Middleware<ButtonArgs> =>
  async ({ ack, action, body, client, respond }) => {
    await ack();
    const choice = choiceFromAction(actionId);
    const delivery = action.value ? await deps.store.getDelivery(action.value) : undefined;
    const teamId = teamOf(body);
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
    const named =
      delivery.targetType === "channel"
        ? (await deps.store.namedMembers(teamId, delivery.targetId)).has(body.user.id)
        : undefined;
    /** The confirmation, shown to the person who clicked alone. */
    const confirmPrivately = () =>
      respond({
        response_type: "ephemeral",
        replace_original: false,
        ...privateConfirmation(choice, delivery.id, named),
      });
    if (delivery.targetType === "user" && body.message && body.channel) {
      // A person's own prompt: the message itself shows the answer.
      try {
        await client.chat.update({
          channel: body.channel.id,
          ts: body.message.ts,
          text: body.message.text ?? "Weekly reflection",
          blocks: answeredPromptBlocks(body.message.blocks ?? [], choice, delivery.id),
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
  };

/** "Add a note" opens the note modal for a delivery the clicker may answer. */
export const addNote =
  (deps: BotDeps): Middleware<ButtonArgs> =>
  async ({ ack, action, body, client, respond }) => {
    await ack();
    const delivery = action.value ? await deps.store.getDelivery(action.value) : undefined;
    if (!delivery || !mayAnswer(delivery, teamOf(body), body.user.id, body.channel?.id)) {
      deps.logger.warn(`Refused a note by ${body.user.id} on delivery ${action.value ?? "(none)"}`);
      await respond({ response_type: "ephemeral", replace_original: false, text: NOT_YOURS });
      return;
    }
    await client.views.open({ trigger_id: body.trigger_id, view: noteModal(delivery.id) });
  };

/**
 * "Show my name in the summary" / "Leave my name out", under a channel answer's private
 * confirmation. The value names the delivery; the channel and the person come from the payload.
 */
export const chooseName =
  (deps: BotDeps, shown: boolean): Middleware<ButtonArgs> =>
  async ({ ack, action, body, respond }) => {
    await ack();
    const teamId = teamOf(body);
    const delivery = action.value ? await deps.store.getDelivery(action.value) : undefined;
    if (delivery?.targetType !== "channel" || !mayAnswer(delivery, teamId, body.user.id, body.channel?.id)) {
      deps.logger.warn(`Refused a summary name choice by ${body.user.id} on ${action.value ?? "(none)"}`);
      await respond({ response_type: "ephemeral", replace_original: false, text: NOT_YOURS });
      return;
    }
    await deps.store.setNameShown(
      { teamId, channelId: delivery.targetId, userId: body.user.id },
      shown,
      deps.now(),
    );
    await respond({
      response_type: "ephemeral",
      replace_original: true,
      text: shown ? "Your name will be shown in this channel's summaries." : "Your name is left out.",
      blocks: nameChoiceBlocks(shown, delivery.id),
    });
  };
