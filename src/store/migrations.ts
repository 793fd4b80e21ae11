import { type Kysely, type Migration, type MigrationProvider, sql } from "kysely";
import { privateQuestion } from "./gap-question.js";

/*
 * Migrations are listed here rather than discovered on disk so they run the same from `src/`
 * under tsx and from the compiled `dist/`. Names sort in the order they must run. Never edit a
 * migration that has shipped; add a new one.
 *
 * Column types are the portable subset: `text`, `integer`, and `bigint` for epoch milliseconds
 * (SQLite gives `bigint` integer affinity; PostgreSQL needs 8 bytes for them).
 */
const migrations: Record<string, Migration> = {
  "0001_prompts_and_feedback": {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("subscriptions")
        .addColumn("id", "text", (col) => col.primaryKey())
        .addColumn("team_id", "text", (col) => col.notNull())
        .addColumn("target_type", "text", (col) => col.notNull())
        .addColumn("target_id", "text", (col) => col.notNull())
        .addColumn("subscribed_by", "text")
        .addColumn("weekday", "integer", (col) => col.notNull())
        .addColumn("time", "text", (col) => col.notNull())
        .addColumn("time_zone", "text", (col) => col.notNull())
        .addColumn("next_prompt_at", "bigint", (col) => col.notNull())
        .addColumn("skip_next", "integer", (col) => col.notNull().defaultTo(0))
        .addColumn("paused_reason", "text")
        .addColumn("paused_at", "bigint")
        .addColumn("prompts_used", "text", (col) => col.notNull().defaultTo("[]"))
        .addColumn("created_at", "bigint", (col) => col.notNull())
        .addColumn("updated_at", "bigint", (col) => col.notNull())
        .addUniqueConstraint("subscriptions_target_unique", ["team_id", "target_type", "target_id"])
        .execute();
      await db.schema
        .createIndex("subscriptions_next_prompt_at_idx")
        .on("subscriptions")
        .columns(["next_prompt_at", "id"])
        .execute();
      await db.schema
        .createIndex("subscriptions_subscribed_by_idx")
        .on("subscriptions")
        .columns(["team_id", "subscribed_by"])
        .execute();

      await db.schema
        .createTable("deliveries")
        .addColumn("id", "text", (col) => col.primaryKey())
        .addColumn("subscription_id", "text", (col) => col.notNull())
        .addColumn("team_id", "text", (col) => col.notNull())
        .addColumn("target_type", "text", (col) => col.notNull())
        .addColumn("target_id", "text", (col) => col.notNull())
        .addColumn("due_at", "bigint", (col) => col.notNull())
        .addColumn("prompt_id", "text")
        .addColumn("status", "text", (col) => col.notNull())
        .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(0))
        .addColumn("lease_owner", "text")
        .addColumn("lease_expires_at", "bigint")
        .addColumn("next_attempt_at", "bigint")
        .addColumn("last_error", "text")
        .addColumn("channel_id", "text")
        .addColumn("message_ts", "text")
        .addColumn("sent_at", "bigint")
        .addColumn("created_at", "bigint", (col) => col.notNull())
        .addColumn("updated_at", "bigint", (col) => col.notNull())
        // The claim: at most one delivery per subscription and due time, whoever inserts first.
        .addUniqueConstraint("deliveries_subscription_due_unique", ["subscription_id", "due_at"])
        .execute();
      await db.schema.createIndex("deliveries_status_idx").on("deliveries").columns(["status"]).execute();
      await db.schema
        .createIndex("deliveries_target_idx")
        .on("deliveries")
        .columns(["team_id", "target_type", "target_id"])
        .execute();

      await db.schema
        .createTable("answers")
        .addColumn("delivery_id", "text", (col) => col.notNull())
        .addColumn("team_id", "text", (col) => col.notNull())
        .addColumn("user_id", "text", (col) => col.notNull())
        .addColumn("choice", "text", (col) => col.notNull())
        .addColumn("note", "text")
        .addColumn("prompt_id", "text")
        .addColumn("due_at", "bigint", (col) => col.notNull())
        .addColumn("answered_at", "bigint", (col) => col.notNull())
        .addPrimaryKeyConstraint("answers_pk", ["delivery_id", "user_id"])
        .execute();
      await db.schema
        .createIndex("answers_user_idx")
        .on("answers")
        .columns(["team_id", "user_id", "due_at"])
        .execute();

      await db.schema
        .createTable("feedback")
        .addColumn("id", "text", (col) => col.primaryKey())
        .addColumn("team_id", "text", (col) => col.notNull())
        .addColumn("user_id", "text", (col) => col.notNull())
        .addColumn("article_slug", "text", (col) => col.notNull())
        .addColumn("section_id", "text", (col) => col.notNull())
        .addColumn("helpful", "integer", (col) => col.notNull())
        .addColumn("created_at", "bigint", (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex("feedback_user_idx")
        .on("feedback")
        .columns(["team_id", "user_id"])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ["feedback", "answers", "deliveries", "subscriptions"]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  },
  "0002_gaps": {
    // Questions the bot could not answer and answers marked not helpful. No user or team id, by design.
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("gaps")
        .addColumn("id", "text", (col) => col.primaryKey())
        .addColumn("question", "text", (col) => col.notNull())
        .addColumn("outcome", "text", (col) => col.notNull())
        .addColumn("article_slug", "text")
        .addColumn("section_id", "text")
        .addColumn("created_at", "bigint", (col) => col.notNull())
        .execute();
      await db.schema.createIndex("gaps_created_at_idx").on("gaps").columns(["created_at"]).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("gaps").ifExists().execute();
    },
  },
  "0003_store_heartbeat": {
    // One row /healthz writes and commits: a probe that is rolled back never reaches the disk in
    // WAL mode, so it passed while every real write failed (disk full, read-only file).
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("store_heartbeat")
        .addColumn("id", "text", (col) => col.primaryKey())
        .addColumn("beat_at", "bigint", (col) => col.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("store_heartbeat").ifExists().execute();
    },
  },
  "0004_private_gaps_and_votes": {
    // Gaps written before questions were cleaned are cleaned now (store/gap-question.ts); a gap with
    // nothing left is deleted. Feedback gets the answer it is on, so a person has one vote per answer.
    async up(db: Kysely<unknown>): Promise<void> {
      await cleanStoredGaps(db);
      await db.schema.alterTable("feedback").addColumn("answer_key", "text").execute();
      await db.schema
        .alterTable("feedback")
        .addColumn("gap_recorded", "integer", (col) => col.notNull().defaultTo(0))
        .execute();
      // Rows from before have no answer_key (NULL): they never collide.
      await db.schema
        .createIndex("feedback_vote_unique")
        .on("feedback")
        .columns(["team_id", "user_id", "answer_key"])
        .unique()
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex("feedback_vote_unique").ifExists().execute();
      await db.schema.alterTable("feedback").dropColumn("gap_recorded").execute();
      await db.schema.alterTable("feedback").dropColumn("answer_key").execute();
    },
  },
  "0010_reflection": {
    // Issue 20: intended focus (and when it last nudged), who lets a channel's summary name them,
    // and the channel summaries posted. Answers get an index for the retention delete.
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("intended_focus")
        .addColumn("team_id", "text", (col) => col.notNull())
        .addColumn("user_id", "text", (col) => col.notNull())
        .addColumn("level", "text", (col) => col.notNull())
        .addColumn("set_at", "bigint", (col) => col.notNull())
        .addColumn("last_nudge_at", "bigint")
        .addPrimaryKeyConstraint("intended_focus_pk", ["team_id", "user_id"])
        .execute();
      await db.schema
        .createTable("summary_name_optins")
        .addColumn("team_id", "text", (col) => col.notNull())
        .addColumn("channel_id", "text", (col) => col.notNull())
        .addColumn("user_id", "text", (col) => col.notNull())
        .addColumn("created_at", "bigint", (col) => col.notNull())
        .addPrimaryKeyConstraint("summary_name_optins_pk", ["team_id", "channel_id", "user_id"])
        .execute();
      await db.schema
        .createTable("team_summaries")
        .addColumn("delivery_id", "text", (col) => col.primaryKey())
        .addColumn("team_id", "text", (col) => col.notNull())
        .addColumn("channel_id", "text", (col) => col.notNull())
        .addColumn("due_at", "bigint", (col) => col.notNull())
        .addColumn("status", "text", (col) => col.notNull())
        .addColumn("message_ts", "text")
        .addColumn("stale", "integer", (col) => col.notNull().defaultTo(0))
        .addColumn("created_at", "bigint", (col) => col.notNull())
        .addColumn("updated_at", "bigint", (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex("team_summaries_channel_idx")
        .on("team_summaries")
        .columns(["team_id", "channel_id", "due_at"])
        .execute();
      await db.schema.createIndex("answers_due_at_idx").on("answers").columns(["due_at"]).execute();
      await db.schema.createIndex("deliveries_due_at_idx").on("deliveries").columns(["due_at"]).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex("deliveries_due_at_idx").ifExists().execute();
      await db.schema.dropIndex("answers_due_at_idx").ifExists().execute();
      for (const table of ["team_summaries", "summary_name_optins", "intended_focus"]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  },
  "0011_installations": {
    // Issue 19: installs over OAuth. A workspace install is keyed (enterprise_id, team_id), an
    // org-wide one (enterprise_id, ""); "" rather than NULL so the key is unique on both databases.
    // Tokens are sealed (store/token-crypto.ts) under the key named by key_id.
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("installations")
        .addColumn("enterprise_id", "text", (col) => col.notNull())
        .addColumn("team_id", "text", (col) => col.notNull())
        .addColumn("is_enterprise_install", "integer", (col) => col.notNull())
        .addColumn("team_name", "text")
        .addColumn("enterprise_name", "text")
        .addColumn("enterprise_url", "text")
        .addColumn("app_id", "text")
        .addColumn("bot_id", "text")
        .addColumn("bot_user_id", "text")
        .addColumn("bot_scopes", "text", (col) => col.notNull().defaultTo(""))
        .addColumn("installer_user_id", "text")
        .addColumn("key_id", "text", (col) => col.notNull())
        .addColumn("bot_token", "text", (col) => col.notNull())
        .addColumn("bot_refresh_token", "text")
        .addColumn("bot_expires_at", "bigint")
        .addColumn("installed_at", "bigint", (col) => col.notNull())
        .addColumn("updated_at", "bigint", (col) => col.notNull())
        .addPrimaryKeyConstraint("installations_pk", ["enterprise_id", "team_id"])
        .execute();
      await db.schema
        .createIndex("installations_team_idx")
        .on("installations")
        .columns(["team_id"])
        .execute();
      // The workspaces an org-wide install has served: their rows go when the org uninstalls.
      await db.schema
        .createTable("installation_teams")
        .addColumn("team_id", "text", (col) => col.primaryKey())
        .addColumn("enterprise_id", "text", (col) => col.notNull())
        .addColumn("seen_at", "bigint", (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex("installation_teams_enterprise_idx")
        .on("installation_teams")
        .columns(["enterprise_id"])
        .execute();
      // OAuth states already used: a state is good once.
      await db.schema
        .createTable("oauth_states_used")
        .addColumn("state_hash", "text", (col) => col.primaryKey())
        .addColumn("expires_at", "bigint", (col) => col.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ["oauth_states_used", "installation_teams", "installations"]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  },
  "0012_event_claims": {
    // Issue 19, item 7: Slack events claimed by one of several app processes sharing PostgreSQL, so
    // a retry that lands on another process is not answered again (src/store/event-claims.ts).
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("event_claims")
        .addColumn("key", "text", (col) => col.primaryKey())
        .addColumn("claimed_at", "bigint", (col) => col.notNull())
        .addColumn("expires_at", "bigint", (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex("event_claims_expires_at_idx")
        .on("event_claims")
        .columns(["expires_at"])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("event_claims").ifExists().execute();
    },
  },
  "0013_time_zone_checked": {
    // Issue 21: when Slack last gave a person's time zone, so a prompt whose zone was read within
    // the day before goes out without asking again (src/prompts/zone-lookahead.ts).
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("subscriptions").addColumn("time_zone_checked_at", "bigint").execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("subscriptions").dropColumn("time_zone_checked_at").execute();
    },
  },
};

/** Rewrites every stored gap question as `privateQuestion` leaves it, a page of rows at a time. */
async function cleanStoredGaps(db: Kysely<unknown>): Promise<void> {
  let after = "";
  for (;;) {
    const { rows } = await sql<{ id: string; question: string }>`
      select id, question from gaps where id > ${after} order by id limit 500`.execute(db);
    for (const row of rows) {
      const question = privateQuestion(row.question);
      if (question === "") await sql`delete from gaps where id = ${row.id}`.execute(db);
      else if (question !== row.question)
        await sql`update gaps set question = ${question} where id = ${row.id}`.execute(db);
    }
    const last = rows.at(-1);
    if (!last) return;
    after = last.id;
  }
}

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};

/** Name of the newest migration, for health output and tests. */
export const LATEST_MIGRATION = Object.keys(migrations).sort().at(-1) ?? "";
