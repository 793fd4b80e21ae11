import type { Library } from "../content/types.js";
import type { AnswerChoice } from "../domain/focus.js";
import { buildTeamSummary } from "../prompts/team-summary.js";
import type { MessageView } from "../slack/views/answer.js";
import { summaryView } from "../slack/views/summary.js";

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** Five simulated leads; two chose to be named in the summary. */
export const TEAM_MEMBERS = ["U0ANA", "U0BEN", "U0CHEN", "U0DEE", "U0ELI"] as const;
const NAMED = new Set(["U0ANA", "U0CHEN"]);

/**
 * Who answered what, week by week (cycling): a full week, a week with two answers (too few to
 * share), and weeks in between, so the trend shows every case.
 */
const PATTERN: ReadonlyArray<ReadonlyArray<AnswerChoice | null>> = [
  ["wide", "wide", "narrow", "ic", "wide"],
  ["narrow", null, null, "ic", null],
  ["wide", "narrow", "narrow", null, "wide"],
  ["narrow", "narrow", "wide", "narrow", "skip"],
  ["wide", "wide", "wide", "ic", null],
];

/** The playground's team channel: the summaries it would have seen, from the simulated answers. */
export class TeamChannel {
  private weeks = 0;

  nextWeek(): void {
    this.weeks += 1;
  }

  private answers(week: number) {
    const row = PATTERN[week % PATTERN.length] ?? [];
    return TEAM_MEMBERS.flatMap((userId, i) => {
      const choice = row[i];
      return choice ? [{ deliveryId: `team-week-${week}`, userId, choice }] : [];
    });
  }

  /** The summary posted the morning after last week's prompt; null in the first week. */
  lastSummary(library: Library, now: Date): MessageView | null {
    const week = this.weeks - 1;
    if (week < 0) return null;
    const dueOf = (w: number) => new Date(now.getTime() - (this.weeks - w) * WEEK_MS);
    const weeks = Array.from({ length: Math.min(week + 1, 12) }, (_, i) => week - i)
      .reverse()
      .map((w) => ({ deliveryId: `team-week-${w}`, dueAt: dueOf(w) }));
    const summary = buildTeamSummary({
      channelId: "C0PLAYLEADS",
      week: { deliveryId: `team-week-${week}`, dueAt: dueOf(week) },
      weeks,
      answers: weeks.flatMap((w) => this.answers(Number(w.deliveryId.slice("team-week-".length)))),
      optedIn: NAMED,
    });
    return summaryView(library, summary);
  }
}
