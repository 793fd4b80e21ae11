import { sql } from "kysely";
import { type Db, type DialectName, rowsChanged } from "./rows.js";
import type { InstallationsTable } from "./schema.js";

/**
 * A row of `installations` as stored: tokens sealed (the caller seals and opens them, see
 * slack/installation-store.ts), "" for a missing enterprise or team.
 */
export type InstallationRow = InstallationsTable;

/** Which install: Slack's own key. An org-wide install has no team; a Grid workspace has both. */
export interface InstallationKey {
  readonly enterpriseId: string | null;
  readonly teamId: string | null;
  readonly isEnterpriseInstall: boolean;
}

/** The key columns of an install: (enterprise_id, "") for an org, (enterprise_id or "", team_id) for a workspace. */
export function keyColumns(key: InstallationKey): { enterprise_id: string; team_id: string } {
  if (key.isEnterpriseInstall) {
    if (!key.enterpriseId) throw new Error("an org-wide install needs its enterprise id");
    return { enterprise_id: key.enterpriseId, team_id: "" };
  }
  if (!key.teamId) throw new Error("a workspace install needs its team id");
  return { enterprise_id: key.enterpriseId ?? "", team_id: key.teamId };
}

/** What the sealed tokens of a row are bound to (store/token-crypto.ts `context`). */
export function rowContext(row: { enterprise_id: string; team_id: string }): string {
  return `installation:${row.enterprise_id}/${row.team_id}`;
}

function number(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

function normalise(row: InstallationRow): InstallationRow {
  return {
    ...row,
    is_enterprise_install: Number(row.is_enterprise_install),
    bot_expires_at: number(row.bot_expires_at),
    installed_at: Number(row.installed_at),
    updated_at: Number(row.updated_at),
  };
}

/**
 * Stores an install, replacing the one with the same key (a re-install). A workspace that was
 * installed before it joined a Grid (or left one) keeps one row: its other rows go first.
 */
export async function saveInstallation(db: Db, row: InstallationRow): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (row.is_enterprise_install === 0) {
      await trx
        .deleteFrom("installations")
        .where("team_id", "=", row.team_id)
        .where("enterprise_id", "!=", row.enterprise_id)
        .execute();
    }
    const { installed_at: _installed, enterprise_id: _e, team_id: _t, ...changes } = row;
    await trx
      .insertInto("installations")
      .values(row)
      .onConflict((oc) => oc.columns(["enterprise_id", "team_id"]).doUpdateSet(changes))
      .execute();
  });
}

/** The install with exactly this key. */
export async function findInstallation(db: Db, key: InstallationKey): Promise<InstallationRow | undefined> {
  const columns = keyColumns(key);
  const row = await db
    .selectFrom("installations")
    .selectAll()
    .where("enterprise_id", "=", columns.enterprise_id)
    .where("team_id", "=", columns.team_id)
    .executeTakeFirst();
  return row && normalise(row);
}

/**
 * The install that serves a workspace: its own install (team ids are unique across Slack), else
 * the org-wide install of the org it was last seen in.
 */
export async function installationForTeam(db: Db, teamId: string): Promise<InstallationRow | undefined> {
  if (teamId === "") return undefined;
  const own = await db
    .selectFrom("installations")
    .selectAll()
    .where("team_id", "=", teamId)
    .where("is_enterprise_install", "=", 0)
    .executeTakeFirst();
  if (own) return normalise(own);
  const org = await db
    .selectFrom("installation_teams")
    .innerJoin("installations", (join) =>
      join
        .onRef("installations.enterprise_id", "=", "installation_teams.enterprise_id")
        .on("installations.team_id", "=", ""),
    )
    .selectAll("installations")
    .where("installation_teams.team_id", "=", teamId)
    .executeTakeFirst();
  return org && normalise(org);
}

