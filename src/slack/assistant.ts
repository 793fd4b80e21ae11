import type { Logger, webApi } from "@slack/bolt";
import { answerKeyOf } from "../store/feedback.js";
import { answerFor, noteNotHelpful } from "./answering.js";

type WebClient = webApi.WebClient;

import { RecentEvents } from "./dedupe.js";
import type { BotDeps } from "./deps.js";
import { stripControl } from "./text.js";
import { findSection, type MessageView } from "./views/answer.js";
import {
  ANSWER_FAILED,
  decodeFeedback,
  FEEDBACK_GONE,
  FEEDBACK_NOT_SAVED,
  FEEDBACK_REFUSED,
  FEEDBACK_THANKS,
  FEEDBACK_UNCHECKED,
  greetingView,
  panelAnswerView,
  panelPrompts,
  THINKING_STATUS,
  threadTitle,
} from "./views/assistant.js";

/** Calls Slack for something cosmetic (title, status, prompts): a failure is logged, never fatal. */
async function attempt(what: string, call: () => Promise<unknown>, logger: Logger): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    logger.warn(
      `Could not ${what} in an assistant thread: ${error instanceof Error ? error.message : error}`,
    );
    return false;
  }
}

/** What the panel helpers of Bolt's Assistant do for one thread. */
export interface PanelThread {
  say(message: MessageView & { unfurl_links?: boolean }): Promise<unknown>;
  setStatus(status: string): Promise<unknown>;
  setTitle(title: string): Promise<unknown>;
  setSuggestedPrompts(params: {
    prompts: { title: string; message: string }[];
    title?: string;
  }): Promise<unknown>;
  saveThreadContext(): Promise<void>;
}

/** Someone opened the panel: keep the context, greet, and offer the content's suggested prompts. */
export async function startPanelThread(deps: BotDeps, thread: PanelThread): Promise<void> {
  await attempt("keep the thread context", () => thread.saveThreadContext(), deps.logger);
  await attempt("post the greeting", () => thread.say(greetingView(deps.library)), deps.logger);
  const prompts = panelPrompts(deps.library);
  if (prompts.length > 0) {
    await attempt(
      "set the suggested prompts",
      () => thread.setSuggestedPrompts({ title: "Try asking", prompts }),
      deps.logger,
    );
  }
}

/** A message a person typed in a panel thread (or any DM thread: Bolt sends those all here). */
export interface PanelMessage {
  channel: string;
  threadTs: string;
  user: string;
  text: string;
}

/** Only what a person typed: no other bots, no edits or deletions (Bolt passes file shares too). */
export function parsePanelMessage(message: unknown): PanelMessage | null {
  if (typeof message !== "object" || message === null) return null;
  const m = message as Record<string, unknown>;
  if (m.subtype !== undefined && m.subtype !== "file_share") return null;
  if (m.bot_id !== undefined && m.bot_id !== null) return null;
  if (typeof m.channel !== "string" || typeof m.thread_ts !== "string" || typeof m.user !== "string")
    return null;
  return {
    channel: m.channel,
    threadTs: m.thread_ts,
    user: m.user,
    text: typeof m.text === "string" ? stripControl(m.text) : "",
  };
}

/** Threads whose title is set: the first question names the thread, follow-ups do not rename it. */
export function titledThreads(): RecentEvents {
  return new RecentEvents(7 * 24 * 60 * 60_000, 50_000);
}

/**
 * Answers one message in a panel thread on its own: status while answering, the thread title from the
 * first question, then the answer card in the thread (Slack clears the status when it arrives). Title
 * and status are cosmetic: when Slack refuses them the answer still comes. When the answer cannot be
 * posted, the status is cleared and the person is told.
 */
export async function answerInPanel(
  deps: BotDeps,
  message: PanelMessage,
  thread: PanelThread,
  titled: RecentEvents,
): Promise<void> {
  await attempt("set the status", () => thread.setStatus(THINKING_STATUS), deps.logger);
  const title = threadTitle(message.text);
  if (title && titled.firstTime(`${message.channel}:${message.threadTs}`)) {
    await attempt("set the title", () => thread.setTitle(title), deps.logger);
  }
  const view = panelAnswerView(deps.library, answerFor(deps, message.text));
  try {
    await thread.say({ ...view, unfurl_links: false });
  } catch (error) {
    deps.logger.error("Could not post an answer in an assistant thread", error);
    await attempt("clear the status", () => thread.setStatus(""), deps.logger);
    await attempt(
      "say the answer failed",
      () => thread.say({ text: ANSWER_FAILED, blocks: [] }),
      deps.logger,
    );
  }
}

