import { randomUUID } from "node:crypto";
import type { Insertable, Selectable, Updateable } from "kysely";
import { type Delivery, toDelivery } from "./deliveries.js";
import type { Db } from "./rows.js";
import type { DeliveriesTable, SubscriptionsTable } from "./schema.js";
import { moveNextPrompt } from "./subscriptions.js";

/*
 * Claims: the one place a delivery row is created. The row of a due time is inserted in the same
 * transaction that moves its subscription to the next prompt, so two passes racing for one prompt
 * (two instances on one PostgreSQL) cannot both have it. What happens to a claim afterwards is in
 * deliveries.ts.
 */

/** A subscription's due time, as read by the pass that handles it. */
export interface DueTime {
  readonly subscriptionId: string;
  /** The subscription's `nextPromptAt` as read; nothing is recorded if it has moved since. */
  readonly expectedNextPromptAt: Date;
  readonly dueAt: Date;
  readonly nextPromptAt: Date;
  readonly now: Date;
}

export interface ClaimDueDeliveryInput extends DueTime {
  readonly promptId: string;
  /** The rotation after this prompt, stored on the subscription with the claim. */
  readonly promptsUsed: readonly string[];
  readonly owner: string;
  readonly leaseUntil: Date;
}

export interface RecordUnsentDeliveryInput extends DueTime {
  readonly status: "missed" | "skipped";
}

/** Thrown inside a transaction to roll it back when a compare-and-set found the row moved. */
class RowMoved extends Error {}

async function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T | undefined> {
  try {
    return await db.transaction().execute(work);
  } catch (error) {
    if (error instanceof RowMoved) return undefined;
    throw error;
  }
}

/**
 * Records the delivery of one due time and moves the subscription past it, in one transaction.
 * The unique (subscription_id, due_at) key decides between concurrent passes: on PostgreSQL the
 * second insert waits for the first transaction, then does nothing and this returns undefined.
 * A delivery for this due time that already exists has been handled; if the subscription still
 * points at that time it is moved on too, rather than found due again on every pass.
 */
function recordDelivery(
  db: Db,
  due: DueTime,
  delivery: Pick<
    Insertable<DeliveriesTable>,
    "prompt_id" | "status" | "attempts" | "lease_owner" | "lease_expires_at"
  >,
  subscriptionChanges: Partial<Pick<Updateable<SubscriptionsTable>, "prompts_used" | "skip_next">>,
): Promise<Selectable<DeliveriesTable> | undefined> {
  return inTransaction(db, async (trx) => {
    const subscription = await trx
      .selectFrom("subscriptions")
      .selectAll()
      .where("id", "=", due.subscriptionId)
      .executeTakeFirst();
    if (!subscription) return undefined;
    const now = due.now.getTime();
    const move = { expectedNextPromptAt: due.expectedNextPromptAt, nextPromptAt: due.nextPromptAt, now };
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
      await moveNextPrompt(trx, due.subscriptionId, move);
      return undefined;
    }
    const moved = await moveNextPrompt(trx, subscription.id, {
      ...move,
      activeOnly: true,
      changes: subscriptionChanges,
    });
    if (!moved) throw new RowMoved();
    return inserted;
  });
}

/**
 * Claims the delivery for (subscription, dueAt) and moves the subscription to its next prompt,
 * in one transaction. Undefined when another pass claimed it first or the subscription moved.
 */
export async function claimDueDelivery(db: Db, input: ClaimDueDeliveryInput): Promise<Delivery | undefined> {
  const row = await recordDelivery(
    db,
    input,
    {
      prompt_id: input.promptId,
      status: "claimed",
      attempts: 1,
      lease_owner: input.owner,
      lease_expires_at: input.leaseUntil.getTime(),
    },
    { prompts_used: JSON.stringify(input.promptsUsed) },
  );
  return row ? toDelivery(row) : undefined;
}

/** Records a due prompt that will not be sent (missed or skipped) and moves the subscription on. */
export async function recordUnsentDelivery(db: Db, input: RecordUnsentDeliveryInput): Promise<boolean> {
  const row = await recordDelivery(
    db,
    input,
    { prompt_id: null, status: input.status, attempts: 0 },
    input.status === "skipped" ? { skip_next: 0 } : {},
  );
  return row !== undefined;
}

/**
 * `claimDueDelivery` in one statement, for PostgreSQL: the subscription is moved (compare-and-set
 * on its due time, active only, no delivery yet for that time) and the delivery inserted from the
 * moved row, so a claim is one round trip and one commit instead of five round trips. The row lock
 * of the update decides between concurrent passes as the transaction did. Anything else (the
 * subscription moved, paused or gone, a delivery for that time already there) returns "other":
 * the caller then runs the transaction, which handles each of those cases.
 */
export async function claimDueDeliveryAtOnce(
  db: Db,
  input: ClaimDueDeliveryInput,
): Promise<Delivery | "other"> {
  const now = input.now.getTime();
  const dueAt = input.dueAt.getTime();
  const row = await db
    .with("moved", (qb) =>
      qb
        .updateTable("subscriptions")
        .set({
          next_prompt_at: input.nextPromptAt.getTime(),
          updated_at: now,
          prompts_used: JSON.stringify(input.promptsUsed),
        })
        .where("id", "=", input.subscriptionId)
        .where("next_prompt_at", "=", input.expectedNextPromptAt.getTime())
        .where("paused_reason", "is", null)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom("deliveries")
                .select("id")
                .where("subscription_id", "=", input.subscriptionId)
                .where("due_at", "=", dueAt),
            ),
          ),
        )
        .returning(["id", "team_id", "target_type", "target_id"]),
    )
    .insertInto("deliveries")
    .columns([
      "id",
      "subscription_id",
      "team_id",
      "target_type",
      "target_id",
      "due_at",
      "prompt_id",
      "status",
      "attempts",
      "lease_owner",
      "lease_expires_at",
      "created_at",
      "updated_at",
    ])
    .expression((eb) =>
      eb.selectFrom("moved").select(({ cast, val }) => [
        // Typed: PostgreSQL reads an untyped parameter in a select list as text.
        cast<string>(val(randomUUID()), "text").as("id"),
        "moved.id as subscription_id",
        "moved.team_id",
        "moved.target_type",
        "moved.target_id",
        cast<number>(val(dueAt), "bigint").as("due_at"),
        cast<string>(val(input.promptId), "text").as("prompt_id"),
        cast<string>(val("claimed"), "text").as("status"),
        cast<number>(val(1), "integer").as("attempts"),
        cast<string>(val(input.owner), "text").as("lease_owner"),
        cast<number>(val(input.leaseUntil.getTime()), "bigint").as("lease_expires_at"),
        cast<number>(val(now), "bigint").as("created_at"),
        cast<number>(val(now), "bigint").as("updated_at"),
      ]),
    )
    .onConflict((oc) => oc.columns(["subscription_id", "due_at"]).doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ? toDelivery(row) : "other";
}
