import { randomUUID } from "node:crypto";
import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from "kysely";
import { type AnswerForHistory, weeklyHistory } from "./history.js";
import type { AnswersTable, Database, DeliveriesTable, FeedbackTable, SubscriptionsTable } from "./schema.js";
import type {
  Answer,
  AnswerChoice,
  Delivery,
  DeliveryStatus,
  DialectName,
  Feedback,
  Store,
  Subscription,
  TargetType,
  Weekday,
} from "./types.js";

type SubscriptionRow = Selectable<SubscriptionsTable>;
type DeliveryRow = Selectable<DeliveriesTable>;
type AnswerRow = Selectable<AnswersTable>;
type FeedbackRow = Selectable<FeedbackTable>;

const DAY_MS = 24 * 60 * 60 * 1000;

const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  "claimed",
  "retrying",
  "sent",
  "failed",
  "missed",
  "skipped",
  "cancelled",
];
const ANSWER_CHOICES: readonly AnswerChoice[] = ["narrow", "wide", "ic", "skip"];

/** Thrown inside a transaction to roll it back when a compare-and-set found the row moved. */
class RowMoved extends Error {}

function oneOf<T extends string>(allowed: readonly T[], value: string, what: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`Unexpected ${what} in the database: ${JSON.stringify(value)}`);
}

// pg hands int8 back as strings unless parsed; Number() keeps both dialects honest.
function toDate(ms: number | string): Date {
  return new Date(Number(ms));
}

function toOptionalDate(ms: number | string | null): Date | null {
  return ms === null ? null : toDate(ms);
}

