import type { webApi } from "@slack/bolt";
import { answerInPanel, type PanelMessage, type PanelThread } from "./assistant.js";
import type { RecentEvents } from "./dedupe.js";
import type { BotDeps } from "./deps.js";
import { panelPrompts } from "./views/assistant.js";

/*
 * Slack's Agent messaging experience (`features.agent_view` in the manifest, the default for AI apps
 * since mid-2026; `assistant_view` is legacy). The app's Messages tab is the agent's surface:
 * - opening it sends `app_home_opened` with `tab: "messages"` (no `assistant_thread_started`), and
 *   suggested prompts are pinned to the top of the tab with `assistant.threads.setSuggestedPrompts`
 *   without a `thread_ts`;
 * - a person's message there is a top-level DM; the answer goes into the thread under it (`thread_ts`
 *   is the message's `ts`), and replies in that thread reach Bolt's Assistant like panel threads do.
 * Sources: bolt-js docs/english/concepts/adding-agent-features.md ("agent_view (default)"), Slack's
 * assistant_thread_started reference ("Apps using the Agent messaging experience").
 * Assumptions (not found documented): the thread under a top-level DM takes the assistant.threads
 * status and title like a panel thread (Slack's compatibility bridge to agent sessions), and the
 * tab's prompts keep the panel's limit of four.
 */

type WebClient = webApi.WebClient;

/** Slack's suggested prompts heading, shown above the chips on the Messages tab. */
export const MESSAGES_TAB_PROMPTS_TITLE = "Try asking";

/** The person opened the Messages tab: pin the content's suggested prompts there (cosmetic: logged on failure). */
export async function messagesTabOpened(deps: BotDeps, client: WebClient, channel: string): Promise<void> {
  const prompts = panelPrompts(deps.library);
  if (prompts.length === 0 || !channel.startsWith("D")) return;
  try {
    await client.assistant.threads.setSuggestedPrompts({
      channel_id: channel,
      title: MESSAGES_TAB_PROMPTS_TITLE,
      prompts,
    });
  } catch (error) {
    deps.logger.warn(
      `Could not set the suggested prompts on the Messages tab: ${error instanceof Error ? error.message : error}`,
    );
  }
}

/** The thread under a top-level message in the Messages tab, with the calls the panel makes in its threads. */
export function threadUnder(client: WebClient, channel: string, threadTs: string): PanelThread {
  const where = { channel_id: channel, thread_ts: threadTs };
  return {
    say: (message) => client.chat.postMessage({ channel, thread_ts: threadTs, ...message }),
    setStatus: (status) => client.assistant.threads.setStatus({ ...where, status }),
    setTitle: (title) => client.assistant.threads.setTitle({ ...where, title }),
    setSuggestedPrompts: (params) => client.assistant.threads.setSuggestedPrompts({ ...where, ...params }),
    // The Messages tab has no thread context (the panel's "channel you are looking at").
    saveThreadContext: async () => {},
  };
}

/**
 * A question typed (or a suggested prompt clicked) in the Messages tab: answered in the thread under
 * it as in the panel: status, title, the answer card with Other levels and the native 👍/👎. The
 * thread is remembered as titled so a follow-up in it does not rename it.
 */
export async function answerInMessagesTab(
  deps: BotDeps,
  client: WebClient,
  message: { channel: string; ts: string; user: string; text: string },
  titled: RecentEvents,
): Promise<void> {
  const question: PanelMessage = {
    channel: message.channel,
    threadTs: message.ts,
    user: message.user,
    text: message.text,
  };
  await answerInPanel(deps, question, threadUnder(client, message.channel, message.ts), titled);
}
