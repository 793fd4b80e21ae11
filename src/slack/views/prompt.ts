import type { types } from "@slack/bolt";
import { PROMPT_ANSWER_LABELS } from "../../prompts/render.js";
import type { AnswerChoice } from "../../store/types.js";
import type { Block } from "./answer.js";

/** The button under an answered prompt that opens the note modal. */
export const ADD_NOTE_ACTION = "prompt_add_note";
export const NOTE_MODAL = "prompt_note";
/** Block ids of the prompt message the answer listener rewrites. */
export const PROMPT_BLOCKS = {
  answers: "prompt_answer",
  confirmation: "prompt_answer_confirmation",
} as const;

/** What the person sees after answering a prompt. */
export function answerConfirmation(choice: AnswerChoice): string {
  return `${choice === "skip" ? "Skipped this week" : `You answered *${PROMPT_ANSWER_LABELS[choice]}*`} — thanks. Change it any time with the buttons.`;
}

/** "Add a note" for an answered prompt (none after a skip). */
export function addNoteBlocks(choice: AnswerChoice, deliveryId: string): Block[] {
  if (choice === "skip") return [];
  return [
    {
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: ADD_NOTE_ACTION,
          text: { type: "plain_text", text: "Add a note" },
          value: deliveryId,
        },
      ],
    },
  ];
}

/** The confirmation as a private message. */
export function privateConfirmation(
  choice: AnswerChoice,
  deliveryId: string,
): { text: string; blocks: Block[] } {
  const text = answerConfirmation(choice);
  return {
    text,
    blocks: [{ type: "section", text: { type: "mrkdwn", text } }, ...addNoteBlocks(choice, deliveryId)],
  };
}

/**
 * A person's own prompt after they answered: the prompt and its answer buttons as they were, other
 * action rows (an earlier "Add a note") dropped, then the confirmation and "Add a note".
 */
export function answeredPromptBlocks(
  blocks: readonly { type?: string; block_id?: string }[],
  choice: AnswerChoice,
  deliveryId: string,
): Block[] {
  const kept = blocks.filter(
    (b) =>
      b.block_id !== PROMPT_BLOCKS.confirmation &&
      !(b.type === "actions" && b.block_id !== PROMPT_BLOCKS.answers),
  ) as Block[];
  return [
    ...kept,
    {
      type: "context",
      block_id: PROMPT_BLOCKS.confirmation,
      elements: [{ type: "mrkdwn", text: answerConfirmation(choice) }],
    },
    ...addNoteBlocks(choice, deliveryId),
  ];
}

/** The modal for a note on one prompt; the delivery id rides in private_metadata and is checked again on submit. */
export function noteModal(deliveryId: string): types.ModalView {
  return {
    type: "modal",
    callback_id: NOTE_MODAL,
    private_metadata: deliveryId,
    title: { type: "plain_text", text: "A note for this week" },
    submit: { type: "plain_text", text: "Save" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      {
        type: "input",
        block_id: "note",
        label: { type: "plain_text", text: "What stood out? Only you can see it." },
        element: { type: "plain_text_input", action_id: "note", multiline: true, max_length: 2000 },
      },
    ],
  };
}
