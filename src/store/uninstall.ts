import { deleteInstallation, forgetOrgTeams, type InstallationKey, orgTeams } from "./installations.js";
import { type Db, rowsChanged } from "./rows.js";
import type { Database } from "./schema.js";

/**
 * Every table that holds a workspace's rows, by its `team_id` column. Knowledge gaps hold no
 * workspace (by design) and stay; the store's own heartbeat and OAuth bookkeeping hold none either.
 */
export const WORKSPACE_TABLES = [
  "subscriptions",
  "deliveries",
  "answers",
  "feedback",
  "intended_focus",
  "summary_name_optins",
  "team_summaries",
] as const satisfies ReadonlyArray<keyof Database>;

export type WorkspaceTable = (typeof WORKSPACE_TABLES)[number];

/**
 * The tables an uninstall leaves, each with why: none holds anything of a workspace. A test lists
 * the live schema's tables and fails on one that is in neither list, so a new table is decided on.
 */
export const TABLES_WITHOUT_WORKSPACE_ROWS = {
  gaps: "knowledge gaps hold a cleaned question and no workspace, user or channel (by design)",
  store_heartbeat: "the store's own write probe for /healthz",
  oauth_states_used: "hashes of used OAuth states, expiring within minutes; no workspace",
  // Keyed by Slack's event id, which names no workspace; a claim expires 15 minutes after it is
  // made and is swept, so nothing of an uninstalled workspace outlives that.
  event_claims: "claimed Slack event ids (no workspace), swept when they expire",
  kysely_migration: "which migrations ran",
  kysely_migration_lock: "the migration lock",
} as const;

/** Rows deleted by an uninstall, by table (installations and the org's workspaces included). */
export type UninstallReport = Record<WorkspaceTable | "installations" | "installation_teams", number>;

/**
 * Deletes an install and everything of the workspaces it served, in one transaction: a workspace
 * install takes its own team's rows; an org-wide install those of every workspace it served.
 * Idempotent: an install already gone (a second event, tokens_revoked after app_uninstalled)
 * deletes what is left, which may be nothing.
 */
export async function uninstall(db: Db, key: InstallationKey): Promise<UninstallReport> {
  return db.transaction().execute(async (trx) => {
    const teams = key.isEnterpriseInstall && key.enterpriseId ? await orgTeams(trx, key.enterpriseId) : [];
    if (!key.isEnterpriseInstall && key.teamId) teams.push(key.teamId);
    const report = { installations: 0, installation_teams: 0 } as UninstallReport;
    for (const table of WORKSPACE_TABLES) report[table] = await deleteTeams(trx, table, teams);
    if (key.isEnterpriseInstall ? key.enterpriseId : key.teamId)
      report.installations = await deleteInstallation(trx, key);
    if (key.isEnterpriseInstall && key.enterpriseId)
      report.installation_teams = await forgetOrgTeams(trx, key.enterpriseId);
    return report;
  });
}

async function deleteTeams(db: Db, table: WorkspaceTable, teams: readonly string[]): Promise<number> {
  if (teams.length === 0) return 0;
  let deleted = 0;
  // In slices: SQLite allows a bounded number of parameters per statement.
  for (let i = 0; i < teams.length; i += 500) {
    const result = await db
      .deleteFrom(table)
      .where("team_id", "in", teams.slice(i, i + 500))
      .executeTakeFirst();
    deleted += rowsChanged(result);
  }
  return deleted;
}
