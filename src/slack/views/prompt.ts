import type { types } from "@slack/bolt";
import type { Prompt } from "../../content/prompts.js";
import type { AnswerChoice } from "../../prompts/answer-choice.js";
import type { Delivery } from "../../store/types.js";
import type { Block, MessageView } from "./answer.js";
import { escapeMrkdwn } from "./mrkdwn.js";

/** Action ids of the four answer buttons of a weekly prompt. */
export const PROMPT_ANSWER_ACTIONS = {
  narrow: "prompt_answer_narrow",
  wide: "prompt_answer_wide",
  ic: "prompt_answer_ic",
  skip: "prompt_answer_skip",
} as const satisfies Record<AnswerChoice, string>;

export const PROMPT_ANSWER_LABELS: Readonly<Record<AnswerChoice, string>> = {
  narrow: "Mostly Narrow",
  wide: "Mostly Wide",
  ic: "Mostly IC",
  skip: "Skip this week",
};

/** The answer a button's action id stands for, or undefined for other actions. */
export function choiceFromAction(actionId: string): AnswerChoice | undefined {
  const entry = Object.entries(PROMPT_ANSWER_ACTIONS).find(([, id]) => id === actionId);
  return entry?.[0] as AnswerChoice | undefined;
}

const LEVEL_HINTS: Record<Exclude<AnswerChoice, "skip">, string> = {
  narrow: "growing your own team",
  wide: "several teams, other orgs, your managers",
  ic: "one problem, as an engineer",
};

/** Turns a prompt into the message for one delivery; buttons carry `delivery.id` as their value. */
export type RenderPrompt = (prompt: Prompt, delivery: Delivery) => MessageView;

/** The weekly prompt as people see it: the question, what the three levels mean, one-click answers. */
export const renderPromptMessage: RenderPrompt = (prompt, delivery) => {
  const heading =
    delivery.targetType === "channel" ? "Team focus reflection" : "Your weekly focus reflection";
  const choices: AnswerChoice[] = ["narrow", "wide", "ic", "skip"];
  return {
    // Slack parses the notification text as mrkdwn too: escaped like the blocks, it cannot ping.
    text: `${heading}: ${escapeMrkdwn(prompt.text)}`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${heading}*\n${escapeMrkdwn(prompt.text)}` } },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: `Narrow: ${LEVEL_HINTS.narrow} · Wide: ${LEVEL_HINTS.wide} · IC: ${LEVEL_HINTS.ic}`,
          },
        ],
      },
      {
        type: "actions",
        block_id: PROMPT_BLOCKS.answers,
        elements: choices.map((choice) => ({
          type: "button" as const,
          action_id: PROMPT_ANSWER_ACTIONS[choice],
          text: { type: "plain_text" as const, text: PROMPT_ANSWER_LABELS[choice] },
          value: delivery.id,
        })),
      },
    ],
  };
};

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
