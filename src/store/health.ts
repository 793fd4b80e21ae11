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
export async function storeHealth(
  db: Db,
  dialect: DialectName,
  deadlineMs?: number,
  verifyFile?: () => void,
): Promise<StoreHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    verifyFile?.();
    const beatAt = Date.now();
    const beat = db
      .insertInto("store_heartbeat")
      .values({ id: HEARTBEAT_ID, beat_at: beatAt })
      .onConflict((oc) => oc.column("id").doUpdateSet({ beat_at: beatAt }))
      .execute();
    // A load balancer's health check must get an answer, also from a database that answers nothing.
    const deadline = new Promise<never>((_resolve, reject) => {
      if (deadlineMs === undefined) return;
      timer = setTimeout(
        () => reject(new Error(`the database did not answer within ${deadlineMs} ms`)),
        deadlineMs,
      );
    });
    beat.catch(() => {}); // when the deadline won, the write's own failure comes later, unheard
    await Promise.race([beat, deadline]);
    return { ok: true, dialect, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { ok: false, dialect, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
