import type { types } from "@slack/bolt";
import { answerMarkdown, LEVEL_NAMES, type Library, type Section } from "../../content/types.js";
import { CLOSEST_LEAD, REASON_WORDS } from "../../match/answer.js";
import type { Confidence } from "../../match/matcher.js";
import { cleanQuestion } from "../../match/question.js";
import { LEVEL_BLOCK_ID, LEVEL_MARKERS } from "./levels.js";
import { escapeMrkdwn, markdownToMrkdwn, truncate } from "./mrkdwn.js";

export type Block = types.KnownBlock;

/** A message body: blocks plus the plain fallback Slack shows in notifications. */
export interface MessageView {
  text: string;
  blocks: Block[];
}

/** Block Kit limits, from Slack's reference. */
export const LIMITS = { sectionText: 3000, contextText: 2000, buttonValue: 2000, blocks: 50 } as const;

export const ACTIONS = {
  share: "answer_share",
  otherLevels: "answer_other_levels",
  helpful: "answer_helpful",
  notHelpful: "answer_not_helpful",
  // Two ids, because buttons in one block need their own: the first and the second alternative.
  alsoRelevant: "answer_also_relevant",
  alsoRelevantSecond: "answer_also_relevant_2",
} as const;

/** Buttons that show an alternative section in place, in the order the alternatives come. */
export const ALSO_RELEVANT_ACTIONS = [ACTIONS.alsoRelevant, ACTIONS.alsoRelevantSecond] as const;

/** Slack's limit on a button's label. */
const BUTTON_LABEL = 75;

/** What an answer's buttons carry, so a click can rebuild the answer without any server state. */
export interface AnswerRef {
  article: string;
  section: string;
  question: string;
}

const QUESTION_IN_VALUE = 500;

/**
 * The button value, always within Slack's 2,000 characters: control characters (six-character JSON
 * escapes each) become spaces, and the question is shortened further if escapes still make it too long.
 */
export function encodeAnswerRef(ref: AnswerRef): string {
  let question = truncate(ref.question.replace(/[\p{Cc}\s]+/gu, " ").trim(), QUESTION_IN_VALUE);
  let value = JSON.stringify({ a: ref.article, s: ref.section, q: question });
  while (value.length > LIMITS.buttonValue && question !== "") {
    question = question.length > 20 ? truncate(question, Math.floor(question.length / 2)) : "";
    value = JSON.stringify({ a: ref.article, s: ref.section, q: question });
  }
  return value;
}

/** Each section's text as mrkdwn, within Slack's limit: the same for every answer that shows it. */
const SECTION_MRKDWN = new WeakMap<Section, string>();

function sectionMrkdwn(section: Section): string {
  let text = SECTION_MRKDWN.get(section);
  if (text === undefined) {
    text = truncate(markdownToMrkdwn(answerMarkdown(section)), LIMITS.sectionText);
    SECTION_MRKDWN.set(section, text);
  }
  return text;
}

export function decodeAnswerRef(value: string | undefined): AnswerRef | null {
  try {
    const parsed = JSON.parse(value ?? "") as { a?: unknown; s?: unknown; q?: unknown };
    if (typeof parsed.a !== "string" || typeof parsed.s !== "string") return null;
    return { article: parsed.a, section: parsed.s, question: typeof parsed.q === "string" ? parsed.q : "" };
  } catch {
    return null;
  }
}

export function findSection(library: Library, ref: Pick<AnswerRef, "article" | "section">): Section | null {
  return library.sections.find((s) => s.article === ref.article && s.id === ref.section) ?? null;
}

export function plain(text: string): types.PlainTextElement {
  return { type: "plain_text", text, emoji: true };
}

export function mrkdwn(text: string): types.MrkdwnElement {
  return { type: "mrkdwn", text };
}

/** "Narrow focus: Focus on supporting…" for a level section, the heading otherwise. */
export function sectionTitle(section: Section): string {
  return section.level ? `${LEVEL_NAMES[section.level]} focus` : section.heading;
}

/** The title in bold, after the level's marker (🟦 🟩 🟧) when it is a level's section. */
export function markedTitle(section: Section): string {
  const title = `*${escapeMrkdwn(sectionTitle(section))}*`;
  return section.level ? `${LEVEL_MARKERS[section.level]} ${title}` : title;
}

/** Where the guidance comes from: the article's title, linked when the article has an address. */
export function sourceLine(section: Section): string {
  const title = escapeMrkdwn(section.articleTitle ?? "the article");
  return section.url ? `From <${section.url}|${title}>` : `From _${title}_`;
}

