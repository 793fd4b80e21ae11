import type { BotDeps } from "../../deps.js";
import { ACTIONS, ALSO_RELEVANT_ACTIONS } from "../../views/answer.js";
import { HOME_ACTIONS, INTEND_ACTIONS } from "../../views/home.js";
import { ADD_NOTE_ACTION, PROMPT_ANSWER_ACTIONS, SUMMARY_NAME_ACTIONS } from "../../views/prompt.js";
import { SUBSCRIPTION_ACTIONS } from "../../views/subscriptions.js";
import type { Listeners } from "../registry.js";
import { alsoRelevant, feedback, otherLevels, share } from "./answer-buttons.js";
import { deleteNote, editNote, intendFocus, openSchedule, stopPrompts } from "./home-buttons.js";
import { addNote, answerPrompt, chooseName } from "./prompt-buttons.js";
import { cancel, forgetMe, subscribeTarget } from "./subscription-buttons.js";

export function registerActions(listeners: Listeners, deps: BotDeps): void {
  listeners.button(ACTIONS.share, share(deps));
  listeners.button(ACTIONS.otherLevels, otherLevels(deps));
  listeners.button(ACTIONS.helpful, feedback(deps, true));
  listeners.button(ACTIONS.notHelpful, feedback(deps, false));
  for (const actionId of ALSO_RELEVANT_ACTIONS) listeners.button(actionId, alsoRelevant(deps));

  listeners.button(SUBSCRIPTION_ACTIONS.cancel, cancel);
  listeners.button(SUBSCRIPTION_ACTIONS.subscribeMe, subscribeTarget(deps, SUBSCRIPTION_ACTIONS.subscribeMe));
  listeners.button(
    SUBSCRIPTION_ACTIONS.subscribeChannel,
    subscribeTarget(deps, SUBSCRIPTION_ACTIONS.subscribeChannel),
  );
  listeners.button(SUBSCRIPTION_ACTIONS.forgetConfirm, forgetMe(deps));

  for (const actionId of Object.values(PROMPT_ANSWER_ACTIONS))
    listeners.button(actionId, answerPrompt(deps, actionId));
  listeners.button(ADD_NOTE_ACTION, addNote(deps));
  listeners.button(SUMMARY_NAME_ACTIONS.show, chooseName(deps, true));
  listeners.button(SUMMARY_NAME_ACTIONS.hide, chooseName(deps, false));

  listeners.button(HOME_ACTIONS.stop, stopPrompts(deps));
  listeners.button(HOME_ACTIONS.schedule, openSchedule(deps));
  listeners.button(HOME_ACTIONS.editNote, editNote(deps));
  listeners.button(HOME_ACTIONS.deleteNote, deleteNote(deps));
  listeners.button(INTEND_ACTIONS.narrow, intendFocus(deps, "narrow"));
  listeners.button(INTEND_ACTIONS.wide, intendFocus(deps, "wide"));
  listeners.button(INTEND_ACTIONS.ic, intendFocus(deps, "ic"));
  listeners.button(INTEND_ACTIONS.off, intendFocus(deps, null));
}
