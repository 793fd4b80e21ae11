import { fileURLToPath } from "node:url";
import type { App } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { loadLibrary } from "../src/content/load.js";
import { answerQuestion } from "../src/match/answer.js";
import { Matcher } from "../src/match/matcher.js";
import type { BotDeps } from "../src/slack/deps.js";
import { registerListeners } from "../src/slack/listeners/index.js";
import { answerView } from "../src/slack/views/answer.js";
import { greetingView, panelAnswerView } from "../src/slack/views/assistant.js";
import { homeView, scheduleModal } from "../src/slack/views/home.js";
import { otherLevelsView, overviewView, replyView } from "../src/slack/views/overview.js";
import {
  answeredPromptBlocks,
  noteModal,
  privateConfirmation,
  renderPromptMessage,
} from "../src/slack/views/prompt.js";
import { chooseTargetView, forgetMeView, notice } from "../src/slack/views/subscriptions.js";
import type { AnswerHistory, Delivery, Subscription } from "../src/store/types.js";
import { validateBlocks } from "../test-support/fake-slack.js";
import { TWO_SECTIONS } from "../test-support/questions.js";

const library = loadLibrary(fileURLToPath(new URL("../content", import.meta.url)), {
  baseUrl: "https://x.test/articles",
});
const matcher = new Matcher(library);

/** Records what the listeners register; no request is ever sent. */
function recordingApp(): App {
  const noop = () => undefined;
  return {
    use: noop,
    command: noop,
    event: noop,
    message: noop,
    action: noop,
    view: noop,
    assistant: noop,
  } as unknown as App;
}

const listeners = registerListeners(recordingApp(), { library, matcher } as unknown as BotDeps);

const subscription: Subscription = {
  id: "s1",
  teamId: "T1",
  targetType: "user",
  targetId: "U1",
  subscribedBy: "U1",
  schedule: { weekday: 1, time: "09:00" },
  timeZone: "Europe/Berlin",
  timeZoneCheckedAt: null,
  nextPromptAt: new Date("2026-11-30T08:00:00Z"),
  skipNext: false,
  pausedReason: null,
  pausedAt: null,
  promptsUsed: [],
  createdAt: new Date(0),
  updatedAt: new Date(0),
};
const history: AnswerHistory = {
  weeks: [
    { weekStart: "2026-11-16", choice: "narrow", note: null },
    { weekStart: "2026-11-23", choice: null, note: null },
  ] as AnswerHistory["weeks"],
  counts: { narrow: 1, wide: 0, ic: 0, skip: 0 },
};
const delivery = { id: "d1", teamId: "T1", targetType: "user", targetId: "U1" } as unknown as Delivery;
const icSection = library.sections.find((s) => s.level === "ic") as (typeof library.sections)[number];
const twoSections = answerQuestion(matcher, TWO_SECTIONS);
const prompt = { id: "p", text: "Where did your week go?", level: null } as never;

/** Every view the app sends or opens, each as Slack receives it. */
const VIEWS: Record<string, { blocks?: unknown; callback_id?: string }> = {
  "answer with buttons and alternatives": replyView(library, twoSections, { buttons: true }),
  "answer after feedback": answerView(
    { ...twoSections, section: twoSections.section ?? icSection },
    {
      buttons: true,
      feedbackNote: "thanks",
    },
  ),
  "answer in a thread": replyView(library, answerQuestion(matcher, "I miss coding")),
  "no guidance": replyView(library, answerQuestion(matcher, "best pizza in town")),
  "other levels": otherLevelsView(library, icSection),
  overview: overviewView(library),
  "home, subscribed": homeView(library, subscription, history),
  "home, not subscribed": homeView(library, undefined, null),
  "schedule modal": scheduleModal(subscription.schedule),
  "note modal": noteModal("d1"),
  "choose where prompts go": chooseTargetView({ weekday: 2, time: "10:30" }),
  "forget me": forgetMeView("U1"),
  notice: notice("ok"),
  "assistant panel greeting": greetingView(library),
  "assistant panel answer": panelAnswerView(library, twoSections),
  "weekly prompt": renderPromptMessage(library, prompt, delivery) as never,
  "prompt answered privately": privateConfirmation("wide", "d1"),
  "prompt answered in place": {
    blocks: answeredPromptBlocks(renderPromptMessage(library, prompt, delivery).blocks, "ic", "d1"),
  },
};

function buttonsIn(blocks: unknown): string[] {
  const ids: string[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object") {
      const record = value as Record<string, unknown>;
      const clickable = record.type === "button" || record.type === "feedback_buttons";
      if (clickable && typeof record.action_id === "string") ids.push(record.action_id);
      Object.values(record).forEach(visit);
    }
  };
  visit(blocks);
  return ids;
}

describe("every view against the listeners", () => {
  it.each(Object.entries(VIEWS))(
    "%s: each button has a listener, and Slack would accept the blocks",
    (_name, view) => {
      for (const actionId of buttonsIn(view.blocks))
        expect(listeners.handlesButton(actionId), actionId).toBe(true);
      expect(validateBlocks(view.blocks, 100)).toEqual([]);
    },
  );

  it.each(Object.entries(VIEWS).filter(([, view]) => view.callback_id !== undefined))(
    "%s: the modal's submission has a listener",
    (_name, view) => {
      expect(listeners.handlesSubmission(String(view.callback_id))).toBe(true);
    },
  );

  it("covers every kind of button the app registers", () => {
    const rendered = new Set(Object.values(VIEWS).flatMap((view) => buttonsIn(view.blocks)));
    for (const id of [
      "answer_share",
      "answer_also_relevant",
      "prompt_add_note",
      "home_schedule",
      "forget_me_confirm",
    ]) {
      expect(rendered).toContain(id);
    }
    expect(listeners.handlesButton("not_a_button_of_ours")).toBe(false);
    expect(listeners.handlesSubmission("not_a_modal_of_ours")).toBe(false);
  });
});
