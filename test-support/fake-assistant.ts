/**
 * The fake's assistant.threads.* methods and the Block Kit checks for native feedback, kept apart from
 * fake-slack.ts. Arguments are checked as Slack documents them:
 * - setStatus: `channel_id`, `thread_ts`, `status` required (an empty status clears it);
 *   `loading_messages` at most 10.
 * - setSuggestedPrompts: `channel_id`, `prompts` required; at most four prompts, each with a `title`
 *   and a `message`; optional `title`. `thread_ts` is required in the legacy assistant panel
 *   (`assistant_view`); under the Agent messaging experience (`agent_view`) it may be left out, and the
 *   prompts are pinned to the top of the app's Messages tab (bolt-js "adding agent features" docs).
 *   What Slack answers a legacy app that leaves it out is not documented: `invalid_arguments` here.
 * - setTitle: `channel_id`, `thread_ts`, `title` required.
 * Assistant threads live in the app's DM with the person (an IM, `D…`); `thread_ts` is a Slack ts.
 * Slack clears a thread's status when the app replies in it: `messagePosted` models that.
 */

type Args = Record<string, unknown>;

interface Result {
  ok: boolean;
  error?: string;
  [key: string]: unknown;
}

export const ASSISTANT_LIMITS = { prompts: 4, loadingMessages: 10, contextActions: 5, feedbackText: 75 };

const TS = /^\d+\.\d+$/;

