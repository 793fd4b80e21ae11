import { ContentError } from "./errors.js";

/** A question the assistant panel offers when a thread starts: a short label and the message it sends. */
export interface SuggestedPrompt {
  readonly title: string;
  readonly message: string;
}

/**
 * Limits for `suggested_prompts` in an article's front matter. Slack allows at most four prompts per
 * thread (assistant.threads.setSuggestedPrompts) and needs a title and a message for each. It documents
 * no length limit for them, so ours are deliberately short: a title is a chip in the panel, a message
 * is a question someone would type.
 */
export const SUGGESTED_PROMPT_LIMITS = { count: 4, title: 75, message: 300 } as const;

const KEYS = new Set(["title", "message"]);

/** Reads and checks an article's `suggested_prompts`; absent means none. */
export function readSuggestedPrompts(file: string, value: unknown): SuggestedPrompt[] {
  if (value === undefined || value === null) return [];
  const where = 'front matter "suggested_prompts"';
  if (!Array.isArray(value)) {
    throw new ContentError(file, `${where} must be a list of {title, message} entries`);
  }
  if (value.length > SUGGESTED_PROMPT_LIMITS.count) {
    throw new ContentError(
      file,
      `${where} has ${value.length} entries; Slack shows at most ${SUGGESTED_PROMPT_LIMITS.count}`,
    );
  }
  return value.map((entry: unknown, index) => {
    const at = `${where}[${index}]`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw new ContentError(file, `${at} must be a mapping with "title" and "message"`);
    }
    const e = entry as Record<string, unknown>;
    const unknown = Object.keys(e).filter((key) => !KEYS.has(key));
    if (unknown.length > 0) throw new ContentError(file, `${at} has unknown key(s): ${unknown.join(", ")}`);
    const prompt = { title: text(file, at, e, "title"), message: text(file, at, e, "message") };
    return prompt;
  });
}

function text(file: string, at: string, entry: Record<string, unknown>, key: "title" | "message"): string {
  const value = entry[key];
  if (typeof value !== "string" || value.trim() === "") {
    throw new ContentError(file, `${at}.${key} must be a non-empty string`);
  }
  const trimmed = value.replace(/\s+/g, " ").trim();
  const max = SUGGESTED_PROMPT_LIMITS[key];
  if ([...trimmed].length > max) {
    throw new ContentError(file, `${at}.${key} is ${[...trimmed].length} characters; at most ${max}`);
  }
  return trimmed;
}
