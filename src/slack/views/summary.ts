import { LEVEL_NAMES, type Library } from "../../content/types.js";
import type { PassMessage } from "../../prompts/delivery-options.js";
import { MIN_ANSWERS, type TeamSummary, type TrendWeek } from "../../prompts/team-summary.js";
import { type Block, LIMITS } from "./answer.js";
import { escapeMrkdwn, truncate } from "./mrkdwn.js";
import { levelSections } from "./overview.js";

const BAR = { narrow: "🟦", wide: "🟩", ic: "🟧", skip: "⬜" } as const;

/** What every summary says about itself, so nobody has to guess what the channel sees. */
export const SUMMARY_PRIVACY = `Answers are private: the channel sees how many answered and the split by level (nothing below ${MIN_ANSWERS} answers), names only of members who chose to show theirs, and never a note.`;

export const NOT_ENOUGH = "Not enough answers to share this week";

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function trendLine(week: TrendWeek): string {
  if (!week.counts) return `\`${day(week.dueAt)}\` · fewer than ${MIN_ANSWERS} answers`;
  const c = week.counts;
  const bars = (["narrow", "wide", "ic", "skip"] as const)
    .map((k) => BAR[k].repeat(Math.min(c[k], 12)))
    .join("");
  return `\`${day(week.dueAt)}\` ${bars} ${week.answered}`;
}

/** A channel's weekly summary: counts, the split, the opted-in names, a 12-week trend, the article's line. */
export function summaryView(library: Library, summary: TeamSummary): PassMessage {
  const title = `*Team focus, week of ${day(summary.dueAt)}*`;
  if (!summary.counts) {
    const text = `${NOT_ENOUGH} (fewer than ${MIN_ANSWERS} answered).`;
    return {
      text: `Team focus: ${text}`,
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: `${title}\n${text}` } },
        { type: "context", elements: [{ type: "mrkdwn", text: SUMMARY_PRIVACY }] },
      ],
    };
  }
  const c = summary.counts;
  const split = `${summary.answered} answered · ${LEVEL_NAMES.narrow} ${c.narrow} · ${LEVEL_NAMES.wide} ${c.wide} · ${LEVEL_NAMES.ic} ${c.ic} · skipped ${c.skip}`;
  const blocks: Block[] = [{ type: "section", text: { type: "mrkdwn", text: `${title}\n${split}` } }];
  if (summary.named.length > 0) {
    // Only ids Slack gave us, from members who opted in; Slack draws the names.
    const names = summary.named.filter((id) => /^[UW][A-Z0-9]+$/.test(id)).map((id) => `<@${id}>`);
    blocks.push({
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: truncate(`Answered and chose to be named: ${names.join(", ")}`, LIMITS.contextText),
        },
      ],
    });
  }
  const section = summary.topLevel
    ? levelSections(library).find((s) => s.level === summary.topLevel)
    : undefined;
  if (summary.topLevel && section) {
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: truncate(
          `Most of the team's week went to *${LEVEL_NAMES[summary.topLevel]}*. The article: ${escapeMrkdwn(section.summary)}${section.url ? ` <${section.url}|Read more>` : ""}`,
          LIMITS.sectionText,
        ),
      },
    });
  }
  blocks.push({
    type: "section",
    text: {
      type: "mrkdwn",
      text: truncate(
        `*Last ${summary.trend.length} week${summary.trend.length === 1 ? "" : "s"}* ${BAR.narrow} ${LEVEL_NAMES.narrow} ${BAR.wide} ${LEVEL_NAMES.wide} ${BAR.ic} ${LEVEL_NAMES.ic} ${BAR.skip} skipped\n${summary.trend.map(trendLine).join("\n")}`,
        LIMITS.sectionText,
      ),
    },
  });
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: SUMMARY_PRIVACY }] });
  return { text: `Team focus: ${split}`, blocks };
}
