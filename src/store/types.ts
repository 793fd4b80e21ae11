import type { FocusLevel } from "../content/types.js";

export type DialectName = "sqlite" | "postgres";

/** 0 = Sunday … 6 = Saturday, as in cron and `Date#getDay`. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** When a subscriber wants the prompt: a weekday and a local wall-clock time "HH:MM". */
export interface PromptSchedule {
  readonly weekday: Weekday;
  readonly time: string;
}

/** A person (DM) or a channel (team reflection). */
export type TargetType = "user" | "channel";

export interface SubscriptionTarget {
  readonly teamId: string;
  readonly targetType: TargetType;
  /** User id for a person, channel id for a channel. */
  readonly targetId: string;
}

export interface Subscription extends SubscriptionTarget {
  readonly id: string;
  /** Who subscribed; null once that person asked to be forgotten (channel subscriptions). */
  readonly subscribedBy: string | null;
  readonly schedule: PromptSchedule;
  /** IANA zone the schedule is read in: the person's own, or the subscriber's for a channel. */
  readonly timeZone: string;
  readonly nextPromptAt: Date;
  readonly skipNext: boolean;
  /** Why deliveries stopped (a Slack error such as `channel_not_found`), or null when active. */
  readonly pausedReason: string | null;
  readonly pausedAt: Date | null;
  /** Prompt ids already sent in the current pass through the prompts. */
  readonly promptsUsed: readonly string[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface SubscriptionInput extends SubscriptionTarget {
  readonly subscribedBy: string;
  readonly schedule: PromptSchedule;
  readonly timeZone: string;
  readonly nextPromptAt: Date;
  readonly now: Date;
}

/**
 * - `claimed`: an instance holds the lease and is sending (or died while sending).
 * - `retrying`: a send failed for a passing reason; a later pass tries again at `nextAttemptAt`.
 * - `sent`: Slack accepted the message.
 * - `failed`: gave up (too many attempts, or an error that pauses the subscription).
 * - `missed`: too late to be worth sending.
 * - `skipped`: the subscriber asked to skip this one.
 * - `cancelled`: the subscription was paused or removed before the delivery went out.
 */
export type DeliveryStatus = "claimed" | "retrying" | "sent" | "failed" | "missed" | "skipped" | "cancelled";

export interface Delivery extends SubscriptionTarget {
  readonly id: string;
  readonly subscriptionId: string;
  readonly dueAt: Date;
  /** Null for deliveries that were never meant to be sent (missed, skipped). */
  readonly promptId: string | null;
  readonly status: DeliveryStatus;
  /** Send attempts started, counting the one in progress. */
  readonly attempts: number;
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: Date | null;
  readonly nextAttemptAt: Date | null;
  readonly lastError: string | null;
  /** Where the message went (a DM channel for a person) and its ts, once sent. */
  readonly channelId: string | null;
  readonly messageTs: string | null;
  readonly sentAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ClaimDueDeliveryInput {
  readonly subscriptionId: string;
  /** The subscription's `nextPromptAt` as read; the claim fails if it has moved since. */
  readonly expectedNextPromptAt: Date;
  readonly dueAt: Date;
  readonly promptId: string;
  /** The rotation after this prompt, stored on the subscription with the claim. */
  readonly promptsUsed: readonly string[];
  readonly nextPromptAt: Date;
  readonly owner: string;
  readonly leaseUntil: Date;
  readonly now: Date;
}

export interface RecordUnsentDeliveryInput {
  readonly subscriptionId: string;
  readonly expectedNextPromptAt: Date;
  readonly dueAt: Date;
  readonly status: "missed" | "skipped";
  readonly nextPromptAt: Date;
  readonly now: Date;
}

export interface RescheduleInput {
  readonly expectedNextPromptAt: Date;
  readonly nextPromptAt: Date;
  readonly timeZone: string;
  readonly now: Date;
}

export interface LeaseInput {
  readonly owner: string;
  readonly leaseUntil: Date;
  readonly now: Date;
}

/** The four buttons on a prompt: a focus level, or "skip this week". */
export type AnswerChoice = FocusLevel | "skip";

export interface Answer {
  readonly deliveryId: string;
  readonly teamId: string;
  readonly userId: string;
  readonly choice: AnswerChoice;
  readonly note: string | null;
  readonly promptId: string | null;
  readonly dueAt: Date;
  readonly answeredAt: Date;
}

export interface AnswerInput {
  readonly deliveryId: string;
  readonly teamId: string;
  readonly userId: string;
  readonly choice: AnswerChoice;
  /** Left out: keep the note already given. Null: remove it. */
  readonly note?: string | null;
  readonly now: Date;
}

export interface HistoryWeek {
  /** Local date (YYYY-MM-DD) of the Monday that starts the week, in the asked time zone. */
  readonly weekStart: string;
  /** The latest answer for a prompt due that week, or null when there was none. */
  readonly choice: AnswerChoice | null;
  readonly note: string | null;
}

export interface AnswerHistory {
  /** Oldest week first; the last entry is the current week. */
  readonly weeks: readonly HistoryWeek[];
  /** How many of those weeks had each answer. */
  readonly counts: Readonly<Record<AnswerChoice, number>>;
}

export interface HistoryOptions {
  readonly weeks: number;
  readonly now: Date;
  readonly timeZone: string;
}

export interface FeedbackInput {
  readonly teamId: string;
  readonly userId: string;
  readonly articleSlug: string;
  readonly sectionId: string;
  readonly helpful: boolean;
  readonly now: Date;
}

export interface Feedback {
  readonly id: string;
  readonly teamId: string;
  readonly userId: string;
  readonly articleSlug: string;
  readonly sectionId: string;
  readonly helpful: boolean;
  readonly createdAt: Date;
}

/** Rows removed (or, for channel subscriptions they set up, made anonymous) by `forgetUser`. */
export interface ForgetReport {
  readonly subscriptions: number;
  readonly channelSubscriptionsAnonymised: number;
  readonly deliveries: number;
  readonly answers: number;
  readonly feedback: number;
}

export type StoreHealth =
  | { readonly ok: true; readonly dialect: DialectName; readonly latencyMs: number }
  | { readonly ok: false; readonly dialect: DialectName; readonly error: string };

export interface DueSubscriptionsPage {
  readonly limit: number;
  /** Keyset cursor: the last subscription of the previous page. */
  readonly after?: { readonly nextPromptAt: Date; readonly id: string };
}

export interface Store {
  readonly dialect: DialectName;

  /** Creates the subscription for the target, or replaces its schedule; unpauses and clears skip. */
  upsertSubscription(input: SubscriptionInput): Promise<{ subscription: Subscription; created: boolean }>;
  getSubscription(id: string): Promise<Subscription | undefined>;
  findSubscription(target: SubscriptionTarget): Promise<Subscription | undefined>;
  /** The person's own subscription and the channel subscriptions they set up. */
  listSubscriptionsForUser(teamId: string, userId: string): Promise<Subscription[]>;
  /** Active subscriptions whose next prompt is due at `now`, oldest due first. */
  listDueSubscriptions(now: Date, page: DueSubscriptionsPage): Promise<Subscription[]>;
  /** Moves the next prompt (e.g. after a time-zone change); false if it moved meanwhile. */
  rescheduleSubscription(id: string, input: RescheduleInput): Promise<boolean>;
  pauseSubscription(id: string, reason: string, now: Date): Promise<boolean>;
  resumeSubscription(id: string, nextPromptAt: Date, now: Date): Promise<boolean>;
  setSkipNext(id: string, skipNext: boolean, now: Date): Promise<boolean>;
  /** Removes the subscription; its past deliveries and answers stay for history. */
  deleteSubscription(target: SubscriptionTarget): Promise<boolean>;

  /**
   * Claims the delivery for (subscription, dueAt) and moves the subscription to its next prompt,
   * in one transaction. Undefined when another pass claimed it first or the subscription moved.
   */
  claimDueDelivery(input: ClaimDueDeliveryInput): Promise<Delivery | undefined>;
  /** Records a due prompt that will not be sent (missed or skipped) and moves the subscription on. */
  recordUnsentDelivery(input: RecordUnsentDeliveryInput): Promise<boolean>;
  /** Deliveries to try again: retry time reached, or claimed by an instance whose lease expired. */
  listRetryableDeliveries(now: Date, limit: number): Promise<Delivery[]>;
  reclaimDelivery(id: string, lease: LeaseInput): Promise<Delivery | undefined>;
  extendDeliveryLease(id: string, lease: LeaseInput): Promise<boolean>;
  markDeliverySent(
    id: string,
    sent: { owner: string; channelId: string; messageTs: string; now: Date },
  ): Promise<boolean>;
  markDeliveryRetrying(
    id: string,
    retry: { owner: string; error: string; nextAttemptAt: Date; attempts?: number; now: Date },
  ): Promise<boolean>;
  /** Gives up on the delivery; with `pauseSubscription` also pauses its subscription with the error. */
  markDeliveryFailed(
    id: string,
    failure: { owner: string; error: string; pauseSubscription: boolean; now: Date },
  ): Promise<boolean>;
  markDeliveryMissed(id: string, missed: { owner: string; now: Date }): Promise<boolean>;
  markDeliveryCancelled(
    id: string,
    cancelled: { owner: string; reason: string; now: Date },
  ): Promise<boolean>;
  getDelivery(id: string): Promise<Delivery | undefined>;
  listDeliveries(subscriptionId: string): Promise<Delivery[]>;

  /** One answer per delivery and person; answering again replaces it. Undefined for unknown deliveries. */
  recordAnswer(input: AnswerInput): Promise<Answer | undefined>;
  getAnswer(deliveryId: string, userId: string): Promise<Answer | undefined>;
  /** Sets or (with null) removes the note of an answer already given; undefined when there is none. */
  setAnswerNote(deliveryId: string, userId: string, note: string | null): Promise<Answer | undefined>;
  answerHistory(teamId: string, userId: string, options: HistoryOptions): Promise<AnswerHistory>;

  recordFeedback(input: FeedbackInput): Promise<Feedback>;

  /** Deletes every row about the person; channel subscriptions they set up lose their name. */
  forgetUser(teamId: string, userId: string): Promise<ForgetReport>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
