import type { types } from "@slack/bolt";
import { articleAbout, suggestedAcross } from "../../content/about.js";
import type { SuggestedPrompt } from "../../content/suggested-prompts.js";
import type { Library } from "../../content/types.js";
import type { Answer } from "../../match/answer.js";
import { cleanQuestion } from "../../match/question.js";
import { ACTIONS, type Block, encodeAnswerRef, type MessageView } from "./answer.js";
import { escapeMrkdwn, truncate } from "./mrkdwn.js";
import { offersOtherLevels, replyView } from "./overview.js";

/** The action of the native 👍/👎 (`feedback_buttons`) on answers in the assistant panel. */
export const ASSISTANT_ACTIONS = { feedback: "assistant_feedback" } as const;

const FEEDBACK_BLOCK = "assistant_feedback";
const PANEL_ACTIONS_BLOCK = "assistant_answer_actions";

/** Slack keeps a thread title short in the history list; ours stays well inside it. */
export const THREAD_TITLE_MAX = 60;

/**
 * The greeting when someone opens the panel, written over the whole library: each article is named
 * with what its front matter says it is about (`about`).
 */
export function greetingView(library: Library): MessageView {
  const [only, ...rest] = library.articles;
  const covers =
    only && rest.length === 0
      ? `I answer with the part of the article ${escapeMrkdwn(articleAbout(only))} that fits.`
      : `I answer with the part of these articles that fits:\n${library.articles
          .map((a) => `• ${escapeMrkdwn(articleAbout(a))}`)
          .join("\n")}\n`;
  const text = truncate(
    `Hi! Ask me a question — ${covers} Pick a suggestion or type your own question.`,
    3000,
  );
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

/** The suggested prompts of the library, round-robin over its articles, at most as many as Slack shows. */
export function panelPrompts(library: Library): SuggestedPrompt[] {
  return suggestedAcross(library.articles);
}

/** The thread's title: the question as the person meant it, shortened; null when nothing is left. */
export function threadTitle(question: string): string | null {
  // Without markup, and without angle brackets a decoded "&lt;!channel&gt;" would bring back.
  const words = cleanQuestion(question).replace(/[<>]/g, " ").replace(/\s+/g, " ").trim();
  return words === "" ? null : truncate(words, THREAD_TITLE_MAX);
}

/** What a feedback button carries: only which section was rated and how. Untrusted when it comes back. */
export interface FeedbackRef {
  article: string;
  section: string;
  helpful: boolean;
  /** The question, on 👎 only: a "not helpful" is recorded as a knowledge gap (never who asked). */
  question?: string;
}

const QUESTION_IN_FEEDBACK = 300;

export function encodeFeedback(ref: FeedbackRef): string {
  const question = truncate((ref.question ?? "").replace(/[\p{Cc}\s]+/gu, " ").trim(), QUESTION_IN_FEEDBACK);
  return JSON.stringify({
    a: ref.article,
    s: ref.section,
    h: ref.helpful ? 1 : 0,
    ...(question ? { q: question } : {}),
  });
}

export function decodeFeedback(value: unknown): FeedbackRef | null {
  if (typeof value !== "string" || value.length > 2000) return null;
  try {
    const parsed = JSON.parse(value) as { a?: unknown; s?: unknown; h?: unknown; q?: unknown };
    if (typeof parsed.a !== "string" || typeof parsed.s !== "string") return null;
    if (parsed.h !== 0 && parsed.h !== 1) return null;
    const ref: FeedbackRef = { article: parsed.a, section: parsed.s, helpful: parsed.h === 1 };
    if (typeof parsed.q === "string" && parsed.q.trim())
      ref.question = parsed.q.slice(0, QUESTION_IN_FEEDBACK + 1);
    return ref;
  } catch {
    return null;
  }
}

function plain(text: string): types.PlainTextElement {
  return { type: "plain_text", text, emoji: true };
}

/**
 * The answer in a panel thread: the same card as `/em-focus` (level, guidance, why, link, "Also
 * relevant"), with "Other levels" when its article has levels, and Slack's native 👍/👎 in a `context_actions` block in place of
 * the slash command's feedback buttons. "Share in channel" is left out: the panel is private already.
 * No guidance and the overview come as everywhere else, without buttons.
 */
export function panelAnswerView(library: Library, answer: Answer): MessageView {
  const view = replyView(library, answer);
  const section = answer.section;
  if (!section) return view;
  // "Other levels" only where the answer's own article names levels besides it.
  const otherLevels: Block[] = offersOtherLevels(library, section)
    ? [
        {
          type: "actions",
          block_id: PANEL_ACTIONS_BLOCK,
          elements: [
            {
              type: "button",
              action_id: ACTIONS.otherLevels,
              text: plain("Other levels"),
              value: encodeAnswerRef({
                article: section.article,
                section: section.id,
                question: answer.question,
              }),
            },
          ],
        },
      ]
    : [];
  const blocks: Block[] = [
    ...view.blocks,
    ...otherLevels,
    {
      type: "context_actions",
      block_id: FEEDBACK_BLOCK,
      elements: [
        {
          type: "feedback_buttons",
          action_id: ASSISTANT_ACTIONS.feedback,
          positive_button: {
            text: plain("👍"),
            accessibility_label: "This answer helped",
            value: encodeFeedback({ article: section.article, section: section.id, helpful: true }),
          },
          negative_button: {
            text: plain("👎"),
            accessibility_label: "This answer did not help",
            value: encodeFeedback({
              article: section.article,
              section: section.id,
              helpful: false,
              question: answer.question,
            }),
          },
        },
      ],
    },
  ];
  return { text: view.text, blocks };
}

/** Whether a message (from a click's payload) is a panel answer, so a redrawn answer stays one. */
export function isPanelAnswer(message: unknown): boolean {
  const blocks = (message as { blocks?: unknown } | null | undefined)?.blocks;
  return (
    Array.isArray(blocks) &&
    blocks.some((block) => (block as { block_id?: unknown })?.block_id === FEEDBACK_BLOCK)
  );
}

export const FEEDBACK_THANKS = {
  helpful: "👍 Thanks — glad it helped.",
  notHelpful: "👎 Thanks — noted. The authors use this to improve the guidance.",
} as const;

export const FEEDBACK_REFUSED =
  "I can only take feedback on answers in your own conversation with me, so I did not record that.";

export const FEEDBACK_UNCHECKED =
  "I could not check that answer just now, so your feedback was not recorded. Please try again in a moment.";

export const FEEDBACK_NOT_SAVED =
  "Sorry — I could not save your feedback just now. Please try again in a moment.";

export const FEEDBACK_GONE =
  "That answer is no longer in the article (the content changed), so there is nothing to rate. Ask again to get the current guidance.";

export const ANSWER_FAILED = "Sorry — I could not send the answer just now. Please ask again in a moment.";

/** The status while an answer is on its way: Slack shows "<app> is reading the article…". */
export const THINKING_STATUS = "is reading the article…";
