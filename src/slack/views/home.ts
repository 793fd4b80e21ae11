import type { types } from "@slack/bolt";
import type { Library } from "../../content/types.js";
import { LEVEL_NAMES } from "../../content/types.js";
import { formatSchedule, WEEKDAY_NAMES } from "../../prompts/schedule.js";
import { weekStartIn } from "../../store/history.js";
import type {
  AnswerChoice,
  AnswerHistory,
  IntendedFocus,
  NoteEntry,
  PromptSchedule,
  Subscription,
} from "../../store/types.js";
import { type Block, LIMITS } from "./answer.js";
import { LEVEL_MARKERS } from "./levels.js";
import { escapeMrkdwn, truncate } from "./mrkdwn.js";
import { levelSections, overviewBlocks } from "./overview.js";
import { PROMPT_ANSWER_LABELS } from "./prompt.js";
import { describeSubscription } from "./subscriptions.js";

export const HOME_ACTIONS = {
  schedule: "home_schedule",
  stop: "home_stop",
  editNote: "home_note_edit",
  deleteNote: "home_note_delete",
} as const;
/** Intended focus buttons; "off" turns the drift nudge off. */
export const INTEND_ACTIONS = {
  narrow: "home_intend_narrow",
  wide: "home_intend_wide",
  ic: "home_intend_ic",
  off: "home_intend_off",
} as const satisfies Record<IntendedFocus | "off", string>;
/** Notes the Home tab lists (three blocks each, well inside Home's 100). */
export const NOTES_SHOWN = 10;
/** How much of a note Home shows before "…". */
const NOTE_PREVIEW = 600;
export const SCHEDULE_MODAL = "schedule_modal";
/** Weeks of answers the Home tab shows. */
export const HISTORY_WEEKS = 12;
const BAR: Record<AnswerChoice, string> = { ...LEVEL_MARKERS, skip: "⬜" };

/** The last weeks as one text row each: the chart of the person's own pattern. */
export function historyChart(history: AnswerHistory): string {
  return history.weeks
    .map(
      (week) =>
        `\`${week.weekStart}\` ${week.choice ? `${BAR[week.choice]} ${PROMPT_ANSWER_LABELS[week.choice]}` : "· no answer"}`,
    )
    .join("\n");
}

export function mostChosenLevel(history: AnswerHistory): "narrow" | "wide" | "ic" | null {
  const ranked = (["narrow", "wide", "ic"] as const)
    .map((level) => ({ level, count: history.counts[level] }))
    .filter((entry) => entry.count > 0)
    .sort((a, b) => b.count - a.count);
  return ranked[0]?.level ?? null;
}

export interface HomeExtras {
  readonly notes?: readonly NoteEntry[];
  readonly intended?: IntendedFocus | null;
}

function intendedBlocks(intended: IntendedFocus | null): Block[] {
  const levels = ["narrow", "wide", "ic"] as const;
  return [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: intended
          ? `*Your intended focus this quarter:* ${LEVEL_NAMES[intended]}. When three of your last four answers go elsewhere, your next prompt asks, privately: on purpose, or drifting? (At most once a month.)`
          : "*Intended focus:* not set. Choose the level you mean to focus on this quarter, and your prompt will tell you, privately, when your weeks drift away from it (at most once a month).",
      },
    },
    {
      type: "actions",
      elements: [
        ...levels.map((level) => ({
          type: "button" as const,
          action_id: INTEND_ACTIONS[level],
          text: { type: "plain_text" as const, text: LEVEL_NAMES[level] },
          ...(intended === level ? { style: "primary" as const } : {}),
        })),
        ...(intended
          ? [
              {
                type: "button" as const,
                action_id: INTEND_ACTIONS.off,
                text: { type: "plain_text" as const, text: "Turn off" },
              },
            ]
          : []),
      ],
    },
  ];
}

