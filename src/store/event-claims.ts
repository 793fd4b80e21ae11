import type { Db } from "./rows.js";

/*
 * Slack events claimed by one app process. When several processes share the database (PostgreSQL
 * behind one URL), the first to insert an event's key answers it; a retry of that event that lands
 * on another process finds the key taken. Rows live until `expiresAt`, well past Slack's last retry
 * (about five minutes after the first delivery), and are then swept.
 */

/**
 * Claims `key` until `expiresAt`: true when this call inserted it, false when it was already there
 * (whoever inserted it answers). One statement, so two processes cannot both win.
 */
export async function claimEvent(db: Db, key: string, now: Date, expiresAt: Date): Promise<boolean> {
  const result = await db
    .insertInto("event_claims")
    .values({ key, claimed_at: now.getTime(), expires_at: expiresAt.getTime() })
    .onConflict((conflict) => conflict.column("key").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Deletes the claims expired at `now`; returns how many. */
export async function sweepEventClaims(db: Db, now: Date): Promise<number> {
  const result = await db
    .deleteFrom("event_claims")
    .where("expires_at", "<=", now.getTime())
    .executeTakeFirst();
  return Number(result.numDeletedRows ?? 0n);
}
