import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Db, DialectName } from "./rows.js";

export type StoreHealth =
  | { readonly ok: true; readonly dialect: DialectName; readonly latencyMs: number }
  | { readonly ok: false; readonly dialect: DialectName; readonly error: string };

/** Thrown inside the health check's transaction so that its write is rolled back. */
class HealthRollback extends Error {}

/** Whether the database answers and takes writes, and how long it took (for /healthz). */
export async function storeHealth(db: Db, dialect: DialectName): Promise<StoreHealth> {
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
}
