import { LEVEL_NAMES, type Library } from "../../content/types.js";
import type { Drift } from "../../domain/focus.js";
import { type Block, LIMITS } from "./answer.js";
import { escapeMrkdwn, truncate } from "./mrkdwn.js";
import { levelSections } from "./overview.js";

/** The private "on purpose, or drifting?" note a person's prompt carries, with both levels' sections. */
export function nudgeBlocks(library: Library, drift: Drift): Block[] {
  const sections = levelSections(library);
  const line = (level: Drift["actual"], label: string): Block[] => {
    const section = sections.find((s) => s.level === level);
    if (!section) return [];
    return [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: truncate(
            `*${label}: ${LEVEL_NAMES[level]}* — ${escapeMrkdwn(section.summary)}${section.url ? ` <${section.url}|Read more>` : ""}`,
            LIMITS.sectionText,
          ),
        },
      },
    ];
  };
  return [
    {
      type: "section",
      block_id: "prompt_nudge",
      text: {
        type: "mrkdwn",
        text: `🧭 *On purpose, or drifting?* You meant to focus on *${LEVEL_NAMES[drift.intended]}* this quarter, and three of your last four answers went elsewhere, mostly *${LEVEL_NAMES[drift.actual]}*. Only you see this.`,
      },
    },
    ...line(drift.actual, "Where your weeks went"),
    ...line(drift.intended, "What you intended"),
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: "Change your intended focus in the Home tab or with `/em-focus focus narrow|wide|ic|off`. At most one of these a month.",
        },
      ],
    },
    { type: "divider" },
  ];
}
