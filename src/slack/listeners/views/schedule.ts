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
    // Exactly one of the modal's options, "0" to "6": Number() would read "" as Sunday and pass
    // "2.5", on which croner throws after the modal closed.
    const day = values.weekday?.weekday?.selected_option?.value ?? "";
    const weekday = Number(day);
    const time = values.time?.time?.selected_time ?? "";
    if (!/^[0-6]$/.test(day) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) {
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
