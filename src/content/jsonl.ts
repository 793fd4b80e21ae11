import { ContentError } from "./errors.js";

/** One object line of a questions file: where it is (for errors), its line number and its fields. */
export interface JsonLine {
  readonly where: string;
  readonly line: number;
  readonly value: Record<string, unknown>;
}

/**
 * The object lines of a `{"question": "...", "section": …}` file (examples.jsonl, an article's
 * questions file), blank lines skipped; a line that is not a JSON object is refused, naming it.
 */
export function* jsonLines(file: string, source: string): Generator<JsonLine> {
  // Lazily, line by line: the first problem in the file is the one reported, whatever its kind.
  for (const [index, text] of source.split("\n").entries()) {
    if (text.trim() === "") continue;
    const where = `${file} line ${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ContentError(
        where,
        'not valid JSON; each line is {"question": "...", "section": "<id>" or null}',
      );
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new ContentError(where, 'must be an object: {"question": "...", "section": "<id>" or null}');
    }
    yield { where, line: index + 1, value: value as Record<string, unknown> };
  }
}
