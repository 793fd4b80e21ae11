import { existsSync, type FSWatcher, mkdirSync, statSync, watch } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Kysely, Migrator, SqliteDialect, sql } from "kysely";
import { migrationProvider } from "./migrations.js";
import { openPostgres, type PostgresTimeouts } from "./postgres-pool.js";
import type { Database } from "./schema.js";
import { createStore } from "./store.js";
import type { DialectName, Store } from "./types.js";
import { isPostgresUrl, redactDatabaseUrl } from "./url.js";

export { isPostgresUrl, redactDatabaseUrl };

export interface OpenStoreOptions {
  /** Largest number of PostgreSQL connections (default 10). */
  readonly poolSize?: number;
  /** Receives errors of idle PostgreSQL connections, which would otherwise crash the process. */
  readonly onPoolError?: (error: Error) => void;
  /** PostgreSQL connect and statement timeouts (default: none, as pg's own). */
  readonly timeouts?: PostgresTimeouts;
}

const NO_TIMEOUTS: PostgresTimeouts = { connectMs: 0, statementMs: 0 };

/** The SQLite file a `DATABASE_URL` names: a path, a `file:` path or URL, or `:memory:`. */
export function sqlitePathFrom(databaseUrl: string): string {
  if (databaseUrl === ":memory:" || databaseUrl === "file::memory:") return ":memory:";
  if (databaseUrl.startsWith("file://")) return fileURLToPath(databaseUrl);
  if (databaseUrl.startsWith("file:")) return databaseUrl.slice("file:".length);
  return databaseUrl;
}

// Each driver is loaded only when its database is used: start-up pays for one, not both.
async function openSqlite(databaseUrl: string): Promise<{ db: Kysely<Database>; verify: () => void }> {
  const { default: SqliteDatabase } = await import("better-sqlite3");
  const path = sqlitePathFrom(databaseUrl);
  if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  const database = new SqliteDatabase(path);
  const checkFile = watchFile(path, "file");
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  database.pragma("busy_timeout = 5000");
  // The write-ahead log appears with the first read; it holds every write since the last checkpoint.
  database.prepare("select count(*) from sqlite_master").get();
  const checkLog = existsSync(`${path}-wal`)
    ? watchFile(`${path}-wal`, "write-ahead log")
    : Object.assign(() => {}, { close: () => {} });
  // Kysely prepares every statement anew; the store runs the same few statements thousands of times
  // in a delivery pass, so prepared statements are kept (queries are serialised on one connection).
  const statements = new Map<string, ReturnType<typeof database.prepare>>();
  const cached = {
    close: () => {
      checkFile.close();
      checkLog.close();
      database.close();
    },
    prepare: (query: string) => {
      let statement = statements.get(query);
      if (!statement) {
        // Kysely begins every transaction deferred. One that reads and then writes cannot wait for
        // another process's writer (SQLite answers "database is locked" at once, busy_timeout or
        // not): taking the write lock at `begin` makes it queue for busy_timeout instead.
        statement = database.prepare(/^\s*begin\s*$/i.test(query) ? "begin immediate" : query);
        if (statements.size < 1_000) statements.set(query, statement);
      }
      // Writes (and `begin`) go to the file the store opened, or fail: never into a deleted file.
      if (!statement.readonly && !/^\s*rollback/i.test(query)) {
        checkFile();
        checkLog();
      }
      return statement;
    },
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) });
  return {
    db,
    verify: () => {
      checkFile(true);
      checkLog(true);
    },
  };
}

/** How long a write trusts the last look at the file when nothing said it changed. */
export const FILE_CHECK_INTERVAL_MS = 1_000;

/**
 * A check that the SQLite file (or its write-ahead log) is still the one opened. SQLite keeps
 * writing into an open file after it was deleted or its folder moved, and everything written is
 * then lost at the next start (for the log: everything since the last checkpoint); this notices.
 * A stat before every write was a tenth of a busy request's time, so the file is looked at again
 * when a watch on it reports a rename or deletion, when the last look is over a second old (a
 * folder moved higher up is not reported), after a failed look until one succeeds, and on
 * `force` (the health check). Between looks a write costs a clock read.
 */
export interface FileCheck {
  (force?: boolean): void;
  close(): void;
}