function parsePromptsUsed(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    teamId: row.team_id,
    targetType: oneOf<TargetType>(["user", "channel"], row.target_type, "target type"),
    targetId: row.target_id,
    subscribedBy: row.subscribed_by,
    schedule: { weekday: Number(row.weekday) as Weekday, time: row.time },
    timeZone: row.time_zone,
    nextPromptAt: toDate(row.next_prompt_at),
    skipNext: Number(row.skip_next) === 1,
    pausedReason: row.paused_reason,
    pausedAt: toOptionalDate(row.paused_at),
    promptsUsed: parsePromptsUsed(row.prompts_used),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    teamId: row.team_id,
    targetType: oneOf<TargetType>(["user", "channel"], row.target_type, "target type"),
    targetId: row.target_id,
    dueAt: toDate(row.due_at),
    promptId: row.prompt_id,
    status: oneOf(DELIVERY_STATUSES, row.status, "delivery status"),
    attempts: Number(row.attempts),
    leaseOwner: row.lease_owner,
    leaseExpiresAt: toOptionalDate(row.lease_expires_at),
    nextAttemptAt: toOptionalDate(row.next_attempt_at),
    lastError: row.last_error,
    channelId: row.channel_id,
    messageTs: row.message_ts,
    sentAt: toOptionalDate(row.sent_at),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

function toAnswer(row: AnswerRow): Answer {
  return {
    deliveryId: row.delivery_id,
    teamId: row.team_id,
    userId: row.user_id,
    choice: oneOf(ANSWER_CHOICES, row.choice, "answer"),
    note: row.note,
    promptId: row.prompt_id,
    dueAt: toDate(row.due_at),
    answeredAt: toDate(row.answered_at),
  };
}

function toFeedback(row: FeedbackRow): Feedback {
  return {
    id: row.id,
    teamId: row.team_id,
    userId: row.user_id,
    articleSlug: row.article_slug,
    sectionId: row.section_id,
    helpful: Number(row.helpful) === 1,
    createdAt: toDate(row.created_at),
  };
}

function changed(result: { numUpdatedRows?: bigint; numDeletedRows?: bigint } | undefined): boolean {
  return Number(result?.numUpdatedRows ?? result?.numDeletedRows ?? 0n) > 0;
}

/**
 * A delivery for this due time already exists, so it has been handled; if the subscription still
 * points at that time (normally the pass that handled it moved it on), move it on too rather than
 * find it due again on every pass.
 */
async function moveOnPastHandledDueTime(
  trx: Kysely<Database>,
  subscriptionId: string,
  expectedNextPromptAt: Date,
  nextPromptAt: Date,
  now: number,
): Promise<void> {
  await trx
    .updateTable("subscriptions")
    .set({ next_prompt_at: nextPromptAt.getTime(), updated_at: now })
    .where("id", "=", subscriptionId)
    .where("next_prompt_at", "=", expectedNextPromptAt.getTime())
    .execute();
}

/**
 * Records the delivery of one due time and moves the subscription past it, in one transaction.
 * The unique (subscription_id, due_at) key decides between concurrent passes: on PostgreSQL the
 * second insert waits for the first transaction, then does nothing and this returns undefined.
 */
async function recordDelivery(
  trx: Kysely<Database>,
  due: { subscriptionId: string; dueAt: Date; expectedNextPromptAt: Date; nextPromptAt: Date; now: Date },
  delivery: Pick<
    Insertable<DeliveriesTable>,
    "prompt_id" | "status" | "attempts" | "lease_owner" | "lease_expires_at"
  >,
  subscriptionChanges: Partial<Pick<Updateable<SubscriptionsTable>, "prompts_used" | "skip_next">>,
): Promise<DeliveryRow | undefined> {
  const subscription = await trx
    .selectFrom("subscriptions")
    .selectAll()
    .where("id", "=", due.subscriptionId)
    .executeTakeFirst();
  if (!subscription) return undefined;
  const now = due.now.getTime();
  const inserted = await trx
    .insertInto("deliveries")
    .values({
      id: randomUUID(),
      subscription_id: subscription.id,
      team_id: subscription.team_id,
      target_type: subscription.target_type,
      target_id: subscription.target_id,
      due_at: due.dueAt.getTime(),
      ...delivery,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(["subscription_id", "due_at"]).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!inserted) {
    await moveOnPastHandledDueTime(trx, due.subscriptionId, due.expectedNextPromptAt, due.nextPromptAt, now);
    return undefined;
  }
  const moved = await trx
    .updateTable("subscriptions")
    .set({ next_prompt_at: due.nextPromptAt.getTime(), updated_at: now, ...subscriptionChanges })
    .where("id", "=", subscription.id)
    .where("next_prompt_at", "=", due.expectedNextPromptAt.getTime())
    .where("paused_reason", "is", null)
    .executeTakeFirst();
  if (!changed(moved)) throw new RowMoved();
  return inserted;
}

/** Thrown inside the health check's transaction so that its write is rolled back. */
class HealthRollback extends Error {}

/** Domain operations over an already migrated database. */
export function createStore(db: Kysely<Database>, dialect: DialectName): Store {
  async function inTransaction<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T | undefined> {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (error instanceof RowMoved) return undefined;
      throw error;
    }
  }

  const store: Store = {
    dialect,

    async upsertSubscription(input) {
      const id = randomUUID();
      const now = input.now.getTime();
      const schedule = {
        subscribed_by: input.subscribedBy,
        weekday: input.schedule.weekday,
        time: input.schedule.time,
        time_zone: input.timeZone,
        next_prompt_at: input.nextPromptAt.getTime(),
        skip_next: 0,
        paused_reason: null,
        paused_at: null,
        updated_at: now,
      };
      const row = await db
        .insertInto("subscriptions")
        .values({
          id,
          team_id: input.teamId,
          target_type: input.targetType,
          target_id: input.targetId,
          prompts_used: "[]",
          created_at: now,
          ...schedule,
        })
        .onConflict((oc) => oc.columns(["team_id", "target_type", "target_id"]).doUpdateSet(schedule))
        .returningAll()
        .executeTakeFirstOrThrow();
      return { subscription: toSubscription(row), created: row.id === id };
    },

    async getSubscription(id) {
      const row = await db.selectFrom("subscriptions").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toSubscription(row);
    },

    async findSubscription(target) {
      const row = await db
        .selectFrom("subscriptions")
        .selectAll()
        .where("team_id", "=", target.teamId)
        .where("target_type", "=", target.targetType)
        .where("target_id", "=", target.targetId)
        .executeTakeFirst();
      return row && toSubscription(row);
    },

    async listSubscriptionsForUser(teamId, userId) {
      const rows = await db
        .selectFrom("subscriptions")
        .selectAll()
        .where("team_id", "=", teamId)
        .where((eb) =>
          eb.or([
            eb.and([eb("target_type", "=", "user"), eb("target_id", "=", userId)]),
            eb("subscribed_by", "=", userId),
          ]),
        )
        .orderBy("target_type", "desc")
        .orderBy("created_at")
        .execute();
      return rows.map(toSubscription);
    },

    async listDueSubscriptions(now, page) {
      let query = db
        .selectFrom("subscriptions")
        .selectAll()
        .where("paused_reason", "is", null)
        .where("next_prompt_at", "<=", now.getTime());
      const after = page.after;
      if (after) {
        query = query.where((eb) =>
          eb.or([
            eb("next_prompt_at", ">", after.nextPromptAt.getTime()),
            eb.and([eb("next_prompt_at", "=", after.nextPromptAt.getTime()), eb("id", ">", after.id)]),
          ]),
        );
      }
      const rows = await query.orderBy("next_prompt_at").orderBy("id").limit(page.limit).execute();
      return rows.map(toSubscription);
    },

    async rescheduleSubscription(id, input) {
      const result = await db
        .updateTable("subscriptions")
        .set({
          next_prompt_at: input.nextPromptAt.getTime(),
          time_zone: input.timeZone,
          updated_at: input.now.getTime(),
        })
        .where("id", "=", id)
        .where("next_prompt_at", "=", input.expectedNextPromptAt.getTime())
        .executeTakeFirst();
      return changed(result);
    },

    async pauseSubscription(id, reason, now) {
      const result = await db
        .updateTable("subscriptions")
        .set({ paused_reason: reason, paused_at: now.getTime(), updated_at: now.getTime() })
        .where("id", "=", id)
        .executeTakeFirst();
      return changed(result);
    },

    async resumeSubscription(id, nextPromptAt, now) {
      const result = await db
        .updateTable("subscriptions")
        .set({
          paused_reason: null,
          paused_at: null,
          next_prompt_at: nextPromptAt.getTime(),
          updated_at: now.getTime(),
        })
        .where("id", "=", id)
        .executeTakeFirst();
      return changed(result);
    },

    async setSkipNext(id, skipNext, now) {
      const result = await db
        .updateTable("subscriptions")
        .set({ skip_next: skipNext ? 1 : 0, updated_at: now.getTime() })
        .where("id", "=", id)
        .executeTakeFirst();
      return changed(result);
    },

    async deleteSubscription(target) {
      const result = await db
        .deleteFrom("subscriptions")
        .where("team_id", "=", target.teamId)
        .where("target_type", "=", target.targetType)
        .where("target_id", "=", target.targetId)
        .executeTakeFirst();
      return changed(result);
    },

    async claimDueDelivery(input) {
      const row = await inTransaction((trx) =>
        recordDelivery(
          trx,
          input,
          {
            prompt_id: input.promptId,
            status: "claimed",
            attempts: 1,
            lease_owner: input.owner,
            lease_expires_at: input.leaseUntil.getTime(),
          },
          { prompts_used: JSON.stringify(input.promptsUsed) },
        ),
      );
      return row ? toDelivery(row) : undefined;
    },

    async recordUnsentDelivery(input) {
      const row = await inTransaction((trx) =>
        recordDelivery(
          trx,
          input,
          { prompt_id: null, status: input.status, attempts: 0 },
          input.status === "skipped" ? { skip_next: 0 } : {},
        ),
      );
      return row !== undefined;
    },

    async listRetryableDeliveries(now, limit) {
      const at = now.getTime();
      const rows = await db
        .selectFrom("deliveries")
        .selectAll()
        .where((eb) =>
          eb.or([
            eb.and([eb("status", "=", "retrying"), eb("next_attempt_at", "<=", at)]),
            eb.and([eb("status", "=", "claimed"), eb("lease_expires_at", "<=", at)]),
          ]),
        )
        .orderBy("due_at")
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map(toDelivery);
    },

    async reclaimDelivery(id, lease) {
      const at = lease.now.getTime();
      // On PostgreSQL a concurrent UPDATE re-checks this WHERE against the committed row, so only
      // one pass can take over a delivery.
      const row = await db
        .updateTable("deliveries")
        .set((eb) => ({
          status: "claimed",
          attempts: eb("attempts", "+", 1),
          lease_owner: lease.owner,
          lease_expires_at: lease.leaseUntil.getTime(),
          updated_at: at,
        }))
        .where("id", "=", id)
        .where((eb) =>
          eb.or([
            eb.and([eb("status", "=", "retrying"), eb("next_attempt_at", "<=", at)]),
            eb.and([eb("status", "=", "claimed"), eb("lease_expires_at", "<=", at)]),
          ]),
        )
        .returningAll()
        .executeTakeFirst();
      return row && toDelivery(row);
    },

    async extendDeliveryLease(id, lease) {
      const result = await db
        .updateTable("deliveries")
        .set({ lease_expires_at: lease.leaseUntil.getTime(), updated_at: lease.now.getTime() })
        .where("id", "=", id)
        .where("status", "=", "claimed")
        .where("lease_owner", "=", lease.owner)
        .executeTakeFirst();
      return changed(result);
    },

    async markDeliverySent(id, sent) {
      const result = await db
        .updateTable("deliveries")
        .set({
          status: "sent",
          channel_id: sent.channelId,
          message_ts: sent.messageTs,
          sent_at: sent.now.getTime(),
          lease_owner: null,
          lease_expires_at: null,
          next_attempt_at: null,
          last_error: null,
          updated_at: sent.now.getTime(),
        })
        .where("id", "=", id)
        .where("status", "=", "claimed")
        .where("lease_owner", "=", sent.owner)
        .executeTakeFirst();
      return changed(result);
    },

    async markDeliveryRetrying(id, retry) {
      const result = await db
        .updateTable("deliveries")
        .set({
          status: "retrying",
          lease_owner: null,
          lease_expires_at: null,
          next_attempt_at: retry.nextAttemptAt.getTime(),
          last_error: retry.error,
          updated_at: retry.now.getTime(),
          ...(retry.attempts === undefined ? {} : { attempts: retry.attempts }),
        })
        .where("id", "=", id)
        .where("status", "=", "claimed")
        .where("lease_owner", "=", retry.owner)
        .executeTakeFirst();
      return changed(result);
    },

    async markDeliveryFailed(id, failure) {
      const done = await inTransaction(async (trx) => {
        const now = failure.now.getTime();
        const row = await trx
          .updateTable("deliveries")
          .set({
            status: "failed",
            lease_owner: null,
            lease_expires_at: null,
            next_attempt_at: null,
            last_error: failure.error,
            updated_at: now,
          })
          .where("id", "=", id)
          .where("status", "=", "claimed")
          .where("lease_owner", "=", failure.owner)
          .returning("subscription_id")
          .executeTakeFirst();
        if (!row) return false;
        if (failure.pauseSubscription) {
          await trx
            .updateTable("subscriptions")
            .set({ paused_reason: failure.error, paused_at: now, updated_at: now })
            .where("id", "=", row.subscription_id)
            .where("paused_reason", "is", null)
            .execute();
        }
        return true;
      });
      return done ?? false;
    },

    async markDeliveryMissed(id, missed) {
      return finishClaimed(id, missed.owner, "missed", null, missed.now);
    },

    async markDeliveryCancelled(id, cancelled) {
      return finishClaimed(id, cancelled.owner, "cancelled", cancelled.reason, cancelled.now);
    },

    async getDelivery(id) {
      const row = await db.selectFrom("deliveries").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toDelivery(row);
    },

    async listDeliveries(subscriptionId) {
      const rows = await db
        .selectFrom("deliveries")
        .selectAll()
        .where("subscription_id", "=", subscriptionId)
        .orderBy("due_at")
        .execute();
      return rows.map(toDelivery);
    },

    async recordAnswer(input) {
      const delivery = await db
        .selectFrom("deliveries")
        .select(["id", "due_at", "prompt_id"])
        .where("id", "=", input.deliveryId)
        .executeTakeFirst();
      if (!delivery) return undefined;
      const now = input.now.getTime();
      const noteChange = input.note === undefined ? {} : { note: input.note };
      const row = await db
        .insertInto("answers")
        .values({
          delivery_id: delivery.id,
          team_id: input.teamId,
          user_id: input.userId,
          choice: input.choice,
          note: input.note ?? null,
          prompt_id: delivery.prompt_id,
          due_at: Number(delivery.due_at),
          answered_at: now,
        })
        .onConflict((oc) =>
          oc
            .columns(["delivery_id", "user_id"])
            .doUpdateSet({ choice: input.choice, answered_at: now, ...noteChange }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toAnswer(row);
    },

    async setAnswerNote(deliveryId, userId, note) {
      const row = await db
        .updateTable("answers")
        .set({ note })
        .where("delivery_id", "=", deliveryId)
        .where("user_id", "=", userId)
        .returningAll()
        .executeTakeFirst();
      return row && toAnswer(row);
    },

    async getAnswer(deliveryId, userId) {
      const row = await db
        .selectFrom("answers")
        .selectAll()
        .where("delivery_id", "=", deliveryId)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      return row && toAnswer(row);
    },

    async answerHistory(teamId, userId, options) {
      // One extra week covers answers whose local week started before the UTC cut-off.
      const since = options.now.getTime() - (options.weeks + 1) * 7 * DAY_MS;
      const rows = await db
        .selectFrom("answers")
        .selectAll()
        .where("team_id", "=", teamId)
        .where("user_id", "=", userId)
        .where("due_at", ">=", since)
        .execute();
      const answers: AnswerForHistory[] = rows.map(toAnswer);
      return weeklyHistory(answers, options);
    },

    async recordFeedback(input) {
      const row = await db
        .insertInto("feedback")
        .values({
          id: randomUUID(),
          team_id: input.teamId,
          user_id: input.userId,
          article_slug: input.articleSlug,
          section_id: input.sectionId,
          helpful: input.helpful ? 1 : 0,
          created_at: input.now.getTime(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toFeedback(row);
    },

    async forgetUser(teamId, userId) {
      return db.transaction().execute(async (trx) => {
        const count = (result: { numDeletedRows?: bigint; numUpdatedRows?: bigint }) =>
          Number(result.numDeletedRows ?? result.numUpdatedRows ?? 0n);
        const subscriptions = await trx
          .deleteFrom("subscriptions")
          .where("team_id", "=", teamId)
          .where("target_type", "=", "user")
          .where("target_id", "=", userId)
          .executeTakeFirst();
        const anonymised = await trx
          .updateTable("subscriptions")
          .set({ subscribed_by: null })
          .where("team_id", "=", teamId)
          .where("subscribed_by", "=", userId)
          .executeTakeFirst();
        const deliveries = await trx
          .deleteFrom("deliveries")
          .where("team_id", "=", teamId)
          .where("target_type", "=", "user")
          .where("target_id", "=", userId)
          .executeTakeFirst();
        const answers = await trx
          .deleteFrom("answers")
          .where("team_id", "=", teamId)
          .where("user_id", "=", userId)
          .executeTakeFirst();
        const feedback = await trx
          .deleteFrom("feedback")
          .where("team_id", "=", teamId)
          .where("user_id", "=", userId)
          .executeTakeFirst();
        return {
          subscriptions: count(subscriptions),
          channelSubscriptionsAnonymised: count(anonymised),
          deliveries: count(deliveries),
          answers: count(answers),
          feedback: count(feedback),
        };
      });
    },

    async health() {
      const started = performance.now();
      try {
        if (dialect === "postgres") {
          // A round trip: PostgreSQL itself refuses writes it cannot keep.
          await sql`select 1 as ok`.execute(db);
        } else {
          // A real write, rolled back: a SQLite file gone or read-only fails here.
          await db
            .transaction()
            .execute(async (trx) => {
              await trx
                .insertInto("feedback")
                .values({
                  id: `healthz-${randomUUID()}`,
                  team_id: "",
                  user_id: "",
                  article_slug: "",
                  section_id: "",
                  helpful: 0,
                  created_at: 0,
                })
                .execute();
              throw new HealthRollback();
            })
            .catch((error: unknown) => {
              if (!(error instanceof HealthRollback)) throw error;
            });
        }
        return { ok: true, dialect, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
      } catch (error) {
        return { ok: false, dialect, error: error instanceof Error ? error.message : String(error) };
      }
    },

    async close() {
      await db.destroy();
    },
  };

  async function finishClaimed(
    id: string,
    owner: string,
    status: DeliveryStatus,
    error: string | null,
    now: Date,
  ): Promise<boolean> {
    const result = await db
      .updateTable("deliveries")
      .set({
        status,
        lease_owner: null,
        lease_expires_at: null,
        next_attempt_at: null,
        last_error: error,
        updated_at: now.getTime(),
      })
      .where("id", "=", id)
      .where("status", "=", "claimed")
      .where("lease_owner", "=", owner)
      .executeTakeFirst();
    return changed(result);
  }

  return store;
}
