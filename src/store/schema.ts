import type { Generated } from "kysely";

/**
 * Table shapes as Kysely sees them. Timestamps are epoch milliseconds (`bigint` on PostgreSQL,
 * `integer` affinity on SQLite); flags are 0/1 integers because SQLite has no boolean type.
 */
export interface Database {
  subscriptions: SubscriptionsTable;
  deliveries: DeliveriesTable;
  answers: AnswersTable;
  feedback: FeedbackTable;
  gaps: GapsTable;
  store_heartbeat: StoreHeartbeatTable;
  intended_focus: IntendedFocusTable;
  summary_name_optins: SummaryNameOptinsTable;
  team_summaries: TeamSummariesTable;
  installations: InstallationsTable;
  installation_teams: InstallationTeamsTable;
  oauth_states_used: OAuthStatesUsedTable;
  event_claims: EventClaimsTable;
}

/** A Slack event some app process has taken on (see event-claims.ts); deleted once expired. */
export interface EventClaimsTable {
  /** The event's `event_id`. */
  key: string;
  claimed_at: number;
  expires_at: number;
}

/** One install of the app over OAuth: a workspace's (team_id set) or an org's (team_id ""). */
export interface InstallationsTable {
  /** "" outside Enterprise Grid. */
  enterprise_id: string;
  /** "" for an org-wide install. */
  team_id: string;
  is_enterprise_install: number;
  team_name: string | null;
  enterprise_name: string | null;
  enterprise_url: string | null;
  app_id: string | null;
  bot_id: string | null;
  bot_user_id: string | null;
  /** Comma-separated, as Slack gives them. */
  bot_scopes: string;
  installer_user_id: string | null;
  /** Which EM_FOCUS_ENCRYPTION_KEY sealed the tokens of this row. */
  key_id: string;
  /** Sealed (store/token-crypto.ts), never the token itself. */
  bot_token: string;
  bot_refresh_token: string | null;
  /** Epoch seconds, as Slack counts them; null when the token does not expire. */
  bot_expires_at: number | null;
  installed_at: number;
  updated_at: number;
}

/** A workspace served through an org-wide install. */
export interface InstallationTeamsTable {
  team_id: string;
  enterprise_id: string;
  seen_at: number;
}

/** A hash of each OAuth state already used, kept until the state would have expired anyway. */
export interface OAuthStatesUsedTable {
  state_hash: string;
  expires_at: number;
}

/** The level a person means to focus on; off (no row) until they choose one. */
export interface IntendedFocusTable {
  team_id: string;
  user_id: string;
  level: string;
  set_at: number;
  /** When the last drift nudge was sent; at most one in 30 days. */
  last_nudge_at: number | null;
}

/** A member who lets the channel's weekly summary show their name. */
export interface SummaryNameOptinsTable {
  team_id: string;
  channel_id: string;
  user_id: string;
  created_at: number;
}

/** One channel summary per channel prompt (keyed by its delivery), claimed before it is posted. */
export interface TeamSummariesTable {
  delivery_id: string;
  team_id: string;
  channel_id: string;
  /** The prompt's due time, copied so the trend needs no join. */
  due_at: number;
  /** "claimed" while being posted, "posted" once in Slack, "not_enough" when fewer than 3 answered. */
  status: string;
  message_ts: string | null;
  /** 1 when someone in it asked to be forgotten: the next pass redraws it without them. */
  stale: Generated<number>;
  created_at: number;
  updated_at: number;
}

/** A knowledge gap: the question as asked (never who asked), and what went wrong. */
export interface GapsTable {
  id: string;
  question: string;
  /** "off-topic" (no guidance) or "not-helpful" (an answer marked 👎). */
  outcome: string;
  article_slug: string | null;
  section_id: string | null;
  created_at: number;
}

export interface SubscriptionsTable {
  id: string;
  team_id: string;
  /** "user" (a DM to the person) or "channel" (a team reflection posted in the channel). */
  target_type: string;
  /** User id for user targets, channel id for channel targets. */
  target_id: string;
  /** Who subscribed; null once that person has asked to be forgotten (channel targets only). */
  subscribed_by: string | null;
  /** 0 = Sunday … 6 = Saturday, as in cron and `Date#getDay`. */
  weekday: number;
  /** Local wall-clock time "HH:MM" in `time_zone`. */
  time: string;
  time_zone: string;
  /** When Slack last gave `time_zone` (users.info), or null when it never has (channels: never). */
  time_zone_checked_at: number | null;
  next_prompt_at: number;
  skip_next: number;
  paused_reason: string | null;
  paused_at: number | null;
  /** JSON array of prompt ids already sent in the current rotation. */
  prompts_used: string;
  created_at: number;
  updated_at: number;
}

export interface DeliveriesTable {
  id: string;
  subscription_id: string;
  team_id: string;
  target_type: string;
  target_id: string;
  due_at: number;
  prompt_id: string | null;
  status: string;
  attempts: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  next_attempt_at: number | null;
  last_error: string | null;
  channel_id: string | null;
  message_ts: string | null;
  sent_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface AnswersTable {
  delivery_id: string;
  team_id: string;
  user_id: string;
  choice: string;
  note: string | null;
  prompt_id: string | null;
  /** Copied from the delivery so history needs no join and survives unsubscribing. */
  due_at: number;
  answered_at: number;
}

export interface FeedbackTable {
  id: string;
  team_id: string;
  user_id: string;
  article_slug: string;
  section_id: string;
  helpful: number;
  created_at: number;
  /** What the vote is on (see feedback.ts); null on votes from before there was one vote per answer. */
  answer_key: string | null;
  /** 1 once this person's 👎 on this answer has counted as a knowledge gap: it counts once. */
  gap_recorded: Generated<number>;
}

/** The row /healthz commits on every check (see store/health.ts). */
export interface StoreHeartbeatTable {
  id: string;
  beat_at: number;
}
