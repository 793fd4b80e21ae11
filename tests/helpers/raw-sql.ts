import { isPostgresUrl } from "../../src/store/url.js";

/**
 * Runs one statement on a bot's database from outside the bot (a second connection), for tests
 * that look at rows table by table. `?` placeholders on both databases.
 */
export async function rawSql(
  databaseUrl: string,
  statement: string,
  params: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  if (isPostgresUrl(databaseUrl)) {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      let n = 0;
      const { rows } = await client.query(
        statement.replace(/\?/g, () => `$${++n}`),
        params,
      );
      return rows;
    } finally {
      await client.end();
    }
  }
  const { default: Sqlite } = await import("better-sqlite3");
  const db = new Sqlite(databaseUrl);
  try {
    db.pragma("busy_timeout = 5000");
    const prepared = db.prepare(statement);
    if (prepared.reader) return prepared.all(...params) as Record<string, unknown>[];
    prepared.run(...params);
    return [];
  } finally {
    db.close();
  }
}

/** One row in every table that holds a workspace, for `team`; and a knowledge gap (no workspace). */
export async function seedWorkspaceRows(databaseUrl: string, team: string): Promise<void> {
  const t = Date.now();
  const id = `${team}-${Math.random().toString(36).slice(2, 8)}`;
  const statements: Array<[string, unknown[]]> = [
    [
      "insert into subscriptions (id, team_id, target_type, target_id, weekday, time, time_zone, next_prompt_at, created_at, updated_at) values (?, ?, 'user', 'U1', 1, '09:00', 'UTC', ?, ?, ?)",
      [`s-${id}`, team, t + 86_400_000, t, t],
    ],
    [
      "insert into deliveries (id, subscription_id, team_id, target_type, target_id, due_at, status, created_at, updated_at) values (?, ?, ?, 'user', 'U1', ?, 'sent', ?, ?)",
      [`d-${id}`, `s-${id}`, team, t, t, t],
    ],
    [
      "insert into answers (delivery_id, team_id, user_id, choice, note, due_at, answered_at) values (?, ?, 'U1', 'wide', 'a private note', ?, ?)",
      [`d-${id}`, team, t, t],
    ],
    [
      "insert into feedback (id, team_id, user_id, article_slug, section_id, helpful, created_at) values (?, ?, 'U1', 'a', 'b', 1, ?)",
      [`f-${id}`, team, t],
    ],
    ["insert into intended_focus (team_id, user_id, level, set_at) values (?, 'U1', 'wide', ?)", [team, t]],
    [
      "insert into summary_name_optins (team_id, channel_id, user_id, created_at) values (?, 'C1', 'U1', ?)",
      [team, t],
    ],
    [
      "insert into team_summaries (delivery_id, team_id, channel_id, due_at, status, created_at, updated_at) values (?, ?, 'C1', ?, 'posted', ?, ?)",
      [`d-${id}`, team, t, t, t],
    ],
    [
      "insert into gaps (id, question, outcome, created_at) values (?, 'how do I hire', 'off-topic', ?)",
      [`g-${id}`, t],
    ],
  ];
  for (const [statement, params] of statements) await rawSql(databaseUrl, statement, params);
}

/** Rows of `team` in each workspace table. */
export async function countTeamRows(
  databaseUrl: string,
  tables: readonly string[],
  team: string,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await rawSql(databaseUrl, `select count(*) as n from ${table} where team_id = ?`, [team]);
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

/** Every table of the live schema (the bot's own PostgreSQL schema, or the SQLite file), sorted. */
export async function liveTables(databaseUrl: string): Promise<string[]> {
  const rows = isPostgresUrl(databaseUrl)
    ? await rawSql(
        databaseUrl,
        "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'",
      )
    : await rawSql(
        databaseUrl,
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'",
      );
  return rows.map((row) => String(row.name)).sort();
}

/** The live schema's tables that have a `team_id` column, sorted. */
export async function liveTeamTables(databaseUrl: string): Promise<string[]> {
  const rows = isPostgresUrl(databaseUrl)
    ? await rawSql(
        databaseUrl,
        "select table_name as name from information_schema.columns where table_schema = current_schema() and column_name = 'team_id'",
      )
    : await rawSql(
        databaseUrl,
        "select m.name as name from sqlite_master m join pragma_table_info(m.name) c where m.type = 'table' and c.name = 'team_id'",
      );
  return rows.map((row) => String(row.name)).sort();
}
