import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/*
 * The one PostgreSQL set-up of the tests (and the benchmarks): suites run on SQLite always and also
 * on the PostgreSQL server named by TEST_DATABASE_URL when it is set, each in a schema of its own.
 */

/** `TEST_DATABASE_URL`: a PostgreSQL server that suites also run against when it is set. */
export const TEST_POSTGRES_URL: string | undefined = process.env.TEST_DATABASE_URL || undefined;

/** The databases a suite should run against: always SQLite, PostgreSQL when `TEST_DATABASE_URL` is set. */
export const TEST_DATABASES: ReadonlyArray<{ name: "sqlite" | "postgres"; postgresUrl?: string }> = [
  { name: "sqlite" },
  ...(TEST_POSTGRES_URL ? [{ name: "postgres" as const, postgresUrl: TEST_POSTGRES_URL }] : []),
];

/**
 * A schema of its own on a PostgreSQL server, so that CI, a developer and the benchmarks can run
 * against one database at once. The returned URL selects it through `search_path`.
 */
export async function postgresSchema(
  serverUrl: string,
  prefix = "em_focus_test",
): Promise<{ url: string; drop(): Promise<void> }> {
  // Loaded only here: most suites never touch PostgreSQL.
  const { default: pg } = await import("pg");
  const schema = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`create schema "${schema}"`);
  const scoped = new URL(serverUrl);
  scoped.searchParams.set("options", `-c search_path=${schema}`);
  return { url: scoped.toString(), drop: () => run(`drop schema if exists "${schema}" cascade`) };
}

/**
 * A database for one suite: a fresh SQLite file in a temporary folder, or a schema of its own on
 * `postgresUrl` when given. `drop` removes it.
 */
export async function testDatabase(
  postgresUrl: string | undefined,
  name = "em-focus",
): Promise<{ url: string; drop(): Promise<void> }> {
  if (postgresUrl) return postgresSchema(postgresUrl);
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  return { url: join(dir, `${name}.db`), drop: async () => rmSync(dir, { recursive: true, force: true }) };
}
