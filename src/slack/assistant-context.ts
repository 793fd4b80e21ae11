import type { AssistantConfig } from "@slack/bolt";
import type { InstallationKey } from "../store/types.js";

/** Bolt's thread context store interface (`Assistant({ threadContextStore })`). */
type ContextStore = NonNullable<AssistantConfig["threadContextStore"]>;
type StoreArgs = Parameters<ContextStore["get"]>[0];
type ThreadContext = Awaited<ReturnType<ContextStore["get"]>>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** `channel:thread_ts` of an assistant event or a message in an assistant thread. */
function threadKey(payload: unknown): string | null {
  if (!isRecord(payload)) return null;
  const thread = isRecord(payload.assistant_thread) ? payload.assistant_thread : undefined;
  const channel = str(thread?.channel_id) ?? str(payload.channel);
  const ts = str(thread?.thread_ts) ?? str(payload.thread_ts);
  return channel && ts ? `${channel}:${ts}` : null;
}

/** The install a thread's context was saved under, as Bolt authorized the event. */
interface Saved {
  readonly context: ThreadContext;
  readonly teamId: string | undefined;
  readonly enterpriseId: string | undefined;
  readonly isEnterpriseInstall: boolean;
}

/**
 * Keeps each panel thread's context (the channel the person is looking at) for Bolt's Assistant.
 * Bolt's default store remembers one context per app instance, whichever thread saved last, so one
 * person's context would be handed to another's thread; this one keys it by thread. It lives in
 * memory (the newest threads, up to `capacity`): the context only travels as metadata on our replies,
 * and a thread whose context was forgotten simply gets none. An uninstall forgets its install's
 * threads (`forgetInstall`): the channels people looked at are that workspace's data too.
 */
export class ThreadContextStore implements ContextStore {
  private readonly contexts = new Map<string, Saved>();

  constructor(private readonly capacity = 10_000) {}

  async get(args: StoreArgs): Promise<ThreadContext> {
    const key = threadKey(args.payload);
    return (key && this.contexts.get(key)?.context) || {};
  }

  async save(args: StoreArgs): Promise<void> {
    const key = threadKey(args.payload);
    const payload = args.payload as unknown as Record<string, unknown>;
    const thread = isRecord(payload.assistant_thread) ? payload.assistant_thread : undefined;
    const context = isRecord(thread?.context) ? thread.context : undefined;
    if (!key || !context) return;
    const kept: ThreadContext = {};
    const channel = str(context.channel_id);
    const team = str(context.team_id);
    if (channel) kept.channel_id = channel;
    if (team) kept.team_id = team;
    if (typeof context.enterprise_id === "string" || context.enterprise_id === null) {
      kept.enterprise_id = context.enterprise_id;
    }
    this.contexts.delete(key);
    this.contexts.set(key, {
      context: kept,
      teamId: args.context.teamId,
      enterpriseId: args.context.enterpriseId,
      isEnterpriseInstall: args.context.isEnterpriseInstall === true,
    });
    if (this.contexts.size > this.capacity) {
      const oldest = this.contexts.keys().next().value;
      if (oldest !== undefined) this.contexts.delete(oldest);
    }
  }

  /**
   * Forgets every thread saved under this install: a workspace install's own threads, or those of
   * every workspace an org-wide install served. Returns how many were forgotten.
   */
  forgetInstall(key: InstallationKey): number {
    let forgotten = 0;
    for (const [thread, saved] of this.contexts) {
      const ofInstall = key.isEnterpriseInstall
        ? saved.isEnterpriseInstall && saved.enterpriseId === key.enterpriseId
        : !saved.isEnterpriseInstall && saved.teamId === key.teamId;
      if (ofInstall && this.contexts.delete(thread)) forgotten += 1;
    }
    return forgotten;
  }
}