function invalid(problems: string[]): Result {
  return {
    ok: false,
    error: "invalid_arguments",
    response_metadata: { messages: problems.map((problem) => `[ERROR] ${problem}`) },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

/** The app's AI experience, as its manifest sets it: the legacy panel or the Messages tab. */
export type MessagingExperience = "assistant_view" | "agent_view";

/** Per-thread state the assistant methods keep: status and title; per DM, the Messages tab's prompts. */
export class FakeAssistantThreads {
  private readonly statuses = new Map<string, string>();
  private readonly titles = new Map<string, string>();
  private readonly tabPrompts = new Map<string, { title?: string; prompts: unknown[] }>();
  experience: MessagingExperience = "assistant_view";

  /** The handler for an `assistant.threads.*` method, or undefined for any other method. */
  handler(method: string): ((args: Args) => Result) | undefined {
    switch (method) {
      case "assistant.threads.setStatus":
        return (args) => this.setStatus(args);
      case "assistant.threads.setSuggestedPrompts":
        return (args) => this.setSuggestedPrompts(args);
      case "assistant.threads.setTitle":
        return (args) => this.setTitle(args);
      default:
        return undefined;
    }
  }

  /** The status shown in a thread now ("" or undefined: none). */
  status(channel: string, threadTs: string): string | undefined {
    return this.statuses.get(`${channel}:${threadTs}`);
  }

  title(channel: string, threadTs: string): string | undefined {
    return this.titles.get(`${channel}:${threadTs}`);
  }

  /** The suggested prompts pinned to a DM's Messages tab (agent_view), if any. */
  messagesTabPrompts(channel: string): { title?: string; prompts: unknown[] } | undefined {
    return this.tabPrompts.get(channel);
  }

  /** The app replied in a thread: Slack removes the status there. */
  messagePosted(channel: string, threadTs: string | undefined): void {
    if (threadTs !== undefined) this.statuses.delete(`${channel}:${threadTs}`);
  }

  reset(): void {
    this.statuses.clear();
    this.titles.clear();
    this.tabPrompts.clear();
    this.experience = "assistant_view";
  }

  /** channel_id and thread_ts: required; then the errors Slack gives for a wrong channel or thread. */
  private thread(args: Args, problems: string[]): Result | string {
    if (!nonEmpty(args.channel_id)) problems.push("missing required field: channel_id");
    if (!nonEmpty(args.thread_ts)) problems.push("missing required field: thread_ts");
    if (problems.length > 0) return invalid(problems);
    const channel = args.channel_id as string;
    const ts = args.thread_ts as string;
    if (!channel.startsWith("D")) return { ok: false, error: "channel_not_found" };
    if (!TS.test(ts)) return { ok: false, error: "invalid_thread_ts" };
    return `${channel}:${ts}`;
  }

  private setStatus(args: Args): Result {
    const problems: string[] = [];
    if (typeof args.status !== "string") problems.push("missing required field: status");
    if (args.loading_messages !== undefined) {
      const messages = args.loading_messages;
      if (!Array.isArray(messages) || messages.some((m) => typeof m !== "string")) {
        problems.push("must be an array of strings [json-pointer:/loading_messages]");
      } else if (messages.length > ASSISTANT_LIMITS.loadingMessages) {
        problems.push(
          `no more than ${ASSISTANT_LIMITS.loadingMessages} items allowed [json-pointer:/loading_messages]`,
        );
      }
    }
    const key = this.thread(args, problems);
    if (typeof key !== "string") return key;
    this.statuses.set(key, args.status as string);
    return { ok: true };
  }

  private setSuggestedPrompts(args: Args): Result {
    const problems: string[] = [];
    const prompts = args.prompts;
    if (prompts === undefined) problems.push("missing required field: prompts");
    else if (!Array.isArray(prompts)) problems.push("must be an array [json-pointer:/prompts]");
    else {
      if (prompts.length === 0) problems.push("must provide at least 1 item [json-pointer:/prompts]");
      if (prompts.length > ASSISTANT_LIMITS.prompts) {
        problems.push(`no more than ${ASSISTANT_LIMITS.prompts} items allowed [json-pointer:/prompts]`);
      }
      prompts.forEach((prompt: unknown, index) => {
        const entry = isRecord(prompt) ? prompt : {};
        for (const key of ["title", "message"]) {
          if (!nonEmpty(entry[key]))
            problems.push(`missing required field: ${key} [json-pointer:/prompts/${index}]`);
        }
      });
    }
    if (args.title !== undefined && typeof args.title !== "string") {
      problems.push("must be a string [json-pointer:/title]");
    }
    if (args.thread_ts === undefined && this.experience === "agent_view") {
      if (!nonEmpty(args.channel_id)) problems.push("missing required field: channel_id");
      if (problems.length > 0) return invalid(problems);
      const channel = args.channel_id as string;
      if (!channel.startsWith("D")) return { ok: false, error: "channel_not_found" };
      this.tabPrompts.set(channel, {
        prompts: prompts as unknown[],
        ...(typeof args.title === "string" ? { title: args.title } : {}),
      });
      return { ok: true };
    }
    const key = this.thread(args, problems);
    return typeof key === "string" ? { ok: true } : key;
  }

  private setTitle(args: Args): Result {
    const problems: string[] = [];
    if (!nonEmpty(args.title)) problems.push("missing required field: title");
    const key = this.thread(args, problems);
    if (typeof key !== "string") return key;
    this.titles.set(key, args.title as string);
    return { ok: true };
  }
}

function checkPlainText(value: unknown, max: number, pointer: string, problems: string[]): void {
  if (!isRecord(value) || value.type !== "plain_text" || typeof value.text !== "string") {
    problems.push(`must be a plain_text object [json-pointer:${pointer}]`);
  } else if (value.text.length > max) {
    problems.push(`must be less than ${max + 1} characters [json-pointer:${pointer}/text]`);
  }
}

/**
 * A `context_actions` block: 1-5 elements, each `feedback_buttons` or `icon_button`; feedback buttons
 * need both buttons, each with plain_text `text` (75) and a `value` (2,000).
 */
export function validateContextActions(block: Record<string, unknown>, at: string, problems: string[]): void {
  const elements = block.elements;
  if (!Array.isArray(elements) || elements.length === 0) {
    problems.push(`must provide at least 1 item [json-pointer:${at}/elements]`);
    return;
  }
  if (elements.length > ASSISTANT_LIMITS.contextActions) {
    problems.push(
      `no more than ${ASSISTANT_LIMITS.contextActions} items allowed [json-pointer:${at}/elements]`,
    );
  }
  elements.forEach((element: unknown, index) => {
    const pointer = `${at}/elements/${index}`;
    if (!isRecord(element) || (element.type !== "feedback_buttons" && element.type !== "icon_button")) {
      problems.push(`must be feedback_buttons or icon_button [json-pointer:${pointer}/type]`);
      return;
    }
    if (element.type !== "feedback_buttons") return;
    for (const side of ["positive_button", "negative_button"]) {
      const button = element[side];
      if (!isRecord(button)) {
        problems.push(`missing required field: ${side} [json-pointer:${pointer}]`);
        continue;
      }
      checkPlainText(button.text, ASSISTANT_LIMITS.feedbackText, `${pointer}/${side}/text`, problems);
      if (typeof button.value !== "string" || button.value === "") {
        problems.push(`missing required field: value [json-pointer:${pointer}/${side}]`);
      } else if (button.value.length > 2000) {
        problems.push(`must be less than 2001 characters [json-pointer:${pointer}/${side}/value]`);
      }
    }
  });
}
