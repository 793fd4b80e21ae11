import type { types } from "@slack/bolt";
import type { Prompt } from "../../content/prompts.js";
import { FOCUS_LEVELS, LEVEL_NAMES, type Library } from "../../content/types.js";
import type { AnswerChoice } from "../../domain/focus.js";
import type { Delivery } from "../../store/types.js";
import type { Block, MessageView } from "./answer.js";
import { escapeMrkdwn } from "./mrkdwn.js";
import { levelSections } from "./overview.js";

/** Action ids of the four answer buttons of a weekly prompt. */
export const PROMPT_ANSWER_ACTIONS = {
  narrow: "prompt_answer_narrow",
  wide: "prompt_answer_wide",
  ic: "prompt_answer_ic",
  skip: "prompt_answer_skip",
} as const satisfies Record<AnswerChoice, string>;

export const PROMPT_ANSWER_LABELS: Readonly<Record<AnswerChoice, string>> = {
  narrow: `Mostly ${LEVEL_NAMES.narrow}`,
  wide: `Mostly ${LEVEL_NAMES.wide}`,
  ic: `Mostly ${LEVEL_NAMES.ic}`,
  skip: "Skip this week",
};

/** The answer a button's action id stands for, or undefined for other actions. */
export function choiceFromAction(actionId: string): AnswerChoice | undefined {
  const entry = Object.entries(PROMPT_ANSWER_ACTIONS).find(([, id]) => id === actionId);
  return entry?.[0] as AnswerChoice | undefined;
}

/**
 * The levels under the focus check, each with its section's `hint` from content when it has one:
 * "Narrow: growing your own team · Wide · IC: …"; the names alone when no level has a hint.
 */
export function levelHintsLine(library: Pick<Library, "sections">): string {
  const sections = levelSections(library);
  return FOCUS_LEVELS.map((level) => {
    const hint = sections.find((s) => s.level === level)?.hint;
    return hint ? `${LEVEL_NAMES[level]}: ${escapeMrkdwn(hint)}` : LEVEL_NAMES[level];
  }).join(" · ");
}

/** The focus check every prompt opens with, unless the prompt's own wording is a focus question. */
export const FOCUS_CHECK = "Where did your focus go this week?";

/** What a channel prompt tells its members about the summary the channel will see. */
export const CHANNEL_PRIVACY =
  "Your answer and note are private. The next morning this channel gets one summary: how many answered and the split by level (nothing when fewer than 3 answered), names only of members who chose to show theirs, never a note.";

/**
 * The weekly prompt in two parts: the focus check (Narrow / Wide / IC / Skip) and the week's
 * reflective question as the invitation to write a note. A prompt marked `focus_question` asks its
 * own words above the buttons and invites a note in general terms.
 */
