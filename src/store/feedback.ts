import { randomUUID } from "node:crypto";
import type { Selectable } from "kysely";
import { type Db, rowsChanged, toDate } from "./rows.js";
import type { FeedbackTable } from "./schema.js";

/** "Was this helpful?" on an answer: one row per click. */
export interface Feedback {
  readonly id: string;
  readonly teamId: string;
  readonly userId: string;
  readonly articleSlug: string;
  readonly sectionId: string;
  readonly helpful: boolean;
  readonly createdAt: Date;
}

export interface FeedbackInput {
  readonly teamId: string;
  readonly userId: string;
  readonly articleSlug: string;
  readonly sectionId: string;
  readonly helpful: boolean;
  readonly now: Date;
}

function toFeedback(row: Selectable<FeedbackTable>): Feedback {
  return {
    id: row.id,
    teamId: row.team_id,
    userId: row.user_id,
    articleSlug: row.article_slug,
    sectionId: row.section_id,
    helpful: Number(row.helpful) === 1,
    createdAt: toDate(row.created_at),
  };
}

export async function recordFeedback(db: Db, input: FeedbackInput): Promise<Feedback> {
  const row = await db
    .insertInto("feedback")
    .values({
      id: randomUUID(),
      team_id: input.teamId,
      user_id: input.userId,
      article_slug: input.articleSlug,
      section_id: input.sectionId,
      helpful: input.helpful ? 1 : 0,
      created_at: input.now.getTime(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toFeedback(row);
}

/** Deletes the person's feedback; returns how many rows went. */
export async function forgetUserFeedback(db: Db, teamId: string, userId: string): Promise<number> {
  const result = await db
    .deleteFrom("feedback")
    .where("team_id", "=", teamId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return rowsChanged(result);
}
