import type { Prompt } from "../content/prompts.js";
import type { AnswerChoice, Delivery } from "../store/types.js";

/** A Block Kit block, loosely typed: the Slack layer owns the exact shapes. */
export interface SlackBlock {
  readonly type: string;
  readonly [key: string]: unknown;
}

export interface PromptMessage {
  /** Notification and screen-reader text. */
  readonly text: string;
  readonly blocks: SlackBlock[];
}

/** Turns a prompt into the message for one delivery; buttons carry `delivery.id` as their value. */
export type RenderPrompt = (prompt: Prompt, delivery: Delivery) => PromptMessage;

/** Action ids of the four answer buttons. */
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

function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const LEVEL_HINTS: Record<Exclude<AnswerChoice, "skip">, string> = {
  narrow: "growing your own team",
  wide: "several teams, other orgs, your managers",
  ic: "one problem, as an engineer",
};

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
        block_id: "prompt_answer",
        elements: choices.map((choice) => ({
          type: "button",
          action_id: PROMPT_ANSWER_ACTIONS[choice],
          text: { type: "plain_text", text: PROMPT_ANSWER_LABELS[choice] },
          value: delivery.id,
        })),
      },
    ],
  };
};
