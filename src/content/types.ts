import type { SuggestedPrompt } from "./suggested-prompts.js";

export const FOCUS_LEVELS = ["narrow", "wide", "ic"] as const;
export type FocusLevel = (typeof FOCUS_LEVELS)[number];

/** How each level is named to people. */
export const LEVEL_NAMES: Readonly<Record<FocusLevel, string>> = { narrow: "Narrow", wide: "Wide", ic: "IC" };

export function isFocusLevel(value: unknown): value is FocusLevel {
  return typeof value === "string" && (FOCUS_LEVELS as readonly string[]).includes(value);
}

export const SECTION_ROLES = ["overview", "level", "topic"] as const;
export type SectionRole = (typeof SECTION_ROLES)[number];

/** One piece of guidance that can be given as an answer on its own. */
export interface Section {
  /** Slug, unique within its article; also the anchor of its deep link. */
  readonly id: string;
  /** Slug of the article the section belongs to. */
  readonly article: string;
  /** The section's heading, bold lead, or an author-given title. */
  readonly heading: string;
  /** One line that says what the section is about, for compact views. */
  readonly summary: string;
  /** The section's Markdown, as written in the article. */
  readonly text: string;
  /** The same text without Markdown: what matching reads. */
  readonly plain: string;
  readonly level: FocusLevel | null;
  /**
   * `level`: one focus level (has a `level`); `overview`: the gist of an article or of all levels,
   * the answer only when someone asks for the overview; `topic`: any other point.
   */
  readonly role: SectionRole;
  /** Author-curated phrasings people use for this section (front matter). */
  readonly aliases: readonly string[];
  /**
   * For a level section: a few words beside the level's name where the weekly prompt asks where
   * your focus went (front matter `hint`).
   */
  readonly hint?: string;
  /** Deep link to the section, or null when the article has no known home. */
  readonly url: string | null;
  /**
   * The bold-led items this section's text introduces (it ends in ":"), as Markdown: each is a
   * section of its own too, and an answer with this section lists them (the overview of the levels).
   * Not matched: a question naming one level belongs to that level's own section.
   */
  readonly introduces?: string;
  /** The title of the article it comes from, which every answer names. */
  readonly articleTitle?: string;
}

export interface Article {
  readonly slug: string;
  readonly title: string;
  /** Path of the file the article was read from, relative to the content folder. */
  readonly file: string;
  readonly excerpt: string | null;
  /**
   * What the article is about, as the end of "it is about …" (front matter `about`): how the
   * greeting, help and "no guidance" replies describe it beside the other articles.
   */
  readonly about?: string | null;
  /** The Markdown body as written, without front matter. */
  readonly body: string;
  /** Link to the article itself, or null. */
  readonly url: string | null;
  readonly sections: readonly Section[];
  /** Questions the assistant panel suggests when a thread starts (front matter `suggested_prompts`). */
  readonly suggestedPrompts?: readonly SuggestedPrompt[];
}

/** A question labelled with the section that answers it: what the matcher learns from. */
export interface Example {
  readonly question: string;
  /** `<article>#<section id>` of the answer, or null when the library has no guidance on it. */
  readonly section: string | null;
}

export interface Library {
  readonly articles: readonly Article[];
  readonly sections: readonly Section[];
  /** Labelled questions from `examples.jsonl` (may be empty). */
  readonly examples: readonly Example[];
}

/** The key examples and the matcher use for a section: unique across the library. */
export function sectionKey(section: Pick<Section, "article" | "id">): string {
  return `${section.article}#${section.id}`;
}

/** What an answer shows of a section: its text, and the items it introduces. */
export function answerMarkdown(section: Pick<Section, "text" | "introduces">): string {
  return section.introduces ? `${section.text}\n${section.introduces}` : section.text;
}
