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
