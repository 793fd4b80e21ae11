/** Markdown helpers shared by the splitter and the views. Only what the content needs; no full parser. */

/** Plain text of inline Markdown: links keep their text, emphasis and code markers go. */
export function plainText(markdown: string): string {
  // Each pass runs only when its marker character is there at all: most lines of prose have no link,
  // code or emphasis, and a library of thousands of sections is read at every start.
  let text = markdown;
  if (text.includes("](")) {
    text = text.replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
  }
  if (text.includes("<")) text = text.replace(/<(https?:\/\/[^>]+)>/g, "$1");
  if (text.includes("`")) text = text.replace(/`([^`]*)`/g, "$1");
  if (text.includes("*") || text.includes("_")) {
    text = text
      .replace(/(\*\*|__)(.+?)\1/g, "$2")
      .replace(/(^|[^\p{L}\p{N}])[*_](.+?)[*_](?=$|[^\p{L}\p{N}])/gu, "$1$2");
  }
  if (text.includes("#")) text = text.replace(/^#{1,6}\s+/gm, "");
  return text
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+/gm, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** A URL-safe slug that keeps letters of every script, so non-Latin headings still get an id. */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

/** The first sentence of plain text, cut at a word boundary when longer than `max`. */
export function firstSentence(text: string, max = 160): string {
  const match = /^.+?[.!?](?=\s|$)/u.exec(text);
  return shorten(match ? match[0] : text, max);
}

export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, "")}…`;
}
