import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import matter from "gray-matter";
import { ContentError } from "./errors.js";
import { type FocusLevel, isFocusLevel } from "./types.js";

/** Longest prompt text; Slack shows longer section text truncated behind "see more". */
export const MAX_PROMPT_LENGTH = 1000;

/** A weekly reflection question, read from `content/prompts/<id>.md`. */
export interface Prompt {
  /** File name without `.md`; stored with deliveries, so renaming a file restarts it in rotations. */
  readonly id: string;
  /** Position in every subscriber's rotation, lowest first. */
  readonly order: number;
  /** The focus level the question is about, or null for a general one. */
  readonly level: FocusLevel | null;
  readonly text: string;
  /**
   * Front matter `focus_question: true`: the wording itself asks where the week's focus went, so
   * the prompt asks it above the Narrow / Wide / IC buttons instead of as the note's question.
   */
  readonly focusQuestion?: boolean;
}

/** Reads and checks every `<dir>/*.md` prompt, sorted by `order`. Throws ContentError naming the file. */
export function loadPrompts(dir: string): Prompt[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ContentError(dir, "prompts folder not found");
  }
  const files = readdirSync(dir)
    .filter((name) => name.endsWith(".md"))
    .sort();
  if (files.length === 0) throw new ContentError(dir, "no prompts (*.md files) found");

  const prompts: Prompt[] = [];
  const fileByOrder = new Map<number, string>();
  for (const name of files) {
    const file = join(dir, name);
    const prompt = parsePrompt(name, readFileSync(file, "utf8"), file);
    const sameOrder = fileByOrder.get(prompt.order);
    if (sameOrder !== undefined) {
      throw new ContentError(
        file,
        `order ${prompt.order} is also used by ${sameOrder}; each prompt needs its own`,
      );
    }
    fileByOrder.set(prompt.order, name);
    prompts.push(prompt);
  }
  return prompts.sort((a, b) => a.order - b.order);
}

/** Parses one prompt file's content; `file` is only used in error messages. */
export function parsePrompt(name: string, content: string, file: string = name): Prompt {
  let data: Record<string, unknown>;
  let body: string;
  try {
    // Passing options bypasses gray-matter's cache, which would keep every file's text alive.
    const parsed = matter(content, {});
    data = parsed.data;
    body = parsed.content;
  } catch (error) {
    const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ContentError(file, `bad front matter: ${detail}`);
  }

  if (!("order" in data) || data.order === null || data.order === undefined) {
    throw new ContentError(file, "missing order (add e.g. `order: 1` to the front matter)");
  }
  const order = data.order;
  if (typeof order !== "number" || !Number.isInteger(order)) {
    throw new ContentError(file, `order must be a whole number, got ${JSON.stringify(order)}`);
  }

  const rawLevel = data.level ?? null;
  const level = typeof rawLevel === "string" ? rawLevel.trim().toLowerCase() : rawLevel;
  if (level !== null && !isFocusLevel(level)) {
    throw new ContentError(file, `bad level ${JSON.stringify(rawLevel)}: use narrow, wide, ic or null`);
  }

  const text = body.trim();
  if (text === "") throw new ContentError(file, "empty text: write the question below the front matter");
  if (text.length > MAX_PROMPT_LENGTH) {
    throw new ContentError(file, `text is ${text.length} characters; the limit is ${MAX_PROMPT_LENGTH}`);
  }

  const focusQuestion = data.focus_question ?? false;
  if (typeof focusQuestion !== "boolean") {
    throw new ContentError(
      file,
      `focus_question must be true or false, got ${JSON.stringify(focusQuestion)}`,
    );
  }

  return { id: basename(name, ".md"), order, level, text, focusQuestion };
}
