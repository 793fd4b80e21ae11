import type { Middleware } from "@slack/bolt";
import { LEVEL_NAMES } from "../../../content/types.js";
import { type BotDeps, teamOf } from "../../deps.js";
import { NOTHING_SAVED } from "../../failures.js";
import { publishHome } from "../../home.js";
import { NOT_YOURS } from "../../prompt-answers.js";
import { stripControl } from "../../text.js";
import { NOTE_MAX_LENGTH } from "../../views/prompt.js";
import type { SubmissionArgs } from "../registry.js";

/** A note on an answered prompt. */
export const saveNote =
  (deps: BotDeps): Middleware<SubmissionArgs> =>
  async ({ ack, view, body, client }) => {
    // Slack sends a string, or null for an empty input; anything else is refused, not read as
    // empty (which would delete the stored note) and not left to throw before the ack.
    const raw: unknown = view.state.values.note?.note?.value ?? "";
    if (typeof raw !== "string") {
      await ack({ response_action: "errors", errors: { note: NOTHING_SAVED } });
      return;
    }
    const note = stripControl(raw).trim();
    // private_metadata was checked when the modal opened; checked again, as the view can be stale.
    // Stored before the modal closes: if the write fails, the modal stays open with the note in it
    // (Slack shows an error) instead of closing as if it had been saved. Only the note changes, so
    // a choice clicked meanwhile on the prompt is kept. The look-up is inside the try too: with the
    // store down, Slack still gets its answer within 3 seconds and the person reads why.
    // Within what the modal takes and shows again on Edit: anything longer would be cut there.
    const length = Array.from(note).length;
    if (length > NOTE_MAX_LENGTH) {
      await ack({
        response_action: "errors",
        errors: {
          note: `A note can be at most ${NOTE_MAX_LENGTH.toLocaleString("en-US")} characters (this one has ${length.toLocaleString("en-US")}); nothing was saved.`,
        },
      });
      return;
    }
    const teamId = teamOf(body);
    let saved: Awaited<ReturnType<typeof deps.store.setAnswerNote>> | "not theirs";
    try {
      const delivery = await deps.store.getDelivery(view.private_metadata);
      const notTheirs =
        delivery !== undefined &&
        (delivery.teamId !== teamId ||
          (delivery.targetType === "user" && delivery.targetId !== body.user.id));
      saved = notTheirs
        ? "not theirs"
        : await deps.store.setAnswerNote(view.private_metadata, body.user.id, note === "" ? null : note);
    } catch (error) {
      deps.logger.error("The store failed while saving a note", error);
      await ack({ response_action: "errors", errors: { note: NOTHING_SAVED } });
      return;
    }
    if (saved === "not theirs") {
      await ack({ response_action: "errors", errors: { note: NOT_YOURS } });
      return;
    }
    if (!saved) {
      await ack({
        response_action: "errors",
        errors: {
          note: `Choose ${LEVEL_NAMES.narrow}, ${LEVEL_NAMES.wide} or ${LEVEL_NAMES.ic} on the prompt first.`,
        },
      });
      return;
    }
    await ack();
    await publishHome(client, deps, teamId, body.user.id);
  };
