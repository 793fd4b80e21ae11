import type { ExpressionBuilder, Selectable, Updateable } from "kysely";
import {
  changed,
  type Db,
  oneOf,
  rowsChanged,
  type SubscriptionTarget,
  targetOf,
  toDate,
  toOptionalDate,
} from "./rows.js";
import type { Database, DeliveriesTable } from "./schema.js";
import { pauseSubscription } from "./subscriptions.js";

/*
 * The rules of a delivery row, each written once here:
 * - claim ownership: only the instance named in `lease_owner` of a `claimed` row may record its
 *   outcome or extend its lease (`whereOwnedClaim`);
 * - retryable: `retrying` with its retry time reached, or `claimed` with its lease expired
 *   (`isRetryable`), both for listing and for taking a delivery over;
 * - lease: a claim's lease ends with its outcome (`LEASE_ENDED`).
 * Claims themselves (the row's creation with its subscription's move) are in delivery-claims.ts.
 */

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

const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  "claimed",
  "retrying",
  "sent",
  "failed",
  "missed",
  "skipped",
  "cancelled",
];

/** One due prompt of a subscription, keyed by (subscription, due time). */
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

export interface LeaseInput {
  readonly owner: string;
  readonly leaseUntil: Date;
  readonly now: Date;
}

type DeliveryRow = Selectable<DeliveriesTable>;

export function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    ...targetOf(row),
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

/** Retry time reached, or claimed by an instance whose lease expired. */
function isRetryable(eb: ExpressionBuilder<Database, "deliveries">, at: number) {
  return eb.or([
    eb.and([eb("status", "=", "retrying"), eb("next_attempt_at", "<=", at)]),
    eb.and([eb("status", "=", "claimed"), eb("lease_expires_at", "<=", at)]),
  ]);
}

/** The claim's lease ends with any outcome. */
const LEASE_ENDED = { lease_owner: null, lease_expires_at: null } as const;

/** Sets `changes` on the delivery only while `owner` holds its claim; true when it did. */
async function updateOwnedClaim(
  db: Db,
  id: string,
  owner: string,
  changes: Updateable<DeliveriesTable>,
): Promise<boolean> {
  const result = await db
    .updateTable("deliveries")
    .set(changes)
    .where("id", "=", id)
    .where("status", "=", "claimed")
    .where("lease_owner", "=", owner)
    .executeTakeFirst();
  return changed(result);
}

/** Deliveries to try again: retry time reached, or claimed by an instance whose lease expired. */
export async function listRetryableDeliveries(db: Db, now: Date, limit: number): Promise<Delivery[]> {
  const rows = await db
    .selectFrom("deliveries")
    .selectAll()
    .where((eb) => isRetryable(eb, now.getTime()))
    .orderBy("due_at")
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map(toDelivery);
}

/** Takes a retryable delivery over for `lease.owner`, counting an attempt; undefined if it is not. */
export async function reclaimDelivery(db: Db, id: string, lease: LeaseInput): Promise<Delivery | undefined> {
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
    .where((eb) => isRetryable(eb, at))
    .returningAll()
    .executeTakeFirst();
  return row && toDelivery(row);
}

export function extendDeliveryLease(db: Db, id: string, lease: LeaseInput): Promise<boolean> {
  return updateOwnedClaim(db, id, lease.owner, {
    lease_expires_at: lease.leaseUntil.getTime(),
    updated_at: lease.now.getTime(),
  });
}

export function markDeliverySent(
  db: Db,
  id: string,
  sent: { owner: string; channelId: string; messageTs: string; now: Date },
): Promise<boolean> {
  return updateOwnedClaim(db, id, sent.owner, {
    status: "sent",
    channel_id: sent.channelId,
    message_ts: sent.messageTs,
    sent_at: sent.now.getTime(),
    ...LEASE_ENDED,
    next_attempt_at: null,
    last_error: null,
    updated_at: sent.now.getTime(),
  });
}

export function markDeliveryRetrying(
  db: Db,
  id: string,
  retry: { owner: string; error: string; nextAttemptAt: Date; attempts?: number; now: Date },
): Promise<boolean> {
  return updateOwnedClaim(db, id, retry.owner, {
    status: "retrying",
    ...LEASE_ENDED,
    next_attempt_at: retry.nextAttemptAt.getTime(),
    last_error: retry.error,
    updated_at: retry.now.getTime(),
    ...(retry.attempts === undefined ? {} : { attempts: retry.attempts }),
  });
}

/** Ends the claim with a final status: nothing more is tried for this delivery. */
function finishClaim(
  db: Db,
  id: string,
  end: { owner: string; status: "failed" | "missed" | "cancelled"; error: string | null; now: Date },
): Promise<boolean> {
  return updateOwnedClaim(db, id, end.owner, {
    status: end.status,
    ...LEASE_ENDED,
    next_attempt_at: null,
    last_error: end.error,
    updated_at: end.now.getTime(),
  });
}

/** Gives up on the delivery; with `pauseSubscription` also pauses its subscription with the error. */
export async function markDeliveryFailed(
  db: Db,
  id: string,
  failure: { owner: string; error: string; pauseSubscription: boolean; now: Date },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const finished = await finishClaim(trx, id, { ...failure, status: "failed" });
    if (!finished) return false;
    if (failure.pauseSubscription) {
      const row = await trx
        .selectFrom("deliveries")
        .select("subscription_id")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      await pauseSubscription(trx, row.subscription_id, failure.error, failure.now, true);
    }
    return true;
  });
}

export function markDeliveryMissed(
  db: Db,
  id: string,
  missed: { owner: string; now: Date },
): Promise<boolean> {
  return finishClaim(db, id, { owner: missed.owner, status: "missed", error: null, now: missed.now });
}

export function markDeliveryCancelled(
  db: Db,
  id: string,
  cancelled: { owner: string; reason: string; now: Date },
): Promise<boolean> {
  return finishClaim(db, id, { ...cancelled, status: "cancelled", error: cancelled.reason });
}

export async function getDelivery(db: Db, id: string): Promise<Delivery | undefined> {
  const row = await db.selectFrom("deliveries").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toDelivery(row);
}

export async function listDeliveries(db: Db, subscriptionId: string): Promise<Delivery[]> {
  const rows = await db
    .selectFrom("deliveries")
    .selectAll()
    .where("subscription_id", "=", subscriptionId)
    .orderBy("due_at")
    .execute();
  return rows.map(toDelivery);
}

/** Deletes the deliveries sent to the person; returns how many rows went. */
export async function forgetUserDeliveries(db: Db, teamId: string, userId: string): Promise<number> {
  const result = await db
    .deleteFrom("deliveries")
    .where("team_id", "=", teamId)
    .where("target_type", "=", "user")
    .where("target_id", "=", userId)
    .executeTakeFirst();
  return rowsChanged(result);
}

/** Retention: deletes finished deliveries due before `cutoff` (claims in flight are left alone). */
export async function deleteDeliveriesBefore(db: Db, cutoff: Date): Promise<number> {
  const result = await db
    .deleteFrom("deliveries")
    .where("due_at", "<", cutoff.getTime())
    .where("status", "not in", ["claimed", "retrying"])
    .executeTakeFirst();
  return rowsChanged(result);
}
