import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ContentError } from "./errors.js";
import { jsonLines } from "./jsonl.js";
import { type Example, type Section, sectionKey } from "./types.js";

/** File under the content root with questions people asked, labelled with the section that answers them. */
export const EXAMPLES_FILE = "examples.jsonl";

/** Longest example question kept; the matcher reads no further into a question either. */
const MAX_EXAMPLE_CHARS = 2_000;

/**
 * `examples.jsonl`: one JSON object per line, `{"question": "...", "section": "<id>"}`, where
 * `section` is a section id (or `<article>#<id>` when two articles share an id), or null for a
 * question the library has no guidance on; an optional `url` says where a real question was asked.
 * The file is optional. `readExamplesFile` reads it as bytes (null when there is none) with their
 * SHA-256, what the matcher's cache key holds for a library read from disk, so a start whose model
 * is cached need not parse it; `parseExamples` parses it, and every problem names its line.
 */
export function readExamplesFile(dir: string): { bytes: Buffer | null; digest: string } {
  const path = join(dir, EXAMPLES_FILE);
  const bytes = existsSync(path) ? readFileSync(path) : null;
  const hash = createHash("sha256").update(bytes === null ? "no examples file" : "examples file:");
  if (bytes !== null) hash.update(bytes);
  return { bytes, digest: hash.digest("hex") };
}

export function parseExamples(file: string, source: string, sections: readonly Section[]): Example[] {
  const byId = new Map<string, Section[]>();
  for (const section of sections) {
    byId.set(section.id, [...(byId.get(section.id) ?? []), section]);
    byId.set(sectionKey(section), [section]);
  }
  const examples: Example[] = [];
  const seen = new Map<string, number>();
  for (const { where, line, value } of jsonLines(file, source)) {
    // `url`: where a real question was asked, kept beside it so its origin can be checked.
    const { question, section, url, ...rest } = value;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new ContentError(where, `unknown key(s): ${unknown.join(", ")}`);
    if (url !== undefined && (typeof url !== "string" || !/^https?:\/\/\S+$/.test(url))) {
      throw new ContentError(
        where,
        '"url", when given, must be the http(s) address the question was asked at',
      );
    }
    if (typeof question !== "string" || question.trim() === "") {
      throw new ContentError(where, '"question" must be a non-empty string');
    }
    if (question.length > MAX_EXAMPLE_CHARS) {
      throw new ContentError(where, `"question" is longer than ${MAX_EXAMPLE_CHARS} characters`);
    }
    if (section !== null && typeof section !== "string") {
      throw new ContentError(
        where,
        '"section" must be a section id, or null for a question with no guidance',
      );
    }
    let target: Section | null = null;
    if (typeof section === "string") {
      const found = byId.get(section) ?? [];
      if (found.length === 0) throw new ContentError(where, `no section has the id "${section}"`);
      if (found.length > 1) {
        const names = found.map((s) => `"${s.article}#${s.id}"`).join(" or ");
        throw new ContentError(where, `"${section}" is in several articles; write ${names}`);
      }
      target = found[0] as Section;
    }
    const key = question.trim().toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new ContentError(where, `the same question is already on line ${earlier}`);
    }
    seen.set(key, line);
    examples.push({ question: question.trim(), section: target ? sectionKey(target) : null });
  }
  return examples;
}
