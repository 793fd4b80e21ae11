import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { answerWithSection } from "../../match/answer.js";
import type { BotDeps } from "../app.js";
import { registerPromptActions } from "../prompt-actions.js";
import {
  ACTIONS,
  ALSO_RELEVANT_ACTIONS,
  answerView,
  decodeAnswerRef,
  findSection,
  otherLevelsView,
} from "../views/answer.js";
import { isPanelAnswer, panelAnswerView } from "../views/assistant.js";

const GONE =
  "That answer is no longer in the article (the content changed). Ask again with `/em-focus &lt;question&gt;`.";

export function registerActions(app: App, deps: BotDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTIONS.share, async ({ ack, action, body, respond }) => {
    await ack();
    const ref = decodeAnswerRef(action.value);
    const section = ref && findSection(deps.library, ref);
    if (!ref || !section)
      return void (await respond({ response_type: "ephemeral", replace_original: false, text: GONE }));
    // Through the response_url the answer can be shared wherever the command was used, even in
    // channels the bot has not joined.
    await respond({
      response_type: "in_channel",
      replace_original: false,
      ...answerView(
        { section, question: ref.question, matchedWords: [], alternatives: [] },
        { sharedBy: body.user.id },
      ),
    });
    await respond({ delete_original: true });
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.otherLevels, async ({ ack, action, respond }) => {
    await ack();
    const ref = decodeAnswerRef(action.value);
    const section = ref && findSection(deps.library, ref);
    if (!section)
      return void (await respond({ response_type: "ephemeral", replace_original: false, text: GONE }));
    await respond({
      response_type: "ephemeral",
      replace_original: false,
      ...otherLevelsView(deps.library, section),
    });
  });

  for (const [actionId, helpful] of [
    [ACTIONS.helpful, true],
    [ACTIONS.notHelpful, false],
  ] as const) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, action, body, respond }) => {
      await ack();
      const ref = decodeAnswerRef(action.value);
      const section = ref && findSection(deps.library, ref);
      if (!ref || !section)
        return void (await respond({ response_type: "ephemeral", replace_original: false, text: GONE }));
      await deps.store.recordFeedback({
        teamId: body.team?.id ?? body.user.team_id ?? "",
        userId: body.user.id,
        articleSlug: ref.article,
        sectionId: ref.section,
        helpful,
        now: deps.now(),
      });
      await respond({
        response_type: "ephemeral",
        replace_original: true,
        ...answerView(answerWithSection(deps.matcher, ref.question, section), {
          buttons: true,
          feedbackNote: helpful
            ? "👍 Thanks — glad it helped."
            : "👎 Thanks — noted. The authors use this to improve the guidance.",
        }),
      });
    });
  }

  // "Also relevant: …" shows that section in place of the answer, with the others as its alternatives.
  // The value only names a section of the content and the question: nothing to check beyond that.
  for (const actionId of ALSO_RELEVANT_ACTIONS) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, action, body, respond }) => {
      await ack();
      const ref = decodeAnswerRef(action.value);
      const section = ref && findSection(deps.library, ref);
      if (!ref || !section)
        return void (await respond({ response_type: "ephemeral", replace_original: false, text: GONE }));
      const answer = answerWithSection(deps.matcher, ref.question, section);
      // The slash command's private answer carries the Share and feedback buttons; keep them.
      const ephemeral = body.container?.is_ephemeral === true;
      // In place when the answer is the clicker's own (private, or in their DM with the bot); in a
      // channel thread, to the clicker alone, so one person's click does not change everyone's answer.
      const own = ephemeral || body.channel?.id?.startsWith("D") === true;
      // An answer in the assistant panel stays one (Other levels, native 👍/👎).
      const view = isPanelAnswer(body.message)
        ? panelAnswerView(deps.library, answer)
        : answerView(answer, { buttons: ephemeral });
      await respond(
        own
          ? { replace_original: true, ...view }
          : { response_type: "ephemeral", replace_original: false, ...answerView(answer) },
      );
    });
  }

  registerPromptActions(app, deps);
}