function watchFile(path: string, what: "file" | "write-ahead log"): FileCheck {
  const none: FileCheck = Object.assign(() => {}, { close: () => {} });
  if (path === ":memory:" || path === "") return none;
  const opened = statSync(path);
  let lookedAt = performance.now();
  let suspect = false;
  let watcher: FSWatcher | undefined;
  try {
    // Only renames and deletions matter; a change of the contents (every checkpoint) does not.
    watcher = watch(path, { persistent: false }, (event) => {
      if (event === "rename") suspect = true;
    });
    watcher.on("error", () => {
      suspect = true;
    });
  } catch {
    // No watch on this file system: the periodic look alone.
  }
  const look = () => {
    let now: ReturnType<typeof statSync>;
    try {
      now = statSync(path);
    } catch {
      suspect = true;
      throw new Error(
        what === "file"
          ? `the SQLite file ${path} is gone (deleted, or its folder moved, while em-focus was running); nothing was written. Put it back, or restart em-focus to start a new one.`
          : `the SQLite write-ahead log ${path} was deleted while em-focus was running; nothing was written. Writes since the last checkpoint may be lost: restart em-focus.`,
      );
    }
    if (now.ino !== opened.ino || now.dev !== opened.dev) {
      suspect = true;
      throw new Error(
        `the SQLite ${what} ${path} was replaced while em-focus was running; nothing was written. Restart em-focus to use the new file.`,
      );
    }
    suspect = false;
    lookedAt = performance.now();
  };
  const check = (force = false) => {
    if (force || suspect || performance.now() - lookedAt > FILE_CHECK_INTERVAL_MS) look();
  };
  return Object.assign(check, { close: () => watcher?.close() });
}

/**
 * Opens the database named by `databaseUrl` (PostgreSQL URL, SQLite path, `file:` path or
 * `:memory:`) and brings its schema to the latest migration.
 */
export async function openStore(databaseUrl: string, options: OpenStoreOptions = {}): Promise<Store> {
  const dialect: DialectName = isPostgresUrl(databaseUrl) ? "postgres" : "sqlite";
  const postgres = (timeouts: PostgresTimeouts, poolSize: number) =>
    openPostgres(databaseUrl, { poolSize, timeouts, onPoolError: options.onPoolError });
  let db: Kysely<Database>;
  let migrationDb: Kysely<Database>;
  let verify: (() => void) | undefined;
  try {
    if (dialect === "postgres") db = await postgres(options.timeouts ?? NO_TIMEOUTS, options.poolSize ?? 10);
    else ({ db, verify } = await openSqlite(databaseUrl));
    // Migrations may rewrite whole tables: on PostgreSQL they get a connection without the
    // statement timeout meant for requests.
    migrationDb =
      dialect === "postgres"
        ? await postgres({ connectMs: options.timeouts?.connectMs ?? 0, statementMs: 0 }, 1)
        : db;
  } catch (error) {
    throw new Error(`Cannot open the database ${redactDatabaseUrl(databaseUrl)}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  let error: unknown;
  try {
    // Kysely looks for its bookkeeping tables in every schema unless told which one, so another
    // schema's copy (a second app, a parallel test run) would be mistaken for ours.
    const migrationTableSchema = dialect === "postgres" ? await currentSchema(migrationDb) : undefined;
    // Kysely's introspection reads every schema's tables: a schema (3F000, invalid_schema_name) or a
    // table (42P01, undefined_table) another client drops meanwhile fails it although ours is fine.
    // Tried again then.
    for (let attempt = 1; ; attempt++) {
      ({ error } = await new Migrator({
        db: migrationDb,
        provider: migrationProvider,
        ...(migrationTableSchema ? { migrationTableSchema } : {}),
      }).migrateToLatest());
      const code = error && (error as { code?: unknown }).code;
      if (!((code === "3F000" || code === "42P01") && attempt < 5)) break;
    }
  } catch (thrown) {
    error = thrown;
  }
  if (migrationDb !== db) await migrationDb.destroy().catch(() => {});
  if (error) {
    await db.destroy().catch(() => {});
    throw new Error(`Cannot migrate the database ${redactDatabaseUrl(databaseUrl)}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  // A round trip's worth of both timeouts: connecting (or waiting for a connection), then the write.
  const timeouts = options.timeouts;
  const healthDeadlineMs =
    dialect === "postgres" && timeouts
      ? (timeouts.connectMs || 5_000) + (timeouts.statementMs || 5_000)
      : undefined;
  return createStore(db, dialect, healthDeadlineMs, verify);
}

async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? "public";
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  return error instanceof Error ? error.message : String(error);
}
