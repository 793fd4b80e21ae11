import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import matter from "gray-matter";
import { ContentError } from "./errors.js";
import { EXAMPLES_FILE, parseExamples, readExamplesFile } from "./examples.js";
import { plainText, slugify } from "./markdown.js";
import { type RawSection, splitSections } from "./split.js";
import { readSuggestedPrompts } from "./suggested-prompts.js";
import {
  type Article,
  type Example,
  FOCUS_LEVELS,
  isFocusLevel,
  type Library,
  type Section,
  type SectionRole,
} from "./types.js";

/** Folder under the content root that holds reflection prompts, not articles. */
export const PROMPTS_FOLDER = "prompts";
/** Pages the app serves as they are (the privacy policy), not articles to answer from. */
export const PAGES_FOLDER = "pages";

export interface LoadOptions {
  /** Where articles live when their front matter has no `url`: `<baseUrl>/<slug>`. */
  baseUrl?: string | null;
  /**
   * Parse `examples.jsonl` when `examples` is first read, not now (its bytes are read and hashed
   * now all the same). The bot's matcher, restored from its cache, never reads them: the cache key
   * holds the file's bytes and the sections, and a model is only saved after those parsed, so they
   * would parse again. A matcher that trains reads them, and a broken file fails it as before.
   */
  lazyExamples?: boolean;
}

/** The SHA-256 of the examples file each library read by `loadLibrary` came from (see `examplesDigest`). */
const EXAMPLES_DIGESTS = new WeakMap<object, string>();

/**
 * For a library as `loadLibrary` returned it, a hash of its `examples.jsonl` bytes (stands for its
 * examples in the matcher's cache key); undefined for any other object, a copy included, whose
 * examples may differ from the file's.
 */
export function examplesDigest(library: object): string | undefined {
  return EXAMPLES_DIGESTS.get(library);
}

/**
 * Front-matter entry that steers one section. `section` names it by its derived id, its heading as
 * written, or the opening words of its text; the other keys replace what the splitter derived.
 */
interface SectionOverride {
  section: string;
  id?: string;
  title?: string;
  summary?: string;
  level?: string | null;
  role?: string;
  aliases?: string[];
  hint?: string;
}

/** The longest level hint: it sits beside the level's name on one line of the weekly prompt. */
export const HINT_MAX_LENGTH = 60;

/** Reads every article under `dir` (except the prompts folder) and splits it into sections. */
export function loadLibrary(dir: string, options: LoadOptions = {}): Library {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ContentError(dir, "content folder not found (set CONTENT_DIR to the folder with the articles)");
  }
  const files = markdownFiles(dir, dir);
  if (files.length === 0) throw new ContentError(dir, "no articles (*.md files) found");
  const articles: Article[] = [];
  const bySlug = new Map<string, string>();
  for (const file of files) {
    const name = relative(dir, file).split(sep).join("/");
    const article = parseArticle(name, readFileSync(file, "utf8"), options);
    const other = bySlug.get(article.slug);
    if (other) throw new ContentError(name, `article slug "${article.slug}" is already used by ${other}`);
    bySlug.set(article.slug, name);
    articles.push(article);
  }
  const sections = articles.flatMap((article) => article.sections);
  const { bytes, digest } = readExamplesFile(dir);
  const parse = (): Example[] =>
    bytes === null ? [] : parseExamples(EXAMPLES_FILE, bytes.toString("utf8"), sections);
  let library: Library;
  if (options.lazyExamples) {
    let examples: Example[] | undefined;
    library = {
      articles,
      sections,
      get examples() {
        examples ??= parse();
        return examples;
      },
    };
  } else {
    library = { articles, sections, examples: parse() };
  }
  EXAMPLES_DIGESTS.set(library, digest);
  return library;
}