/** A 👍/👎 click on a panel answer, from the signed payload; `value` is the button's, untrusted. */
export interface FeedbackClick {
  teamId: string;
  userId: string;
  /** Where the clicked message is, and the message itself, as Slack describes them. */
  channel: string | undefined;
  messageTs: string | undefined;
  threadTs: string | undefined;
  /** Whether the clicked message was posted by this app. */
  fromApp: boolean;
  value: unknown;
}

/** Reads a thread's messages (conversations.replies), or throws. */
export type ReadThread = (channel: string, threadTs: string) => Promise<Array<Record<string, unknown>>>;

/** Up to `pages` pages of 200 replies: a panel thread longer than that is not a conversation anyone rates. */
export function threadReader(client: WebClient, pages = 5): ReadThread {
  return async (channel, ts) => {
    const messages: Array<Record<string, unknown>> = [];
    let cursor: string | undefined;
    for (let page = 0; page < pages; page += 1) {
      const result = await client.conversations.replies({
        channel,
        ts,
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      messages.push(...((result.messages ?? []) as Array<Record<string, unknown>>));
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return messages;
  };
}

export type FeedbackOutcome =
  | { kind: "recorded"; text: string }
  | { kind: "refused" | "gone" | "unchecked" | "not-saved"; text: string };

/**
 * Records a 👍/👎 on a panel answer. Refused unless the clicked message is this app's, in a direct
 * message, and the thread holds a message the clicker wrote: a DM has only the app and one person, so
 * that makes it the clicker's own conversation. What was rated comes from the button value, which is
 * only trusted to name a section that exists.
 */
export async function recordPanelFeedback(
  deps: BotDeps,
  click: FeedbackClick,
  readThread: ReadThread,
): Promise<FeedbackOutcome> {
  const ref = decodeFeedback(click.value);
  const section = ref && findSection(deps.library, ref);
  if (!ref || !section) return { kind: "gone", text: FEEDBACK_GONE };
  const { channel, messageTs, threadTs } = click;
  if (!click.fromApp || !channel?.startsWith("D") || !messageTs || !threadTs) {
    deps.logger.warn(`Refused feedback from ${click.userId}: not on an answer in a direct message`);
    return { kind: "refused", text: FEEDBACK_REFUSED };
  }
  let messages: Array<Record<string, unknown>>;
  try {
    messages = await readThread(channel, threadTs);
  } catch (error) {
    deps.logger.warn(
      `Could not read an assistant thread to check feedback: ${error instanceof Error ? error.message : error}`,
    );
    return { kind: "unchecked", text: FEEDBACK_UNCHECKED };
  }
  const answerThere = messages.some((m) => m.ts === messageTs);
  const clickerThere = messages.some(
    (m) => m.user === click.userId && m.bot_id === undefined && m.subtype === undefined,
  );
  if (!answerThere || !clickerThere) {
    deps.logger.warn(
      `Refused feedback from ${click.userId} on a message in a conversation that is not theirs`,
    );
    return { kind: "refused", text: FEEDBACK_REFUSED };
  }
  let countsAsGap: boolean;
  try {
    ({ countsAsGap } = await deps.store.recordFeedback({
      teamId: click.teamId,
      userId: click.userId,
      answerKey: answerKeyOf(channel, messageTs, section.article, section.id),
      articleSlug: section.article,
      sectionId: section.id,
      helpful: ref.helpful,
      now: deps.now(),
    }));
  } catch (error) {
    deps.logger.error("Could not record feedback from the assistant panel", error);
    return { kind: "not-saved", text: FEEDBACK_NOT_SAVED };
  }
  if (countsAsGap && ref.question) noteNotHelpful(deps, ref.question, section.article, section.id);
  return { kind: "recorded", text: ref.helpful ? FEEDBACK_THANKS.helpful : FEEDBACK_THANKS.notHelpful };
}
