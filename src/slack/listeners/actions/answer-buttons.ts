import type { Middleware } from "@slack/bolt";
import type { Section } from "../../../content/types.js";
import { answerWithSection } from "../../../match/answer.js";
import { answerKeyOf } from "../../../store/feedback.js";
import { noteNotHelpful } from "../../answering.js";
import { type BotDeps, teamOf } from "../../deps.js";
import { type AnswerRef, answerView, decodeAnswerRef, findSection } from "../../views/answer.js";
import { isPanelAnswer, panelAnswerView } from "../../views/assistant.js";
import { offersOtherLevels, otherLevelsView } from "../../views/overview.js";
import type { ButtonArgs } from "../registry.js";

const GONE =
  "That answer is no longer in the article (the content changed). Ask again with `/em-focus &lt;question&gt;`.";

/**
 * The buttons of an answer carry the section and the question (see `encodeAnswerRef`). The value
 * is untrusted: it can only name a section of the content, and anything else is a stale button.
 */
function answerButton(
  deps: BotDeps,
  listener: (ref: AnswerRef, section: Section, args: ButtonArgs) => Promise<void>,
): Middleware<ButtonArgs> {
  return async (args) => {
    await args.ack();
    const ref = decodeAnswerRef(args.action.value);
    const section = ref && findSection(deps.library, ref);
    if (!ref || !section) {
      await args.respond({ response_type: "ephemeral", replace_original: false, text: GONE });
      return;
    }
    await listener(ref, section, args);
  };
}

/** Share in channel: posted through the response_url (works where the bot is not a member), then the private answer goes. */
export const share = (deps: BotDeps) =>
  answerButton(deps, async (ref, section, { body, respond }) => {
    await respond({
      response_type: "in_channel",
      replace_original: false,
      ...answerView(
        {
          section,
          question: ref.question,
          matchedWords: [],
          alternatives: [],
          // The channel is told too when this is only the closest guidance.
          answer: answerWithSection(deps.matcher, ref.question, section).answer,
        },
        { sharedBy: body.user.id },
      ),
    });
    await respond({ delete_original: true });
  });

export const otherLevels = (deps: BotDeps) =>
  answerButton(deps, async (_ref, section, { respond }) => {
    await respond({
      response_type: "ephemeral",
      replace_original: false,
      ...otherLevelsView(deps.library, section),
    });
  });

/**
 * 👍 / 👎: recorded, then the answer is drawn again with a thank-you instead of the vote buttons. The
 * answer is the clicked message (from the signed payload): clicking again changes the vote.
 */
export const feedback = (deps: BotDeps, helpful: boolean) =>
  answerButton(deps, async (ref, section, { body, respond }) => {
    const container = body.container as { channel_id?: unknown; message_ts?: unknown } | undefined;
    const vote = await deps.store.recordFeedback({
      teamId: teamOf(body),
      userId: body.user.id,
      answerKey: answerKeyOf(
        String(container?.channel_id ?? body.channel?.id ?? ""),
        String(container?.message_ts ?? body.message?.ts ?? ""),
        ref.article,
        ref.section,
      ),
      articleSlug: ref.article,
      sectionId: ref.section,
      helpful,
      now: deps.now(),
    });
    if (vote.countsAsGap) noteNotHelpful(deps, ref.question, ref.article, ref.section);
    await respond({
      response_type: "ephemeral",
      replace_original: true,
      ...answerView(answerWithSection(deps.matcher, ref.question, section), {
        buttons: true,
        otherLevels: offersOtherLevels(deps.library, section),
        feedbackNote: helpful
          ? "👍 Thanks — glad it helped."
          : "👎 Thanks — noted. The authors use this to improve the guidance.",
      }),
    });
  });

/**
 * "Also relevant: …" shows that section with the others as its alternatives: in place when the
 * answer is the clicker's own (private, or in their DM with the bot); in a channel thread, to the
 * clicker alone, so one person's click does not change everyone's answer.
 */
export const alsoRelevant = (deps: BotDeps) =>
  answerButton(deps, async (ref, section, { body, respond }) => {
    const answer = answerWithSection(deps.matcher, ref.question, section);
    // The slash command's private answer carries the Share and feedback buttons; keep them.
    const ephemeral = body.container?.is_ephemeral === true;
    const own = ephemeral || body.channel?.id?.startsWith("D") === true;
    // An answer in the assistant panel stays one (Other levels, native 👍/👎).
    const view = isPanelAnswer(body.message)
      ? panelAnswerView(deps.library, answer)
      : answerView(answer, { buttons: ephemeral, otherLevels: offersOtherLevels(deps.library, section) });
    await respond(
      own
        ? { replace_original: true, ...view }
        : { response_type: "ephemeral", replace_original: false, ...answerView(answer) },
    );
  });
