import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { types } from "@slack/bolt";
import type { Prompt } from "../content/prompts.js";
import type { Drift } from "../domain/focus.js";
import type { Delivery } from "../store/deliveries.js";
import type { Store } from "../store/store.js";
import type { TeamSummary } from "./team-summary.js";

/** `metadata.event_type` of every prompt message; its `event_payload.delivery_id` names the delivery. */
export const PROMPT_METADATA_EVENT_TYPE = "em_focus_prompt";

/** A message the pass posts; the Slack views build it (the pass never imports them). */
export interface PassMessage {
  readonly text: string;
  readonly blocks: types.KnownBlock[];
}

/** What a prompt may carry besides its question. */
export interface PromptExtras {
  /** A private "on purpose, or drifting?" nudge (person prompts only, at most once a month). */
  readonly nudge?: Drift;
}

/** Turns a prompt into the message for one delivery; buttons carry `delivery.id` as their value. */
export type RenderPrompt = (prompt: Prompt, delivery: Delivery, extras?: PromptExtras) => PassMessage;
/** Draws a channel's weekly summary. */
export type RenderSummary = (summary: TeamSummary) => PassMessage;

/** The part of Slack's WebClient that delivery uses; a WebClient fits as it is. */
export interface PromptSlackClient {
  readonly chat: {
    postMessage(args: {
      channel: string;
      text: string;
      blocks?: types.KnownBlock[];
      unfurl_links?: boolean;
      unfurl_media?: boolean;
      metadata?: { event_type: string; event_payload: Record<string, string> };
    }): Promise<{ channel?: string; ts?: string }>;
    update(args: {
      channel: string;
      ts: string;
      text: string;
      blocks?: types.KnownBlock[];
    }): Promise<{ ok?: boolean }>;
  };
  readonly conversations: {
    open(args: { users: string }): Promise<{ channel?: { id?: string } }>;
    history(args: { channel: string; include_all_metadata?: boolean; limit?: number }): Promise<{
      messages?: ReadonlyArray<{
        ts?: string;
        metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
      }>;
    }>;
  };
  readonly users: {
    info(args: { user: string }): Promise<{ user?: { tz?: string; deleted?: boolean } }>;
  };
}

/** Bolt's Logger and `console` both fit. */
export interface DeliveryLogger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/** A workspace's Slack client in OAuth mode, and the install it belongs to (a name for logs). */
export interface InstallClient {
  readonly install: string;
  readonly client: PromptSlackClient;
}

/** Finds the client of the install serving a workspace; undefined when none does. */
export interface InstallClients {
  forTeam(teamId: string): Promise<InstallClient | undefined>;
}

export interface DeliverOptions {
  readonly store: Store;
  /** The client of single-workspace mode (SLACK_BOT_TOKEN); unused for a team when `clients` is given. */
  readonly client: PromptSlackClient;
  /** OAuth mode: each workspace's prompts go out with its own install's token. */
  readonly clients?: InstallClients;
  readonly prompts: readonly Prompt[];
  /** Start of the pass (default: the current time); later timestamps advance from it in real time. */
  readonly now?: Date;
  /** Names this process in leases, so one instance never mistakes another's claim for its own. */
  readonly instanceId?: string;
  readonly logger?: DeliveryLogger;
  /** Slack calls in flight at once (default 8). */
  readonly concurrency?: number;
  readonly renderPrompt: RenderPrompt;
  readonly renderSummary: RenderSummary;
  /** How long after a channel prompt its summary is posted (default 24 hours: the next morning). */
  readonly summaryDelayMs?: number;
  /** Answers, notes, deliveries and summaries of prompts older than this are deleted (default 730 days). */
  readonly retentionDays?: number;
  /** How long a claim stays with this pass before another may take it over (default 5 minutes). */
  readonly leaseMs?: number;
  /** Prompts later than this are recorded as missed instead of sent (default 12 hours). */
  readonly maxLatenessMs?: number;
  /** Wait before each retry after a passing error; one more failure after the last gives up. */
  readonly retryDelaysMs?: readonly number[];
  /** How many 429 waits one message may sit through in a pass before it is left for the next one. */
  readonly maxRateLimitWaits?: number;
  /** Rows read from the database at a time (default 500). */
  readonly batchSize?: number;
  /**
   * Messages read from the target conversation, newest first, when looking for a prompt a crashed
   * pass may have sent (default 15: Slack's ceiling for apps outside the Marketplace).
   */
  readonly historyLimit?: number;
  /** For tests: how waiting for Retry-After is done (default: a timer). */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface DeliveryReport {
  /** Deliveries this pass took: new claims plus retries and take-overs of expired claims. */
  claimed: number;
  sent: number;
  /** Deliveries that failed for a passing reason and wait for a later pass. */
  retried: number;
  /** Prompts recorded as missed because they were too late to send. */
  missed: number;
  /** Subscriptions paused because their target cannot be reached. */
  paused: number;
  /** Deliveries given up on. */
  failed: number;
  /** Prompts not sent because the subscriber asked to skip them. */
  skipped: number;
  /** Unexpected errors; their claims are retried once the lease expires. */
  errors: number;
  /** Channel summaries posted (a "not enough answers" one included) or redrawn. */
  summaries: number;
  /** Drift nudges sent with a prompt. */
  nudges: number;
  /** Rows deleted for being older than the retention period. */
  expired: number;
  /** OAuth mode, only when some: installs whose token Slack refused, their prompts kept due. */
  pausedInstalls?: Record<string, string>;
}

export const MINUTE = 60_000;
/** Waits before the retries after a passing error: 1, 5, 15, 60 and 60 minutes. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1, 5, 15, 60, 60].map((m) => m * MINUTE);
/** How long a claim stays with its pass before another may take it over. */
export const DEFAULT_LEASE_MS = 5 * MINUTE;
export const DEFAULT_SUMMARY_DELAY_MS = 24 * 60 * MINUTE;
export const DEFAULT_RETENTION_DAYS = 730;
/** Prompts later than this are recorded as missed. */
export const DEFAULT_MAX_LATENESS_MS = 12 * 60 * MINUTE;

/** Logs nothing: the default when no logger is given. */
export const silentLogger: DeliveryLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Host name, process id and a random part: unique among the instances sharing a database. */
export function defaultInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}
