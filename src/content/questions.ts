import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ContentError } from "./errors.js";
import { jsonLines } from "./jsonl.js";
import { type Article, sectionKey } from "./types.js";

/**
 * An article's own questions file, `<article slug or file name>.questions.jsonl` beside it: how its
 * owner measures it. One `{"question": "...", "section": "<id>" or null}` a line, `section` one of
 * the article's own section ids (null: a question the library should decline). Never trained on:
 * the examples loader reads `examples.jsonl` only, so these stay a fair test.
 */
export const QUESTIONS_SUFFIX = ".questions.jsonl";

/** A measuring question, its answer named by `<article>#<section id>`, or null for "no guidance". */
export interface ArticleQuestion {
  readonly question: string;
  readonly section: string | null;
}

export interface ArticleQuestions {
  /** The file, relative to the content folder. */
  readonly file: string;
  readonly questions: readonly ArticleQuestion[];
}

/** Keys a line may carry besides question and section: notes for the people who wrote it. */
const NOTE_KEYS = new Set(["kind", "also", "note", "writer"]);

/** Where an article's questions file goes, relative to the content folder: `<slug>.questions.jsonl`. */
export function questionsFileOf(article: Pick<Article, "file" | "slug">): string {
  const folder = dirname(article.file);
  return folder === "."
    ? `${article.slug}${QUESTIONS_SUFFIX}`
    : `${folder}/${article.slug}${QUESTIONS_SUFFIX}`;
}

/**
 * Reads the questions file of `article` under `dir`: named after its slug, or else after its file's
 * base name. Null when it has none. Every problem names its line.
 */
export function loadArticleQuestions(dir: string, article: Pick<Article, "file" | "slug" | "sections">) {
  const base = article.file.replace(/\.md$/, "");
  for (const file of [questionsFileOf(article), `${base}${QUESTIONS_SUFFIX}`]) {
    const path = join(dir, file);
    if (existsSync(path)) return parseArticleQuestions(file, readFileSync(path, "utf8"), article);
  }
  return null;
}

export function parseArticleQuestions(
  file: string,
  source: string,
  article: Pick<Article, "sections">,
): ArticleQuestions {
  const ids = new Map(article.sections.map((section) => [section.id, sectionKey(section)]));
  const byKey = new Map([...ids.values()].map((key) => [key, key]));
  const questions: ArticleQuestion[] = [];
  const seen = new Map<string, number>();
  for (const { where, line, value } of jsonLines(file, source)) {
    const { question, section, ...rest } = value;
    const unknown = Object.keys(rest).filter((key) => !NOTE_KEYS.has(key));
    if (unknown.length > 0) throw new ContentError(where, `unknown key(s): ${unknown.join(", ")}`);
    if (typeof question !== "string" || question.trim() === "") {
      throw new ContentError(where, '"question" must be a non-empty string');
    }
    if (section !== null && typeof section !== "string") {
      throw new ContentError(
        where,
        '"section" must be one of the article\'s section ids, or null for off-topic',
      );
    }
    const key = section === null ? null : (ids.get(section) ?? byKey.get(section));
    if (key === undefined) {
      throw new ContentError(
        where,
        `the article has no section "${section}" (its ids: ${[...ids.keys()].join(", ")})`,
      );
    }
    const normalized = question.trim().toLowerCase();
    const earlier = seen.get(normalized);
    if (earlier !== undefined)
      throw new ContentError(where, `the same question is already on line ${earlier}`);
    seen.set(normalized, line);
    questions.push({ question: question.trim(), section: key });
  }
  return { file, questions };
}

/** Each article's questions, looked up by slug: its file, or where to put one and no questions. */
export function questionsBySlug(
  dir: string,
  articles: readonly Pick<Article, "file" | "slug" | "sections">[],
): (slug: string) => ArticleQuestions | { file: string; questions: null } {
  const found = new Map(
    articles.map((article) => [
      article.slug,
      loadArticleQuestions(dir, article) ?? { file: questionsFileOf(article), questions: null },
    ]),
  );
  return (slug) => found.get(slug) ?? { file: `${slug}${QUESTIONS_SUFFIX}`, questions: null };
}
