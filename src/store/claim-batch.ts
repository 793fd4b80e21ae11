import { randomUUID } from "node:crypto";
import { CompiledQuery, sql } from "kysely";
import { type Delivery, toDelivery } from "./deliveries.js";
import { type ClaimDueDeliveryInput, claimDueDelivery } from "./delivery-claims.js";
import type { Db, DialectName } from "./rows.js";
import type { DeliveriesTable } from "./schema.js";

/*
 * Claims of many due times at once: what `claimDueDelivery` does for one, for a batch, with one
 * commit (SQLite: one transaction; PostgreSQL: one statement) instead of one per prompt. A claim
 * is still the subscription moved by compare-and-set on its due time (active, no delivery for that
 * time yet) together with the delivery row, in the same commit, so two passes racing for a prompt
 * cannot both have it. Whatever a batch does not claim at once (the subscription moved, paused or
 * gone, a delivery for that time already there) goes through `claimDueDelivery`, whose transaction
 * handles each of those cases as before.
 */

/** Rows per PostgreSQL statement: 10 bound values each, far under its 65,535. */
const MAX_ROWS = 500;

type Claimed = Map<string, Delivery>;
type Target = Pick<DeliveriesTable, "team_id" | "target_type" | "target_id">;

/** The deliveries claimed, in the order of `inputs` (undefined: not claimed, as `claimDueDelivery`). */
export async function claimDueDeliveries(
  db: Db,
  dialect: DialectName,
  inputs: readonly ClaimDueDeliveryInput[],
): Promise<Array<Delivery | undefined>> {
  const claimed: Claimed = new Map();
  for (let i = 0; i < inputs.length; i += MAX_ROWS) {
    const slice = inputs.slice(i, i + MAX_ROWS);
    for (const [id, delivery] of dialect === "postgres"
      ? await claimInOneStatement(db, slice)
      : await claimInOneTransaction(db, slice))
      claimed.set(id, delivery);
  }
  const out: Array<Delivery | undefined> = [];
  for (const input of inputs) {
    out.push(claimed.get(input.subscriptionId) ?? (await claimDueDelivery(db, input)));
  }
  return out;
}

function deliveryRow(input: ClaimDueDeliveryInput, target: Target) {
  const now = input.now.getTime();
  return {
    id: randomUUID(),
    subscription_id: input.subscriptionId,
    ...target,
    due_at: input.dueAt.getTime(),
    prompt_id: input.promptId,
    status: "claimed",
    attempts: 1,
    lease_owner: input.owner,
    lease_expires_at: input.leaseUntil.getTime(),
    created_at: now,
    updated_at: now,
  } as const;
}

/*
 * The two statements of a SQLite claim, written out: they run for every prompt, and building and
 * compiling them with Kysely each time cost more than SQLite running them (the store keeps the
 * prepared statement of each text).
 */
const MOVE = `update subscriptions set next_prompt_at = ?, updated_at = ?, prompts_used = ?
  where id = ? and next_prompt_at = ? and paused_reason is null
    and not exists (select 1 from deliveries where subscription_id = ? and due_at = ?)
  returning team_id, target_type, target_id`;
const INSERT = `insert into deliveries (id, subscription_id, team_id, target_type, target_id, due_at,
    prompt_id, status, attempts, lease_owner, lease_expires_at, created_at, updated_at)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning *`;

/**
 * SQLite: one write transaction (the store begins it immediate), so no other writer runs between
 * a subscription's compare-and-set and its insert; a row not moved is left for the caller.
 */
function claimInOneTransaction(db: Db, inputs: readonly ClaimDueDeliveryInput[]): Promise<Claimed> {
  return db.transaction().execute(async (trx) => {
    const claimed: Claimed = new Map();
    for (const input of inputs) {
      const dueAt = input.dueAt.getTime();
      const moved = await trx.executeQuery<Target>(
        CompiledQuery.raw(MOVE, [
          input.nextPromptAt.getTime(),
          input.now.getTime(),
          JSON.stringify(input.promptsUsed),
          input.subscriptionId,
          input.expectedNextPromptAt.getTime(),
          input.subscriptionId,
          dueAt,
        ]),
      );
      const target = moved.rows[0];
      if (!target) continue;
      const r = deliveryRow(input, target);
      const inserted = await trx.executeQuery<Parameters<typeof toDelivery>[0]>(
        CompiledQuery.raw(INSERT, [
          r.id,
          r.subscription_id,
          r.team_id,
          r.target_type,
          r.target_id,
          r.due_at,
          r.prompt_id,
          r.status,
          r.attempts,
          r.lease_owner,
          r.lease_expires_at,
          r.created_at,
          r.updated_at,
        ]),
      );
      const row = inserted.rows[0];
      if (!row) throw new Error(`Claiming subscription ${input.subscriptionId}: the insert returned no row`);
      claimed.set(input.subscriptionId, toDelivery(row));
    }
    return claimed;
  });
}

/**
 * PostgreSQL: the subscriptions moved (compare-and-set, as above) and the deliveries inserted from
 * the moved rows, in one statement. The update's row locks decide between concurrent passes: the
 * second waits, re-checks the due time against the committed row and moves nothing.
 */
async function claimInOneStatement(db: Db, inputs: readonly ClaimDueDeliveryInput[]): Promise<Claimed> {
  const values = sql.join(
    inputs.map((input) => {
      const row = deliveryRow(input, { team_id: "", target_type: "user", target_id: "" });
      return sql`(${input.subscriptionId}::text, ${input.expectedNextPromptAt.getTime()}::bigint,
        ${input.nextPromptAt.getTime()}::bigint, ${JSON.stringify(input.promptsUsed)}::text, ${row.id}::text,
        ${row.due_at}::bigint, ${row.prompt_id}::text, ${row.lease_owner}::text,
        ${row.lease_expires_at}::bigint, ${row.created_at}::bigint)`;
    }),
  );
  const { rows } = await sql<Parameters<typeof toDelivery>[0]>`
    with input (subscription_id, expected_at, next_at, prompts_used, delivery_id, due_at, prompt_id,
                owner, lease_until, at) as (values ${values}),
    moved as (
      update subscriptions as s
      set next_prompt_at = i.next_at, updated_at = i.at, prompts_used = i.prompts_used
      from input as i
      where s.id = i.subscription_id and s.next_prompt_at = i.expected_at and s.paused_reason is null
        and not exists (
          select 1 from deliveries as d where d.subscription_id = i.subscription_id and d.due_at = i.due_at)
      returning s.id, s.team_id, s.target_type, s.target_id, i.delivery_id, i.due_at, i.prompt_id,
        i.owner, i.lease_until, i.at
    )
    insert into deliveries (id, subscription_id, team_id, target_type, target_id, due_at, prompt_id,
      status, attempts, lease_owner, lease_expires_at, created_at, updated_at)
    select delivery_id, id, team_id, target_type, target_id, due_at, prompt_id, 'claimed', 1, owner,
      lease_until, at, at
    from moved
    on conflict (subscription_id, due_at) do nothing
    returning *`.execute(db);
  return new Map(rows.map((row) => [row.subscription_id, toDelivery(row)]));
}
