import type { Middleware } from "@slack/bolt";
import type { IntendedFocus } from "../../../store/types.js";
import { type BotDeps, teamOf } from "../../deps.js";
import { publishHome } from "../../home.js";
import { scheduleModal } from "../../views/home.js";
import { noteModal } from "../../views/prompt.js";
import type { ButtonArgs } from "../registry.js";

/** Home tab "Stop": the clicker's own subscription. */
export const stopPrompts =
  (deps: BotDeps): Middleware<ButtonArgs> =>
  async ({ ack, body, client }) => {
    await ack();
    const teamId = teamOf(body);
    await deps.store.deleteSubscription({ teamId, targetType: "user", targetId: body.user.id });
    await publishHome(client, deps, teamId, body.user.id);
  };

/** Home tab "Subscribe" / "Change day and time": the schedule modal, filled in with the current one. */
export const openSchedule =
  (deps: BotDeps): Middleware<ButtonArgs> =>
  async ({ ack, body, client }) => {
    await ack();
    const current = await deps.store.findSubscription({
      teamId: teamOf(body),
      targetType: "user",
      targetId: body.user.id,
    });
    await client.views.open({ trigger_id: body.trigger_id, view: scheduleModal(current?.schedule) });
  };

/** Home tab intended focus: a level, or null to turn the drift nudge off. Always the clicker's own. */
export const intendFocus =
  (deps: BotDeps, level: IntendedFocus | null): Middleware<ButtonArgs> =>
  async ({ ack, body, client }) => {
    await ack();
    const teamId = teamOf(body);
    await deps.store.setIntendedFocus(teamId, body.user.id, level, deps.now());
    await publishHome(client, deps, teamId, body.user.id);
  };

/**
 * Home tab "Edit" on a note: the value names a delivery; only the clicker's own answer to it is
 * read, so another person's delivery id opens nothing.
 */
export const editNote =
  (deps: BotDeps): Middleware<ButtonArgs> =>
  async ({ ack, action, body, client }) => {
    await ack();
    const answer = action.value ? await deps.store.getAnswer(action.value, body.user.id) : undefined;
    if (!answer || answer.teamId !== teamOf(body)) {
      deps.logger.warn(`Refused to edit note ${action.value ?? "(none)"} for ${body.user.id}`);
      return;
    }
    await client.views.open({ trigger_id: body.trigger_id, view: noteModal(answer.deliveryId, answer.note) });
  };

/** Home tab "Delete" on a note: removes the clicker's own note (their answer stays). */
export const deleteNote =
  (deps: BotDeps): Middleware<ButtonArgs> =>
  async ({ ack, action, body, client }) => {
    await ack();
    const teamId = teamOf(body);
    const answer = action.value ? await deps.store.getAnswer(action.value, body.user.id) : undefined;
    if (answer && answer.teamId === teamId)
      await deps.store.setAnswerNote(answer.deliveryId, body.user.id, null);
    else deps.logger.warn(`Refused to delete note ${action.value ?? "(none)"} for ${body.user.id}`);
    await publishHome(client, deps, teamId, body.user.id);
  };
