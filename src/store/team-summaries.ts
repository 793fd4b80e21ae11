import { type Db, rowsChanged, toDate } from "./rows.js";

/*
 * One summary per channel prompt, keyed by the prompt's delivery. A pass claims it (insert, or take
 * over a claim older than the lease whose pass died) before posting, so two instances never post
 * the same week twice. Nothing here names a person: who answered is read from `answers` each time
 * a summary is drawn, so a forgotten person is gone from every later drawing.
 */

export type SummaryStatus = "claimed" | "posted" | "not_enough";

export interface SummaryDue {
  readonly deliveryId: string;
  readonly teamId: string;
  readonly channelId: string;
  readonly dueAt: Date;
}

export interface PostedSummary extends SummaryDue {
  readonly messageTs: string;
}

/**
 * Channel prompts sent with a due time in [from, until) whose summary is not posted yet (or whose
 * claim is older than `staleClaimBefore`), oldest first.
 */
export async function listSummariesDue(
  db: Db,
  window: { from: Date; until: Date; staleClaimBefore: Date; limit: number },
): Promise<SummaryDue[]> {
  const rows = await db
    .selectFrom("deliveries as d")
    .leftJoin("team_summaries as s", "s.delivery_id", "d.id")
    .select(["d.id", "d.team_id", "d.target_id", "d.due_at", "d.channel_id"])
    .where("d.target_type", "=", "channel")
    .where("d.status", "=", "sent")
    .where("d.due_at", ">=", window.from.getTime())
    .where("d.due_at", "<", window.until.getTime())
    .where((eb) =>
      eb.or([
        eb("s.delivery_id", "is", null),
        eb.and([eb("s.status", "=", "claimed"), eb("s.updated_at", "<", window.staleClaimBefore.getTime())]),
      ]),
    )
    .orderBy("d.due_at")
    .limit(window.limit)
    .execute();
  return rows.map((row) => ({
    deliveryId: row.id,
    teamId: row.team_id,
    channelId: row.channel_id ?? row.target_id,
    dueAt: toDate(row.due_at),
  }));
}

/** True for the one pass that may post this summary now. */
export async function claimSummary(
  db: Db,
  due: SummaryDue,
  claim: { now: Date; staleClaimBefore: Date },
): Promise<boolean> {
  const now = claim.now.getTime();
  const inserted = await db
    .insertInto("team_summaries")
    .values({
      delivery_id: due.deliveryId,
      team_id: due.teamId,
      channel_id: due.channelId,
      due_at: due.dueAt.getTime(),
      status: "claimed",
      message_ts: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column("delivery_id").doNothing())
    .returning("delivery_id")
    .executeTakeFirst();
  if (inserted) return true;
  const taken = await db
    .updateTable("team_summaries")
    .set({ updated_at: now })
    .where("delivery_id", "=", due.deliveryId)
    .where("status", "=", "claimed")
    .where("updated_at", "<", claim.staleClaimBefore.getTime())
    .executeTakeFirst();
  return rowsChanged(taken) > 0;
}

export async function finishSummary(
  db: Db,
  deliveryId: string,
  outcome: { status: Exclude<SummaryStatus, "claimed">; messageTs: string | null; now: Date },
): Promise<void> {
  await db
    .updateTable("team_summaries")
    .set({
      status: outcome.status,
      message_ts: outcome.messageTs,
      stale: 0,
      updated_at: outcome.now.getTime(),
    })
    .where("delivery_id", "=", deliveryId)
    .execute();
}

/** Gives a claim back after a failed post, so a later pass tries again. */
export async function releaseSummary(db: Db, deliveryId: string): Promise<void> {
  await db
    .deleteFrom("team_summaries")
    .where("delivery_id", "=", deliveryId)
    .where("status", "=", "claimed")
    .execute();
}

/**
 * Marks every posted summary that counted this person's answer, before the answers go: the next
 * pass redraws those messages in Slack from what is left.
 */
export async function markStaleForUser(db: Db, teamId: string, userId: string): Promise<number> {
  const result = await db
    .updateTable("team_summaries")
    .set({ stale: 1 })
    .where("team_id", "=", teamId)
    .where("message_ts", "is not", null)
    .where("delivery_id", "in", (eb) =>
      eb
        .selectFrom("answers")
        .select("delivery_id")
        .where("team_id", "=", teamId)
        .where("user_id", "=", userId),
    )
    .executeTakeFirst();
  return rowsChanged(result);
}

export async function listStaleSummaries(db: Db, limit: number): Promise<PostedSummary[]> {
  const rows = await db
    .selectFrom("team_summaries")
    .selectAll()
    .where("stale", "=", 1)
    .where("message_ts", "is not", null)
    .orderBy("due_at")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    deliveryId: row.delivery_id,
    teamId: row.team_id,
    channelId: row.channel_id,
    dueAt: toDate(row.due_at),
    messageTs: row.message_ts ?? "",
  }));
}

/** Summaries the channel saw, oldest first: the weeks of the trend. */
export async function listChannelSummaries(
  db: Db,
  teamId: string,
  channelId: string,
  from: Date,
  until: Date,
): Promise<Array<{ deliveryId: string; dueAt: Date }>> {
  const rows = await db
    .selectFrom("team_summaries")
    .select(["delivery_id", "due_at"])
    .where("team_id", "=", teamId)
    .where("channel_id", "=", channelId)
    .where("due_at", ">=", from.getTime())
    .where("due_at", "<=", until.getTime())
    .orderBy("due_at")
    .execute();
  return rows.map((row) => ({ deliveryId: row.delivery_id, dueAt: toDate(row.due_at) }));
}

export async function deleteSummariesBefore(db: Db, cutoff: Date): Promise<number> {
  const result = await db
    .deleteFrom("team_summaries")
    .where("due_at", "<", cutoff.getTime())
    .executeTakeFirst();
  return rowsChanged(result);
}