/** The question as the person typed it, shown back as plain text so it can never ping anyone. */
export function echoQuestion(question: string): types.PlainTextElement {
  return {
    type: "plain_text",
    // Plain text is never parsed by Slack; the words without mentions and markup read better.
    text: `You asked: “${truncate(cleanQuestion(question) || question.replace(/\s+/g, " ").trim(), 200)}”`,
    emoji: false,
  };
}

export interface AnswerViewOptions {
  /** Show Share / Other levels / feedback buttons (ephemeral answers). */
  buttons?: boolean;
  /** Offer "Other levels": the answer's article names focus levels besides this section (`offersOtherLevels`). */
  otherLevels?: boolean;
  /** Who shared the answer into the channel. */
  sharedBy?: string;
  /** Replaces the feedback buttons once feedback is given. */
  feedbackNote?: string;
}

/** What an answer card shows: the section, the question, why, and the close alternatives. */
export interface ShownAnswer {
  section: Section;
  question: string;
  matchedWords: readonly string[];
  alternatives: readonly Section[];
  /** How sure the answer is (an `Answer`'s body carries it); without one, a high answer. */
  answer?: { readonly confidence: Confidence } | null;
}

/** What a "closest" answer says first: the article does not answer this exactly, and what else to try. */
function closestLead(alternatives: readonly Section[]): string {
  const others = alternatives.map((s) => `*${escapeMrkdwn(sectionTitle(s))}*`).join(" or ");
  const tryInstead = others ? ` If it misses, try ${others} below.` : "";
  return truncate(
    `*${CLOSEST_LEAD}* the article does not answer this exactly; this is the part that comes nearest.${tryInstead}`,
    LIMITS.sectionText,
  );
}

export function answerView(answer: ShownAnswer, options: AnswerViewOptions = {}): MessageView {
  const { section, question, matchedWords } = answer;
  const title = sectionTitle(section);
  const closest = answer.answer?.confidence === "closest";
  // A shared answer is for the channel to read; choosing between sections is for the asker.
  const alternatives = options.sharedBy ? [] : answer.alternatives.slice(0, ALSO_RELEVANT_ACTIONS.length);
  const blocks: Block[] = [
    ...(closest ? [{ type: "section", text: mrkdwn(closestLead(alternatives)) } as const] : []),
    {
      type: "section",
      block_id: LEVEL_BLOCK_ID,
      text: mrkdwn(
        truncate(`${markedTitle(section)} · ${escapeMrkdwn(section.summary)}`, LIMITS.sectionText),
      ),
    },
    {
      type: "section",
      text: mrkdwn(sectionMrkdwn(section)),
    },
  ];
  const why =
    matchedWords.length > 0
      ? `Why this: you mentioned ${matchedWords
          .slice(0, REASON_WORDS)
          .map((w) => `“${escapeMrkdwn(w)}”`)
          .join(", ")}`
      : "Why this: it is the closest guidance in the article";
  const context: (types.PlainTextElement | types.MrkdwnElement)[] = [];
  if (question.trim()) context.push(echoQuestion(question));
  context.push(mrkdwn(truncate(`${why} · ${sourceLine(section)}`, LIMITS.contextText)));
  if (options.sharedBy) context.push(mrkdwn(`Shared by <@${options.sharedBy}>`));
  blocks.push({ type: "context", elements: context });
  if (alternatives.length > 0) {
    blocks.push({
      type: "actions",
      block_id: "answer_alternatives",
      elements: alternatives.map(
        (alternative, index): types.Button => ({
          type: "button",
          action_id: ALSO_RELEVANT_ACTIONS[index] as string,
          text: plain(truncate(`Also relevant: ${sectionTitle(alternative)}`, BUTTON_LABEL)),
          value: encodeAnswerRef({ article: alternative.article, section: alternative.id, question }),
        }),
      ),
    });
  }
  if (options.buttons) {
    const value = encodeAnswerRef({ article: section.article, section: section.id, question });
    const elements: types.Button[] = [
      { type: "button", action_id: ACTIONS.share, text: plain("Share in channel"), style: "primary", value },
    ];
    if (options.otherLevels) {
      elements.push({ type: "button", action_id: ACTIONS.otherLevels, text: plain("Other levels"), value });
    }
    if (!options.feedbackNote) {
      elements.push(
        { type: "button", action_id: ACTIONS.helpful, text: plain("👍 Helpful"), value },
        { type: "button", action_id: ACTIONS.notHelpful, text: plain("👎 Not helpful"), value },
      );
    }
    blocks.push({ type: "actions", block_id: "answer_actions", elements });
    if (options.feedbackNote) blocks.push({ type: "context", elements: [mrkdwn(options.feedbackNote)] });
  }
  return { text: truncate(`${closest ? `${CLOSEST_LEAD} ` : ""}${title}: ${section.summary}`, 300), blocks };
}