/** Records that an org-wide install served this workspace (so its rows go with the org). */
export async function rememberOrgTeam(
  db: Db,
  teamId: string,
  enterpriseId: string,
  now: Date,
): Promise<void> {
  await db
    .insertInto("installation_teams")
    .values({ team_id: teamId, enterprise_id: enterpriseId, seen_at: now.getTime() })
    .onConflict((oc) =>
      oc.column("team_id").doUpdateSet({ enterprise_id: enterpriseId, seen_at: now.getTime() }),
    )
    .execute();
}

/** The workspaces an org-wide install has served. */
export async function orgTeams(db: Db, enterpriseId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("installation_teams")
    .select("team_id")
    .where("enterprise_id", "=", enterpriseId)
    .execute();
  return rows.map((row) => row.team_id);
}

/**
 * Runs `work` with the install's row locked against every other writer, in one transaction:
 * `SELECT … FOR UPDATE` on PostgreSQL; on SQLite the transaction itself, which the store begins
 * IMMEDIATE (the write lock: one at a time across processes). `save` writes the row in it.
 */
export async function withInstallationLocked<T>(
  db: Db,
  dialect: DialectName,
  key: InstallationKey,
  work: (row: InstallationRow | undefined, save: (row: InstallationRow) => Promise<void>) => Promise<T>,
): Promise<T> {
  const columns = keyColumns(key);
  return db.transaction().execute(async (trx) => {
    let query = trx
      .selectFrom("installations")
      .selectAll()
      .where("enterprise_id", "=", columns.enterprise_id)
      .where("team_id", "=", columns.team_id);
    if (dialect === "postgres") query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return work(row && normalise(row), async (next) => {
      const { enterprise_id: _e, team_id: _t, installed_at: _i, ...changes } = next;
      await trx
        .updateTable("installations")
        .set(changes)
        .where("enterprise_id", "=", columns.enterprise_id)
        .where("team_id", "=", columns.team_id)
        .execute();
    });
  });
}

/** Every install, a page at a time by key (for `keys rotate`). */
export async function listInstallations(
  db: Db,
  after: { enterprise_id: string; team_id: string } | null,
  limit: number,
): Promise<InstallationRow[]> {
  let query = db.selectFrom("installations").selectAll();
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb("enterprise_id", ">", after.enterprise_id),
        eb.and([eb("enterprise_id", "=", after.enterprise_id), eb("team_id", ">", after.team_id)]),
      ]),
    );
  }
  const rows = await query.orderBy("enterprise_id").orderBy("team_id").limit(limit).execute();
  return rows.map(normalise);
}

/** Deletes the install with this key; how many rows went (0 or 1). */
export async function deleteInstallation(db: Db, key: InstallationKey): Promise<number> {
  const columns = keyColumns(key);
  const result = await db
    .deleteFrom("installations")
    .where("enterprise_id", "=", columns.enterprise_id)
    .where("team_id", "=", columns.team_id)
    .executeTakeFirst();
  return rowsChanged(result);
}

/** Forgets which workspaces an org-wide install served. */
export async function forgetOrgTeams(db: Db, enterpriseId: string): Promise<number> {
  const result = await db
    .deleteFrom("installation_teams")
    .where("enterprise_id", "=", enterpriseId)
    .executeTakeFirst();
  return rowsChanged(result);
}

/**
 * Marks an OAuth state used: true the first time, false when it was used before. Old marks (past
 * the state's own expiry, when it is refused anyway) are swept on the way.
 */
export async function useOAuthState(db: Db, stateHash: string, expiresAt: Date, now: Date): Promise<boolean> {
  await db.deleteFrom("oauth_states_used").where("expires_at", "<", now.getTime()).execute();
  const result = await db
    .insertInto("oauth_states_used")
    .values({ state_hash: stateHash, expires_at: expiresAt.getTime() })
    .onConflict((oc) => oc.column("state_hash").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** For tests and health: how many installs there are. */
export async function countInstallations(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from installations`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
