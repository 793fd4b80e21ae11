import { type Db, rowsChanged } from "./rows.js";

/*
 * A channel's weekly summary names nobody unless that member chose to be named there. Opting in is
 * per channel: being named in one leadership channel says nothing about another.
 */

export async function setNameShown(
  db: Db,
  target: { teamId: string; channelId: string; userId: string },
  shown: boolean,
  now: Date,
): Promise<void> {
  const { teamId, channelId, userId } = target;
  if (!shown) {
    await db
      .deleteFrom("summary_name_optins")
      .where("team_id", "=", teamId)
      .where("channel_id", "=", channelId)
      .where("user_id", "=", userId)
      .execute();
    return;
  }
  await db
    .insertInto("summary_name_optins")
    .values({ team_id: teamId, channel_id: channelId, user_id: userId, created_at: now.getTime() })
    .onConflict((oc) => oc.columns(["team_id", "channel_id", "user_id"]).doNothing())
    .execute();
}

/** Members of the channel who chose to be named in its summary. */
export async function namedMembers(db: Db, teamId: string, channelId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom("summary_name_optins")
    .select("user_id")
    .where("team_id", "=", teamId)
    .where("channel_id", "=", channelId)
    .execute();
  return new Set(rows.map((row) => row.user_id));
}

export async function forgetUserOptins(db: Db, teamId: string, userId: string): Promise<number> {
  const result = await db
    .deleteFrom("summary_name_optins")
    .where("team_id", "=", teamId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return rowsChanged(result);
}
