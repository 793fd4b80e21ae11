import type { Db, DialectName } from "./rows.js";

export type StoreHealth =
  | { readonly ok: true; readonly dialect: DialectName; readonly latencyMs: number }
  | { readonly ok: false; readonly dialect: DialectName; readonly error: string };

/** The heartbeat row: one for the whole database, however many instances share it. */
const HEARTBEAT_ID = "healthz";

/**
 * Whether the database answers and keeps writes, and how long it took (for /healthz): the
 * heartbeat row is written and committed through the same path as every other write. A write
 * rolled back instead stays in SQLite's page cache in WAL mode and passes on a full disk or a
 * read-only file; a committed one must reach the write-ahead log.
 */
export async function storeHealth(db: Db, dialect: DialectName): Promise<StoreHealth> {
  const started = performance.now();
  try {
    const beatAt = Date.now();
    await db
      .insertInto("store_heartbeat")
      .values({ id: HEARTBEAT_ID, beat_at: beatAt })
      .onConflict((oc) => oc.column("id").doUpdateSet({ beat_at: beatAt }))
      .execute();
    return { ok: true, dialect, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { ok: false, dialect, error: error instanceof Error ? error.message : String(error) };
  }
}
