import type { FocusLevel } from "../content/types.js";
import { type IntendedFocus, NUDGE_INTERVAL_MS } from "../domain/focus.js";
import { changed, type Db, oneOf, rowsChanged, toDate } from "./rows.js";

const LEVELS: readonly FocusLevel[] = ["narrow", "wide", "ic"];

export interface IntendedFocusRow {
  readonly level: IntendedFocus;
  readonly setAt: Date;
  readonly lastNudgeAt: Date | null;
}

export async function getIntendedFocus(
  db: Db,
  teamId: string,
  userId: string,
): Promise<IntendedFocusRow | undefined> {
  const row = await db
    .selectFrom("intended_focus")
    .selectAll()
    .where("team_id", "=", teamId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    level: oneOf(LEVELS, row.level, "intended focus"),
    setAt: toDate(row.set_at),
    lastNudgeAt: row.last_nudge_at === null ? null : toDate(row.last_nudge_at),
  };
}

/** Everyone with an intended focus: a delivery pass asks about nobody else's (few set one). */
export async function listIntendedFocusHolders(db: Db): Promise<Array<{ teamId: string; userId: string }>> {
  const rows = await db.selectFrom("intended_focus").select(["team_id", "user_id"]).execute();
  return rows.map((row) => ({ teamId: row.team_id, userId: row.user_id }));
}

/** Sets (or with null turns off) the person's intended focus; the month between nudges is kept. */
export async function setIntendedFocus(
  db: Db,
  teamId: string,
  userId: string,
  level: IntendedFocus | null,
  now: Date,
): Promise<void> {
  if (level === null) {
    await db
      .deleteFrom("intended_focus")
      .where("team_id", "=", teamId)
      .where("user_id", "=", userId)
      .execute();
    return;
  }
  await db
    .insertInto("intended_focus")
    .values({ team_id: teamId, user_id: userId, level, set_at: now.getTime(), last_nudge_at: null })
    .onConflict((oc) => oc.columns(["team_id", "user_id"]).doUpdateSet({ level, set_at: now.getTime() }))
    .execute();
}

/**
 * Takes the person's nudge for this month: true for exactly one caller when none was sent in the
 * last 30 days, whichever instance asks, because the check and the write are one UPDATE.
 */
export async function claimNudge(db: Db, teamId: string, userId: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable("intended_focus")
    .set({ last_nudge_at: now.getTime() })
    .where("team_id", "=", teamId)
    .where("user_id", "=", userId)
    .where((eb) =>
      eb.or([eb("last_nudge_at", "is", null), eb("last_nudge_at", "<=", now.getTime() - NUDGE_INTERVAL_MS)]),
    )
    .executeTakeFirst();
  return changed(result);
}

export async function forgetUserIntendedFocus(db: Db, teamId: string, userId: string): Promise<number> {
  const result = await db
    .deleteFrom("intended_focus")
    .where("team_id", "=", teamId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return rowsChanged(result);
}
