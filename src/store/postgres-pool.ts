import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from "kysely";
import type pg from "pg";
import type { Database } from "./schema.js";

const INT8_OID = 20;

/** How long a PostgreSQL store may take; 0 statementMs for none (migrations). */
export interface PostgresTimeouts {
  readonly connectMs: number;
  readonly statementMs: number;
}

export interface PostgresOptions {
  readonly poolSize: number;
  readonly timeouts: PostgresTimeouts;
  readonly onPoolError?: ((error: Error) => void) | undefined;
}

/** pg's own message when `query_timeout` gives up on a query the server never answered. */
const READ_TIMEOUT = "Query read timeout";

/*
 * A frozen server, or a link that swallows packets, must not hold a request (and the person waiting
 * for it) for as long as TCP takes to give up. Each layer bounds a different way of hanging:
 * - connectionTimeoutMillis: opening a connection, or waiting for a free one in the pool;
 * - statement_timeout (server side): a slow statement, cancelled by a server that still answers;
 * - query_timeout (client side, a little longer): a server that answers nothing at all;
 * - idle_in_transaction_session_timeout: a transaction left open by a client that vanished;
 * - idleTimeoutMillis and TCP keep-alive: idle connections through a dead link are found and closed.
 */
export async function openPostgres(databaseUrl: string, options: PostgresOptions): Promise<Kysely<Database>> {
  const { default: pgModule } = await import("pg");
  const { connectMs, statementMs } = options.timeouts;
  const pool = new pgModule.Pool({
    connectionString: databaseUrl,
    max: options.poolSize,
    connectionTimeoutMillis: connectMs,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    idle_in_transaction_session_timeout: 60_000,
    ...(statementMs > 0 ? { statement_timeout: statementMs, query_timeout: statementMs + 500 } : {}),
    // Timestamps are int8; parse them on this pool only, not for every pg user in the process.
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === INT8_OID && format !== "binary"
          ? (value: string) => Number(value)
          : pgModule.types.getTypeParser(oid, format)) as typeof pgModule.types.getTypeParser,
    },
  });
  pool.on(
    "error",
    options.onPoolError ?? ((error) => console.error("PostgreSQL pool error:", error.message)),
  );
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: discardingTimedOut(pool) }) });
}

/**
 * The pool as Kysely sees it, except that a connection whose query timed out on our side is
 * destroyed instead of going back to the pool. pg leaves such a connection waiting for an answer
 * that (through a link that lost it) never comes: every later query on it would queue behind that
 * one, and the pool would never recover without a restart.
 */
function discardingTimedOut(pool: pg.Pool): PostgresPool {
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let broken: Error | undefined;
    const query = (sqlOrCursor: unknown, parameters?: ReadonlyArray<unknown>): unknown => {
      if (typeof sqlOrCursor !== "string") return client.query(sqlOrCursor as pg.Submittable);
      // Not even `rollback` is queued behind the lost query: it would time out again.
      if (broken) return Promise.reject(broken);
      return client.query(sqlOrCursor, parameters as unknown[]).catch((error: unknown) => {
        if (error instanceof Error && error.message === READ_TIMEOUT) {
          broken = new Error(`PostgreSQL did not answer within the statement timeout (${READ_TIMEOUT})`);
          throw broken;
        }
        throw error;
      });
    };
    return {
      query,
      release: (destroy?: boolean) => client.release(destroy || broken !== undefined ? true : undefined),
    } as PostgresPoolClient;
  };
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = wrap(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}
