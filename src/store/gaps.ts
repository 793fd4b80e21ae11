import { randomUUID } from "node:crypto";
import { privateQuestion } from "./gap-question.js";
import { type Db, rowsChanged, toDate } from "./rows.js";

/** How long a gap is kept: older rows are deleted whenever a gap is recorded or listed. */
export const GAP_RETENTION_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * The most gaps kept, newest first: a flood of questions (or a script) cannot grow the table, or the
 * work of listing it, without bound. Also the most `listGaps` returns by default.
 */
export const GAP_MAX_ROWS = 10_000;

export type GapOutcome = "off-topic" | "not-helpful";

/** A question the content could not answer well. Who asked is never stored. */
export interface Gap {
  readonly question: string;
  readonly outcome: GapOutcome;
  readonly articleSlug: string | null;
  readonly sectionId: string | null;
  readonly createdAt: Date;
}

export interface GapInput {
  readonly question: string;
  readonly outcome: GapOutcome;
  readonly articleSlug: string | null;
  readonly sectionId: string | null;
  readonly now: Date;
}

/** Stores the gap's question as `privateQuestion` leaves it; nothing when nothing is left. */
export async function recordGap(db: Db, input: GapInput): Promise<void> {
  await recordGaps(db, [input]);
}

/** Rows per insert: well under SQLite's and PostgreSQL's limits on bound values. */
const INSERT_ROWS = 200;

/** Several gaps at once: one insert per 200, then one prune and one cap for them all. */
export async function recordGaps(db: Db, inputs: readonly GapInput[]): Promise<void> {
  const rows = inputs.flatMap((input) => {
    const question = privateQuestion(input.question);
    return question
      ? [
          {
            id: randomUUID(),
            question,
            outcome: input.outcome,
            article_slug: input.articleSlug,
            section_id: input.sectionId,
            created_at: input.now.getTime(),
          },
        ]
      : [];
  });
  if (rows.length === 0) return;
  for (let i = 0; i < rows.length; i += INSERT_ROWS) {
    await db
      .insertInto("gaps")
      .values(rows.slice(i, i + INSERT_ROWS))
      .execute();
  }
  const latest = Math.max(...inputs.map((input) => input.now.getTime()));
  await pruneGaps(db, new Date(latest));
  await capGaps(db, GAP_MAX_ROWS);
}

/** Deletes all but the newest `maxRows` gaps; returns how many went. */
export async function capGaps(db: Db, maxRows: number): Promise<number> {
  // The created_at of the oldest row kept, found through the index; ties beyond it may stay a while.
  const oldestKept = await db
    .selectFrom("gaps")
    .select("created_at")
    .orderBy("created_at", "desc")
    .offset(maxRows - 1)
    .limit(1)
    .executeTakeFirst();
  if (!oldestKept) return 0;
  const result = await db
    .deleteFrom("gaps")
    .where("created_at", "<", Number(oldestKept.created_at))
    .executeTakeFirst();
  return rowsChanged(result);
}

/** Deletes gaps older than the retention period; returns how many went. */
export async function pruneGaps(db: Db, now: Date): Promise<number> {
  const result = await db
    .deleteFrom("gaps")
    .where("created_at", "<", now.getTime() - GAP_RETENTION_DAYS * DAY_MS)
    .executeTakeFirst();
  return rowsChanged(result);
}

/** Gaps recorded since `since`, newest first (at most `limit`). */
export async function listGaps(db: Db, since: Date, limit = GAP_MAX_ROWS): Promise<Gap[]> {
  const rows = await db
    .selectFrom("gaps")
    .selectAll()
    .where("created_at", ">=", since.getTime())
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    question: row.question,
    outcome: row.outcome === "not-helpful" ? "not-helpful" : "off-topic",
    articleSlug: row.article_slug,
    sectionId: row.section_id,
    createdAt: toDate(row.created_at),
  }));
}