export const renderPromptMessage = (
  library: Pick<Library, "sections">,
  prompt: Prompt,
  delivery: Delivery,
  before: Block[] = [],
): MessageView => {
  const heading =
    delivery.targetType === "channel" ? "Team focus reflection" : "Your weekly focus reflection";
  const choices: AnswerChoice[] = ["narrow", "wide", "ic", "skip"];
  const question = escapeMrkdwn(prompt.text);
  const focusText = prompt.focusQuestion ? question : FOCUS_CHECK;
  const noteText = prompt.focusQuestion
    ? "*Anything to add?* A few words on your week, for you to read again later."
    : `*This week's question* — answer it in a note, for you to read again later:\n${question}`;
  return {
    // Slack parses the notification text as mrkdwn too: escaped like the blocks, it cannot ping.
    text: `${heading}: ${prompt.focusQuestion ? question : `${FOCUS_CHECK} ${question}`}`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${heading}*` } },
      ...before,
      {
        type: "section",
        block_id: PROMPT_BLOCKS.focus,
        text: { type: "mrkdwn", text: `*${focusText}*` },
      },
      { type: "context", elements: [{ type: "mrkdwn", text: levelHintsLine(library) }] },
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
      { type: "divider" },
      {
        type: "section",
        block_id: PROMPT_BLOCKS.question,
        text: { type: "mrkdwn", text: noteText },
        accessory: {
          type: "button",
          action_id: ADD_NOTE_ACTION,
          text: { type: "plain_text", text: "Write a note" },
          value: delivery.id,
        },
      },
      ...(delivery.targetType === "channel"
        ? [{ type: "context" as const, elements: [{ type: "mrkdwn" as const, text: CHANNEL_PRIVACY }] }]
        : []),
    ],
  };
};

/** The button under an answered prompt that opens the note modal. */
export const ADD_NOTE_ACTION = "prompt_add_note";
export const NOTE_MODAL = "prompt_note";
/** Block ids of the prompt message the answer listener rewrites. */
export const PROMPT_BLOCKS = {
  focus: "prompt_focus",
  question: "prompt_question",
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
  /** For a channel prompt: whether the clicker lets the channel's summary name them. */
  named?: boolean,
): { text: string; blocks: Block[] } {
  const text = answerConfirmation(choice);
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text } },
      ...addNoteBlocks(choice, deliveryId),
      ...(named === undefined ? [] : nameChoiceBlocks(named, deliveryId)),
    ],
  };
}

/** Opt in to (or out of) being named in a channel's summary; the value names the delivery. */
export const SUMMARY_NAME_ACTIONS = { show: "summary_name_show", hide: "summary_name_hide" } as const;

export function nameChoiceBlocks(named: boolean, deliveryId: string): Block[] {
  return [
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: named
            ? "This channel's weekly summary shows your name among those who answered (never your answer or note)."
            : "This channel's weekly summary counts your answer without your name.",
        },
      ],
    },
    {
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: named ? SUMMARY_NAME_ACTIONS.hide : SUMMARY_NAME_ACTIONS.show,
          text: { type: "plain_text", text: named ? "Leave my name out" : "Show my name in the summary" },
          value: deliveryId,
        },
      ],
    },
  ];
}

type ShownBlock = { type?: string; block_id?: string; elements?: unknown[] };

/** The answer buttons with the chosen one marked (Slack's "primary" style), the others plain. */
function markChosen(block: ShownBlock, choice: AnswerChoice): Block {
  const elements = (block.elements ?? []).map((element) => {
    const { style: _style, ...rest } = element as { action_id?: string; style?: string };
    return rest.action_id === PROMPT_ANSWER_ACTIONS[choice] ? { ...rest, style: "primary" } : rest;
  });
  return { ...block, elements } as Block;
}

/**
 * A person's own prompt after they answered, for chat.update: the chosen button marked, the
 * confirmation under the buttons, everything else as it was. Prompts sent before the two-part
 * layout get their "Add a note" row back at the end.
 */
export function answeredPromptBlocks(
  blocks: readonly ShownBlock[],
  choice: AnswerChoice,
  deliveryId: string,
): Block[] {
  const kept = blocks.filter(
    (b) =>
      b.block_id !== PROMPT_BLOCKS.confirmation &&
      !(b.type === "actions" && b.block_id !== PROMPT_BLOCKS.answers),
  );
  const out: Block[] = [];
  for (const block of kept) {
    if (block.block_id !== PROMPT_BLOCKS.answers) {
      out.push(block as Block);
      continue;
    }
    out.push(markChosen(block, choice), {
      type: "context",
      block_id: PROMPT_BLOCKS.confirmation,
      elements: [{ type: "mrkdwn", text: answerConfirmation(choice) }],
    });
  }
  const twoPart = kept.some((b) => b.block_id === PROMPT_BLOCKS.question);
  return twoPart ? out : [...out, ...addNoteBlocks(choice, deliveryId)];
}

export const NOTE_MAX_LENGTH = 2000;

/** The modal for a note on one prompt; the delivery id rides in private_metadata and is checked again on submit. */
export function noteModal(deliveryId: string, current?: string | null): types.ModalView {
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
        element: {
          type: "plain_text_input",
          action_id: "note",
          multiline: true,
          max_length: NOTE_MAX_LENGTH,
          // Cut by characters, not UTF-16 units: never half an emoji (notes are kept within it on save).
          ...(current ? { initial_value: Array.from(current).slice(0, NOTE_MAX_LENGTH).join("") } : {}),
        },
      },
    ],
  };
}
