import { firstSentence, plainText, shorten, slugify } from "./markdown.js";
import { type FocusLevel, isFocusLevel } from "./types.js";

/** A section as found in the Markdown, before front-matter overrides and links are applied. */
export interface RawSection {
  id: string;
  heading: string;
  summary: string;
  text: string;
  /** The text without Markdown, computed once for summaries and matching. */
  plain: string;
  level: FocusLevel | null;
  /** The bold-led items a paragraph ending in ":" introduces, as Markdown: shown with it in answers. */
  introduces?: string;
}

type Block =
  | { kind: "heading"; text: string; depth: number }
  | { kind: "marker" }
  | { kind: "lead"; lead: string; lines: string[] }
  | { kind: "paragraph"; lines: string[] }
  | { kind: "list"; lines: string[] };

const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const LIST_ITEM = /^ {0,3}(?:[-*+]|\d{1,9}[.)])\s+(.*)$/;
const BOLD_LEAD = /^\*\*(.+?)\*\*|^__(.+?)__/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const FENCE = /^ {0,3}(```|~~~)/;
/** `<!-- section -->` on a line of its own: the author's explicit section break. */
const SECTION_MARKER = /^ {0,3}<!--\s*section\s*-->[ \t]*$/gim;
/** Stands for a marker line while other comments are removed; NUL cannot occur in Markdown text. */
const MARKER_LINE = "\u0000section";

function toBlocks(body: string): Block[] {
  const blocks: Block[] = [];
  let current: Exclude<Block, { kind: "heading" } | { kind: "marker" }> | null = null;
  let fence: string | null = null;
  let afterBlank = false;
  const close = () => {
    if (current) blocks.push(current);
    current = null;
  };
  // HTML comments (`<!-- more -->`) are notes for the renderer, not guidance.
  const text = body
    .replace(/\r\n?/g, "\n")
    .replace(SECTION_MARKER, MARKER_LINE)
    .replace(/<!--[\s\S]*?-->/g, "");
  for (const line of text.split("\n")) {
    if (line === MARKER_LINE) {
      // Inside code a marker is text like any other comment: dropped, not a boundary.
      if (fence !== null) continue;
      close();
      blocks.push({ kind: "marker" });
      afterBlank = true;
      continue;
    }
    if (fence !== null) {
      // Code stays with whatever block it is in; nothing inside a fence is a boundary.
      current = current ?? { kind: "paragraph", lines: [] };
      current.lines.push(line);
      if (line.trim().startsWith(fence)) fence = null;
      continue;
    }
    const fenceOpen = FENCE.exec(line);
    if (fenceOpen?.[1]) {
      fence = fenceOpen[1];
      current = current ?? { kind: "paragraph", lines: [] };
      current.lines.push(line);
      continue;
    }
    if (line.trim() === "") {
      // A blank line ends a paragraph; list items may be separated by blank lines (loose lists).
      if (current?.kind === "paragraph") close();
      afterBlank = true;
      continue;
    }
    const blankBefore = afterBlank;
    afterBlank = false;
    if (THEMATIC_BREAK.test(line)) {
      close();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      close();
      blocks.push({ kind: "heading", text: plainText(heading[2] ?? ""), depth: heading[1]?.length ?? 1 });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      const content = item[1] ?? "";
      const bold = BOLD_LEAD.exec(content);
      if (bold) {
        close();
        current = { kind: "lead", lead: plainText(bold[1] ?? bold[2] ?? ""), lines: [content] };
      } else if (current?.kind === "list" || current?.kind === "paragraph") {
        current.lines.push(line);
      } else {
        close();
        current = { kind: "list", lines: [line] };
      }
      continue;
    }
    if (current === null) {
      current = { kind: "paragraph", lines: [] };
    } else if (current.kind !== "paragraph" && blankBefore && !/^\s/.test(line)) {
      // After a blank line, unindented text ends a list item; without one it is a lazy continuation.
      close();
      current = { kind: "paragraph", lines: [] };
    }
    current.lines.push(current.kind === "lead" ? line.trim() : line);
  }
  close();
  return blocks;
}

function leadLabel(lead: string): string {
  const colon = lead.indexOf(":");
  return (colon > 0 ? lead.slice(0, colon) : lead).replace(/[.:;,]+$/, "").trim();
}

/**
 * Splits an article body into sections.
 * - A `##` (or deeper) heading owns everything up to the next heading: its paragraphs and lists
 *   form one section named after it, so a normally written essay stays whole.
 * - `<!-- section -->` on a line of its own ends the section before it; the paragraphs after it
 *   form a new section (named by its first paragraph's bold phrase or first sentence) up to the
 *   next heading or marker.
 * - Bold-led list items (`- **Narrow**: …`) are sections of their own, wherever they stand; text
 *   after them starts a new section.
 * - Above the first `##` heading (under the `#` title, or with no heading at all) every paragraph is
 *   a section of its own, a `#` heading names the paragraph under it, and a plain list belongs to
 *   the paragraph before it: how the seed article is written, whose ids must not move.
 */
export function splitSections(body: string): RawSection[] {
  const sections: RawSection[] = [];
  let pendingHeading: string | null = null;
  // Whether the next paragraph opens a section that owns the paragraphs after it (a `##` heading or a marker).
  let owning = false;
  // The section taking the paragraphs that follow, until a heading, marker or bold-led item.
  let owner: RawSection | null = null;
  // A paragraph that ends in ":" and the items right after it: "…each needs its own skills:" and the levels.
  let intro: RawSection | null = null;
  const push = (
    heading: string,
    markdown: string,
    plain: string,
    level: FocusLevel | null,
    summary?: string,
  ) => {
    sections.push({
      id: slugify(heading),
      heading,
      summary: summary ?? firstSentence(plain),
      text: markdown.trim(),
      plain,
      level,
    });
  };
  for (const block of toBlocks(body)) {
    if (block.kind !== "lead") intro = null;
    switch (block.kind) {
      case "heading":
        pendingHeading = block.text;
        owning = block.depth >= 2;
        owner = null;
        break;
      case "marker":
        pendingHeading = null;
        owning = true;
        owner = null;
        break;
      case "lead": {
        pendingHeading = null;
        owning = false;
        owner = null;
        const label = leadLabel(block.lead);
        const slug = slugify(label);
        const markdown = block.lines.join("\n");
        const plain = plainText(markdown);
        const rest = plain.slice(block.lead.length).replace(/^[\s:.,;-]+/, "");
        const leadRest = block.lead
          .slice(block.lead.indexOf(label) + label.length)
          .replace(/^[\s:.,;-]+/, "");
        const summary = firstSentence(leadRest || rest || block.lead);
        push(
          label,
          markdown,
          plain,
          isFocusLevel(slug) ? slug : null,
          summary.charAt(0).toUpperCase() + summary.slice(1),
        );
        if (intro) intro.introduces = `${intro.introduces ? `${intro.introduces}\n` : ""}- ${markdown}`;
        break;
      }
      case "paragraph":
      case "list": {
        const markdown = block.lines.join("\n");
        const plain = plainText(markdown);
        // An image or other markup with no words cannot answer anything.
        if (plain === "") break;
        const last = sections.at(-1);
        if (owner && last === owner) {
          // A heading owns its paragraphs: the text reads as written, one blank line between paragraphs.
          const joined: RawSection = {
            ...owner,
            text: `${owner.text}${block.kind === "list" ? "\n" : "\n\n"}${markdown.trim()}`,
            plain: `${owner.plain} ${plain}`,
          };
          sections[sections.length - 1] = joined;
          owner = joined;
          if (block.kind === "paragraph" && markdown.trimEnd().endsWith(":")) intro = joined;
          break;
        }
        if (block.kind === "list" && last && pendingHeading === null && !owning) {
          // A plain list continues the section before it.
          sections[sections.length - 1] = {
            ...last,
            text: `${last.text}\n${markdown.trim()}`,
            plain: `${last.plain} ${plain}`,
          };
          break;
        }
        const bold = /(\*\*|__)(.+?)\1/.exec(markdown);
        const heading =
          pendingHeading ?? (bold?.[2] ? plainText(bold[2]) : shorten(firstSentence(plain), 60));
        pendingHeading = null;
        push(heading, markdown, plain, null);
        if (owning) owner = sections.at(-1) ?? null;
        owning = false;
        if (block.kind === "paragraph" && markdown.trimEnd().endsWith(":")) intro = sections.at(-1) ?? null;
        break;
      }
    }
  }
  return sections;
}
