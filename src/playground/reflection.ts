import { INTEND_ACTIONS } from "../slack/views/home.js";
import { messageHtml } from "./pages.js";
import type { Studio } from "./studio.js";

/**
 * Home's reflection buttons in the playground, answered as the Slack listeners answer them:
 * intended focus, and a note's Edit / Delete. Null for any other action.
 */
export function homeAction(
  studio: Studio,
  actionId: string,
  value: string,
): { refresh: true } | { note: string; week: string } | null {
  const level = Object.entries(INTEND_ACTIONS).find(([, id]) => id === actionId)?.[0];
  if (level !== undefined) {
    studio.intended = level === "off" ? null : (level as "narrow" | "wide" | "ic");
    return { refresh: true };
  }
  if (actionId !== "home_note_edit" && actionId !== "home_note_delete") return null;
  const week = studio.weekOf(value);
  if (week === undefined) return { refresh: true };
  if (actionId === "home_note_delete") {
    studio.addNote("", week);
    return { refresh: true };
  }
  return { note: studio.note(week) ?? "", week: `week-${week}` };
}

/** The simulated leadership channel: this week's channel prompt and the summary it saw last. */
export function teamHtml(studio: Studio): string {
  const { prompt, summary } = studio.teamView();
  const members =
    '<p class="hint">#leads: five simulated members (Ana, Ben, Chen, Dee, Eli) answer privately; Ana and Chen chose to be named. You are not one of them.</p>';
  const promptHtml = prompt ? `<div class="card">${messageHtml(prompt.blocks)}</div>` : "";
  const summaryHtml = summary
    ? `<h3 class="pane-subtitle">Posted in #leads the morning after last week's prompt</h3><div class="card" id="team-summary">${messageHtml(summary.blocks)}</div>`
    : '<p class="hint">The first summary is posted the morning after this week\'s prompt: press "Next week".</p>';
  return members + promptHtml + summaryHtml;
}