function markdownFiles(root: string, dir: string): string[] {
  // Only what is read is sorted: a folder with one article needs no comparison, and a process's
  // first localeCompare sets up the collator, about 10 ms of a start. The order is the same.
  const entries = readdirSync(dir, { withFileTypes: true }).filter((entry) =>
    entry.isDirectory()
      ? !(dir === root && (entry.name === PROMPTS_FOLDER || entry.name === PAGES_FOLDER)) &&
        !entry.name.startsWith(".")
      : entry.isFile() && entry.name.endsWith(".md") && entry.name.toLowerCase() !== "readme.md",
  );
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...markdownFiles(root, path));
    else found.push(path);
  }
  return found;
}

/** Parses one article file. `file` is used for the slug fallback and in every error. */
export function parseArticle(file: string, source: string, options: LoadOptions = {}): Article {
  let data: Record<string, unknown>;
  let body: string;
  try {
    // An options object keeps gray-matter from caching results across calls with the same text.
    const parsed = matter(source, {});
    data = parsed.data as Record<string, unknown>;
    body = parsed.content;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ContentError(file, `front matter is not valid YAML: ${reason}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ContentError(file, "front matter must be a YAML mapping (key: value)");
  }
  const title = data.title;
  if (typeof title !== "string" || title.trim() === "") {
    throw new ContentError(file, 'front matter has no "title"');
  }
  if (body.trim() === "") throw new ContentError(file, "the article has no text below its front matter");

  const fileSlug = file.replace(/\.md$/, "").split("/").at(-1) ?? file;
  const slug = optionalString(file, data, "slug") ?? slugify(fileSlug);
  if (slug === "" || slug !== slugify(slug)) {
    throw new ContentError(file, `slug "${slug}" must be lower-case letters, digits and dashes`);
  }
  const ownUrl = optionalString(file, data, "url");
  const base = options.baseUrl?.replace(/\/+$/, "");
  const url = ownUrl ?? (base ? `${base}/${encodeURIComponent(slug)}` : null);

  const raw = splitSections(body);
  if (raw.length === 0) throw new ContentError(file, "the article has no paragraphs to answer with");
  const overrides = readOverrides(file, data.sections);
  const sections = applyOverrides(file, raw, overrides).map(
    (section): Section => ({
      ...section,
      article: slug,
      articleTitle: title.trim(),
      url: url ? `${url}#${section.id}` : null,
    }),
  );

  const seen = new Map<string, string>();
  for (const section of sections) {
    if (section.id === "") {
      throw new ContentError(
        file,
        `section "${section.heading}" has no usable id; give it one in front matter`,
      );
    }
    const other = seen.get(section.id);
    if (other !== undefined) {
      throw new ContentError(
        file,
        `two sections have the id "${section.id}" ("${other}" and "${section.heading}"); rename a heading or give one an "id" under front matter "sections"`,
      );
    }
    seen.set(section.id, section.heading);
  }
  const excerpt = optionalString(file, data, "excerpt");
  const about = optionalString(file, data, "about");
  const suggestedPrompts = readSuggestedPrompts(file, data.suggested_prompts);
  return { slug, title: title.trim(), file, excerpt, about, body, url, sections, suggestedPrompts };
}

function optionalString(file: string, data: Record<string, unknown>, key: string): string | null {
  const value = data[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || value.trim() === "") {
    throw new ContentError(file, `front matter "${key}" must be a non-empty string`);
  }
  return value.trim();
}

