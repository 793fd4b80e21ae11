import type { Prompt } from "../../content/prompts.js";
import { PROMPT_ANSWER_ACTIONS, PROMPT_ANSWER_LABELS, type PromptMessage } from "../../prompts/render.js";
import type { AnswerChoice, Delivery } from "../../store/types.js";
import { escapeMrkdwn } from "../mrkdwn.js";

const LEVEL_HINTS: Record<Exclude<AnswerChoice, "skip">, string> = {
  narrow: "growing your own team",
  wide: "several teams, other orgs, your managers",
  ic: "one problem, as an engineer",
};

/** The weekly prompt as people see it: the question, what the three levels mean, one-click answers. */
export function renderPromptMessage(prompt: Prompt, delivery: Delivery): PromptMessage {
  const heading =
    delivery.targetType === "channel" ? "Team focus reflection" : "Your weekly focus reflection";
  const choices: AnswerChoice[] = ["narrow", "wide", "ic", "skip"];
  return {
    text: `${heading}: ${prompt.text}`,
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
}
