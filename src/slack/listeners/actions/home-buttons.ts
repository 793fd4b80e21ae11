import type { Middleware } from "@slack/bolt";
import { type BotDeps, teamOf } from "../../deps.js";
import { publishHome } from "../../home.js";
import { scheduleModal } from "../../views/home.js";
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