function readOverrides(file: string, value: unknown): SectionOverride[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ContentError(file, 'front matter "sections" must be a list');
  return value.map((entry, index) => {
    const where = `front matter sections[${index}]`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw new ContentError(file, `${where} must be a mapping with a "section" key`);
    }
    const e = entry as Record<string, unknown>;
    if (typeof e.section !== "string" || e.section.trim() === "") {
      throw new ContentError(
        file,
        `${where} needs "section": the section's id or the opening words of its text`,
      );
    }
    for (const key of ["id", "title", "summary"] as const) {
      if (e[key] !== undefined && (typeof e[key] !== "string" || (e[key] as string).trim() === "")) {
        throw new ContentError(file, `${where}.${key} must be a non-empty string`);
      }
    }
    if (typeof e.id === "string" && e.id !== slugify(e.id)) {
      throw new ContentError(file, `${where}.id "${e.id}" must be lower-case letters, digits and dashes`);
    }
    if (e.level !== undefined && e.level !== null && !isFocusLevel(e.level)) {
      throw new ContentError(
        file,
        `${where}.level must be one of ${FOCUS_LEVELS.join(", ")} or null, not ${JSON.stringify(e.level)}`,
      );
    }
    if (
      e.aliases !== undefined &&
      (!Array.isArray(e.aliases) || e.aliases.some((a) => typeof a !== "string" || a.trim() === ""))
    ) {
      throw new ContentError(file, `${where}.aliases must be a list of phrases`);
    }
    if (e.role !== undefined && e.role !== "overview" && e.role !== "topic") {
      throw new ContentError(
        file,
        `${where}.role must be "overview" (answers only questions about the whole) or "topic", not ${JSON.stringify(e.role)}`,
      );
    }
    if (e.hint !== undefined) readHint(file, where, e.hint);
    const known = new Set(["section", "id", "title", "summary", "level", "role", "aliases", "hint"]);
    const unknown = Object.keys(e).filter((key) => !known.has(key));
    if (unknown.length > 0)
      throw new ContentError(file, `${where} has unknown key(s): ${unknown.join(", ")}`);
    return e as unknown as SectionOverride;
  });
}

function readHint(file: string, where: string, hint: unknown): void {
  if (typeof hint !== "string" || hint.trim() === "" || /[\r\n]/.test(hint.trim())) {
    throw new ContentError(file, `${where}.hint must be a short phrase on one line`);
  }
  if (hint.trim().length > HINT_MAX_LENGTH) {
    throw new ContentError(
      file,
      `${where}.hint is ${hint.trim().length} characters; keep it to ${HINT_MAX_LENGTH} (it sits beside the level's name in the weekly prompt)`,
    );
  }
}

function normalized(text: string): string {
  return plainText(text).toLowerCase().replace(/[’']/g, "'");
}

function applyOverrides(
  file: string,
  raw: RawSection[],
  overrides: SectionOverride[],
): Omit<Section, "article" | "url">[] {
  const sections = raw.map((section) => ({
    ...section,
    role: (section.level ? "level" : "topic") as SectionRole,
    aliases: [] as string[],
  }));
  const used = new Set<number>();
  for (const override of overrides) {
    const key = normalized(override.section);
    const matches = sections
      .map((section, index) => ({ section, index }))
      .filter(
        ({ section }) =>
          section.id === override.section ||
          normalized(section.heading) === key ||
          section.plain.toLowerCase().replace(/’/g, "'").startsWith(key),
      );
    if (matches.length !== 1) {
      throw new ContentError(
        file,
        matches.length === 0
          ? `front matter section "${override.section}" matches no section (use a section id, its heading, or the opening words of its text)`
          : `front matter section "${override.section}" matches ${matches.length} sections; quote more of the opening words`,
      );
    }
    const { section, index } = matches[0] as { section: (typeof sections)[number]; index: number };
    if (used.has(index)) {
      throw new ContentError(file, `front matter names section "${section.id}" twice`);
    }
    used.add(index);
    const level =
      override.level === undefined
        ? section.level
        : override.level === null
          ? null
          : (override.level as Section["level"]);
    if (level && override.role !== undefined) {
      throw new ContentError(
        file,
        `section "${section.id}" has a level, so it cannot also have role "${override.role}"`,
      );
    }
    if (!level && override.hint !== undefined) {
      throw new ContentError(
        file,
        `section "${section.id}" has a "hint" but no level; a hint is shown beside a level's name in the weekly prompt`,
      );
    }
    sections[index] = {
      ...section,
      id: override.id?.trim() ?? section.id,
      heading: override.title?.trim() ?? section.heading,
      summary: override.summary?.trim() ?? section.summary,
      level,
      role: level ? "level" : ((override.role as SectionRole | undefined) ?? "topic"),
      aliases: (override.aliases ?? []).map((alias) => alias.trim()),
      ...(override.hint === undefined ? {} : { hint: override.hint.trim() }),
    };
  }
  return sections;
}
