import { CompiledQuery, sql } from "kysely";
import type { Db, DialectName } from "./rows.js";

export interface SentInput {
  readonly owner: string;
  readonly channelId: string;
  readonly messageTs: string;
  readonly now: Date;
}

interface Waiting extends SentInput {
  readonly id: string;
  resolve(recorded: boolean): void;
  reject(error: unknown): void;
}

/** Rows per statement: 5 bound values each, far under PostgreSQL's 65,535. */
const BATCH_ROWS = 500;
/**
 * How long an outcome waits for others to share its commit. The pass does not wait for the record
 * (delivery-send.ts), so at 500 messages a second a commit holds ~10 of them instead of one or two.
 */
const WINDOW_MS = 20;

/** PostgreSQL: one update for the batch (same values, same owned-claim condition per row). */
async function recordInOneStatement(db: Db, batch: readonly Waiting[]): Promise<Set<string>> {
  const rows = sql.join(
    batch.map(
      (w) =>
        sql`(${w.id}::text, ${w.owner}::text, ${w.channelId}::text, ${w.messageTs}::text, ${w.now.getTime()}::bigint)`,
    ),
  );
  const { rows: recorded } = await sql<{ id: string }>`
    update deliveries as d set
      status = 'sent', channel_id = v.channel_id, message_ts = v.message_ts, sent_at = v.at,
      lease_owner = null, lease_expires_at = null, next_attempt_at = null, last_error = null,
      updated_at = v.at
    from (values ${rows}) as v(id, owner, channel_id, message_ts, at)
    where d.id = v.id and d.status = 'claimed' and d.lease_owner = v.owner
    returning d.id`.execute(db);
  return new Set(recorded.map((r) => r.id));
}

/**
 * `markDeliverySent`'s update written out, with the same owned-claim condition as
 * `updateOwnedClaim` in deliveries.ts: it runs for every prompt (see claim-batch.ts).
 */
const SENT = `update deliveries set status = 'sent', channel_id = ?, message_ts = ?, sent_at = ?,
    lease_owner = null, lease_expires_at = null, next_attempt_at = null, last_error = null, updated_at = ?
  where id = ? and status = 'claimed' and lease_owner = ?`;

/** SQLite: the same update row by row, in one transaction (one commit). */
function recordInOneTransaction(db: Db, batch: readonly Waiting[]): Promise<Set<string>> {
  return db.transaction().execute(async (trx) => {
    const recorded = new Set<string>();
    for (const w of batch) {
      const at = w.now.getTime();
      const result = await trx.executeQuery(
        CompiledQuery.raw(SENT, [w.channelId, w.messageTs, at, at, w.id, w.owner]),
      );
      if ((result.numAffectedRows ?? 0n) > 0n) recorded.add(w.id);
    }
    return recorded;
  });
}

/**
 * `markDeliverySent`, batched: the outcomes recorded within WINDOW_MS go to the database together, one commit for all of them instead of one each (on PostgreSQL also one round
 * trip). Each caller still learns whether its own row was recorded, after the commit. A crash
 * before the write is what a crash after Slack accepted and before the record always was: the
 * claim stays and the next pass finds the message in Slack (prompts/deliver.ts).
 */
export function batchedMarkSent(
  db: Db,
  dialect: DialectName,
): (id: string, sent: SentInput) => Promise<boolean> {
  let queue: Waiting[] = [];
  let timer: NodeJS.Timeout | undefined;
  const record = dialect === "postgres" ? recordInOneStatement : recordInOneTransaction;

  const write = async (batch: Waiting[]): Promise<void> => {
    try {
      const ids = await record(db, batch);
      for (const w of batch) w.resolve(ids.has(w.id));
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  };

  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    const waiting = queue;
    queue = [];
    // One row per delivery in a statement; a second outcome for the same one waits for the next.
    const seen = new Set<string>();
    let batch: Waiting[] = [];
    for (const w of waiting) {
      if (seen.has(w.id) || batch.length >= BATCH_ROWS) {
        if (seen.has(w.id)) {
          queue.push(w);
          continue;
        }
        void write(batch);
        batch = [];
        seen.clear();
      }
      seen.add(w.id);
      batch.push(w);
    }
    if (batch.length > 0) void write(batch);
    if (queue.length > 0) timer = setTimeout(flush, WINDOW_MS);
  };

  return (id, sent) =>
    new Promise<boolean>((resolve, reject) => {
      queue.push({ id, ...sent, resolve, reject });
      if (queue.length >= BATCH_ROWS) flush();
      else timer ??= setTimeout(flush, WINDOW_MS);
    });
}
