import { FOCUS_LEVELS, type FocusLevel } from "../../content/types.js";

/**
 * Each level's marker: the Home chart's squares, and an answer card's colour at a glance. Slack
 * draws no colour for Block Kit alone, so the emoji is the colour; the playground reads it back.
 */
export const LEVEL_MARKERS: Readonly<Record<FocusLevel, string>> = { narrow: "🟦", wide: "🟩", ic: "🟧" };

/** The block of an answer card that names its level: its text opens with the level's marker. */
export const LEVEL_BLOCK_ID = "answer_level";

/** The level whose marker opens `text`, or null. */
export function levelOfMarker(text: string): FocusLevel | null {
  return FOCUS_LEVELS.find((level) => text.startsWith(LEVEL_MARKERS[level])) ?? null;
}

/** The level an answer card shows, read from its level block's marker; null for any other message. */
export function levelOfBlocks(blocks: readonly unknown[]): FocusLevel | null {
  for (const block of blocks) {
    const b = (block ?? {}) as { block_id?: unknown; text?: { text?: unknown } };
    if (b.block_id === LEVEL_BLOCK_ID && typeof b.text?.text === "string") return levelOfMarker(b.text.text);
  }
  return null;
}
