import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { BotDeps } from "../app.js";
import { registerPromptActions } from "../prompt-actions.js";
import { ACTIONS, answerView, decodeAnswerRef, findSection, otherLevelsView } from "../views/answer.js";

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
      ...answerView(section, ref.question, [], { sharedBy: body.user.id }),
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
        ...answerView(section, ref.question, [], {
          buttons: true,
          feedbackNote: helpful
            ? "👍 Thanks — glad it helped."
            : "👎 Thanks — noted. The authors use this to improve the guidance.",
        }),
      });
    });
  }

  registerPromptActions(app, deps);
}
