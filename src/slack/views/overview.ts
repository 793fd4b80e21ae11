import { articleAbout, exampleQuestion } from "../../content/about.js";
import { type Article, FOCUS_LEVELS, LEVEL_NAMES, type Library, type Section } from "../../content/types.js";
import type { Answer } from "../../match/answer.js";
import {
  type AnswerViewOptions,
  answerView,
  type Block,
  echoQuestion,
  LIMITS,
  type MessageView,
  markedTitle,
  mrkdwn,
  plain,
} from "./answer.js";
import { escapeMrkdwn, truncate } from "./mrkdwn.js";

/**
 * The library as a whole: help, the App Home's overview, "no guidance", and the focus levels. Every
 * word about an article comes from its front matter (title, `about`, section summaries, suggested
 * prompts), so a second article is described the same way as the first (issue 18, item 7).
 */

/** Articles the overview describes one by one; the rest are counted, within Slack's 50 blocks. */
const OVERVIEW_ARTICLES = 8;

/** The level sections of the library, one per level, in the order levels are defined. */
export function levelSections(library: Pick<Library, "sections">, article?: string): Section[] {
  const found: Section[] = [];
  for (const level of FOCUS_LEVELS) {
    const section = library.sections.find(
      (s) => s.level === level && (article === undefined || s.article === article),
    );
    if (section) found.push(section);
  }
  return found;
}

/** Whether an answer from `section` has other focus levels in its own article to offer. */
export function offersOtherLevels(library: Pick<Library, "sections">, section: Section): boolean {
  return levelSections(library, section.article).some((s) => s.id !== section.id);
}

function levelLine(section: Section): string {
  const link = section.url ? ` <${section.url}|more>` : "";
  return `${markedTitle(section)} — ${escapeMrkdwn(section.summary)}${link}`;
}

/** The focus levels of the answer's article other than the answer's own, briefly. */
export function otherLevelsView(library: Library, section: Section): MessageView {
  const others = levelSections(library, section.article).filter((s) => s.id !== section.id);
  const heading = section.level
    ? `Besides ${LEVEL_NAMES[section.level]}, the article names these levels of focus:`
    : "The article names these levels of focus:";
  return {
    text: heading,
    blocks: [
      { type: "section", text: mrkdwn(heading) },
      ...others.map(
        (s): Block => ({ type: "section", text: mrkdwn(truncate(levelLine(s), LIMITS.sectionText)) }),
      ),
    ],
  };
}

/** How to ask, with an example from the library's own suggested prompts. */
export function usageLines(library: Pick<Library, "articles">): string[] {
  const example = escapeMrkdwn(exampleQuestion(library.articles));
  return [
    `• \`/em-focus &lt;your question&gt;\` — e.g. \`/em-focus ${example}\``,
    "• Mention me in a thread — I answer in the thread (with no question, I answer the thread's first message)",
    "• Send me a direct message",
    "• `/em-focus subscribe [day] [time]` — a weekly reflection prompt (`status`, `skip`, `unsubscribe`, `forget-me`)",
    `• \`/em-focus focus ${FOCUS_LEVELS.join("|")}|off\` — the level you mean to focus on this quarter (a private note when your weeks drift)`,
  ];
}

/** One article in the overview: what it is about, and its levels under the section that introduces them. */
function articleBlocks(library: Library, article: Article, named: boolean): Block[] {
  const levels = levelSections(library, article.slug);
  const intro = article.sections.find((s) => s.introduces && levels.length > 0) ?? null;
  const overview = article.sections.find((s) => s.role === "overview");
  const lines: string[] = [];
  if (named)
    lines.push(`*${escapeMrkdwn(article.title)}*${article.about ? ` — ${escapeMrkdwn(article.about)}` : ""}`);
  else if (!intro) lines.push(escapeMrkdwn(article.about ?? overview?.summary ?? article.excerpt ?? ""));
  if (intro) lines.push(escapeMrkdwn(intro.summary));
  const text = lines.filter((line) => line !== "").join("\n");
  return [
    ...(text ? [{ type: "section", text: mrkdwn(truncate(text, LIMITS.sectionText)) } as Block] : []),
    ...levels.map(
      (s): Block => ({ type: "section", text: mrkdwn(truncate(levelLine(s), LIMITS.sectionText)) }),
    ),
  ];
}

/** The library's title: its one article's, or what the bot answers from. */
export function libraryTitle(library: Pick<Library, "articles">): string {
  const [only, ...rest] = library.articles;
  return only && rest.length === 0 ? only.title : "em-focus — the articles I answer from";
}

/** What the library covers and how to use the bot: for help, empty questions and the App Home. */
export function overviewBlocks(library: Library): Block[] {
  const several = library.articles.length > 1;
  const shown = library.articles.slice(0, OVERVIEW_ARTICLES);
  const more = library.articles.length - shown.length;
  return [
    { type: "header", text: plain(truncate(libraryTitle(library), 150)) },
    ...shown.flatMap((article) => articleBlocks(library, article, several)),
    ...(more > 0 ? [{ type: "context", elements: [mrkdwn(`…and ${more} more article(s).`)] } as Block] : []),
    { type: "section", text: mrkdwn(`*How to ask*\n${usageLines(library).join("\n")}`) },
  ];
}

export function overviewView(library: Library, lead?: string, question?: string): MessageView {
  const blocks: Block[] = [];
  if (lead) blocks.push({ type: "section", text: mrkdwn(lead) });
  if (question?.trim()) blocks.push({ type: "context", elements: [echoQuestion(question)] });
  blocks.push(...overviewBlocks(library));
  return { text: lead ?? `${libraryTitle(library)} — how to use em-focus`, blocks };
}

/** "No guidance", said of the whole library: its one article, or all of them. */
export function noGuidanceLead(library: Pick<Library, "articles">): string {
  const [only, ...rest] = library.articles;
  if (only && rest.length === 0) {
    return truncate(
      `I have no guidance on that in the article ${escapeMrkdwn(articleAbout(only))}. Here is the overview:`,
      LIMITS.sectionText,
    );
  }
  return "I have no guidance on that in the articles I answer from. Here is what they cover:";
}

/** The reply to any question: the answer, or a friendly "no guidance" with the overview. */
export function replyView(library: Library, answer: Answer, options: AnswerViewOptions = {}): MessageView {
  if (answer.section) {
    const otherLevels = options.buttons === true && offersOtherLevels(library, answer.section);
    return answerView({ ...answer, section: answer.section }, { ...options, otherLevels });
  }
  if (answer.outcome === "empty") return overviewView(library);
  return overviewView(library, noGuidanceLead(library), answer.question);
}