function noteBlocks(notes: readonly NoteEntry[], timeZone: string): Block[] {
  if (notes.length === 0) return [];
  const blocks: Block[] = [
    { type: "header", text: { type: "plain_text", text: "Your notes" } },
    { type: "context", elements: [{ type: "mrkdwn", text: "Only you see these. Newest first." }] },
  ];
  for (const note of notes.slice(0, NOTES_SHOWN)) {
    const week = weekStartIn(timeZone, note.dueAt);
    const level = note.choice === "skip" ? "skipped" : LEVEL_NAMES[note.choice];
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `*Week of ${week}* · ${level}` }] });
    // Plain text: Slack never parses it, so a note can neither ping nor link.
    blocks.push({ type: "section", text: { type: "plain_text", text: truncate(note.note, NOTE_PREVIEW) } });
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: HOME_ACTIONS.editNote,
          text: { type: "plain_text", text: "Edit" },
          value: note.deliveryId,
        },
        {
          type: "button",
          action_id: HOME_ACTIONS.deleteNote,
          text: { type: "plain_text", text: "Delete" },
          style: "danger",
          value: note.deliveryId,
          confirm: {
            title: { type: "plain_text", text: "Delete this note?" },
            text: {
              type: "plain_text",
              text: "Your answer for that week is kept; the note is gone for good.",
            },
            confirm: { type: "plain_text", text: "Delete" },
            deny: { type: "plain_text", text: "Keep it" },
          },
        },
      ],
    });
  }
  return blocks;
}

export function homeView(
  library: Library,
  subscription: Subscription | undefined,
  history: AnswerHistory | null,
  extras: HomeExtras = {},
): types.HomeView {
  const blocks: Block[] = [...overviewBlocks(library), { type: "divider" }];
  blocks.push({ type: "header", text: { type: "plain_text", text: "Weekly reflection" } });
  blocks.push({
    type: "section",
    text: {
      type: "mrkdwn",
      text: subscription
        ? describeSubscription(subscription)
        : "Get one short question a week about where your focus went, answer with one click, and watch your pattern here.",
    },
  });
  blocks.push({
    type: "actions",
    elements: [
      {
        type: "button",
        action_id: HOME_ACTIONS.schedule,
        text: { type: "plain_text", text: subscription ? "Change day and time" : "Subscribe" },
        style: "primary",
      },
      ...(subscription
        ? [
            {
              type: "button" as const,
              action_id: HOME_ACTIONS.stop,
              text: { type: "plain_text" as const, text: "Stop" },
              confirm: {
                title: { type: "plain_text" as const, text: "Stop weekly prompts?" },
                text: { type: "plain_text" as const, text: "Your past answers are kept." },
                confirm: { type: "plain_text" as const, text: "Stop" },
                deny: { type: "plain_text" as const, text: "Keep them" },
              },
            },
          ]
        : []),
    ],
  });
  blocks.push(...intendedBlocks(extras.intended ?? null));
  if (history?.weeks.some((week) => week.choice)) {
    const { counts } = history;
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: truncate(
          `*Your last ${history.weeks.length === 1 ? "week" : `${history.weeks.length} weeks`}*\n${historyChart(history)}\n\n${LEVEL_NAMES.narrow} ${counts.narrow} · ${LEVEL_NAMES.wide} ${counts.wide} · ${LEVEL_NAMES.ic} ${counts.ic} · skipped ${counts.skip}`,
          LIMITS.sectionText,
        ),
      },
    });
    const level = mostChosenLevel(history);
    const section = level ? levelSections(library).find((s) => s.level === level) : undefined;
    if (level && section) {
      blocks.push({
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: truncate(
              `Mostly *${LEVEL_NAMES[level]}* lately. The article: ${escapeMrkdwn(section.summary)}${section.url ? ` <${section.url}|Read more>` : ""}`,
              LIMITS.contextText,
            ),
          },
        ],
      });
    }
  }
  blocks.push(...noteBlocks(extras.notes ?? [], subscription?.timeZone ?? "UTC"));
  return { type: "home", blocks: blocks.slice(0, 100) };
}

export function scheduleModal(current: PromptSchedule | undefined): types.ModalView {
  const weekday = current?.weekday ?? 1;
  const option = (day: number) => ({
    text: { type: "plain_text" as const, text: WEEKDAY_NAMES[day] ?? "" },
    value: String(day),
  });
  return {
    type: "modal",
    callback_id: SCHEDULE_MODAL,
    title: { type: "plain_text", text: "Weekly reflection" },
    submit: { type: "plain_text", text: "Save" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      {
        type: "input",
        block_id: "weekday",
        label: { type: "plain_text", text: "Day" },
        element: {
          type: "static_select",
          action_id: "weekday",
          initial_option: option(weekday),
          options: [1, 2, 3, 4, 5, 6, 0].map(option),
        },
      },
      {
        type: "input",
        block_id: "time",
        label: { type: "plain_text", text: "Time (your own time zone)" },
        element: { type: "timepicker", action_id: "time", initial_time: current?.time ?? "09:00" },
      },
      {
        type: "context",
        elements: [
          { type: "mrkdwn", text: `Currently: ${current ? formatSchedule(current) : "not subscribed"}` },
        ],
      },
    ],
  };
}
