import type { Middleware } from "@slack/bolt";
import type { Weekday } from "../../../store/types.js";
import { type BotDeps, teamOf } from "../../deps.js";
import { publishHome } from "../../home.js";
import { subscribe, timeZoneOf } from "../../subscriptions.js";
import type { SubmissionArgs } from "../registry.js";

/** The Home tab's schedule modal: subscribes the submitter (never anyone else) at that day and time. */
export const saveSchedule =
  (deps: BotDeps): Middleware<SubmissionArgs> =>
  async ({ ack, view, body, client }) => {
    const values = view.state.values;
    const weekday = Number(values.weekday?.weekday?.selected_option?.value);
    const time = values.time?.time?.selected_time ?? "";
    if (!(weekday >= 0 && weekday <= 6) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) {
      await ack({ response_action: "errors", errors: { time: "Pick a day and a time." } });
      return;
    }
    await ack();
    const teamId = teamOf(body);
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
  };
