import { randomUUID } from "node:crypto";
import type { Selectable } from "kysely";
import { changed, type Db, rowsChanged, toDate } from "./rows.js";
import type { FeedbackTable } from "./schema.js";

/**
 * "Was this helpful?" on an answer: one vote per person per answer, which they can change. A 👎
 * counts as a knowledge gap once per person and answer, whatever they click afterwards, so no one
 * can push a question up the gaps ranking by clicking again (or 👍, 👎, 👍, 👎 …).
 */
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
  /** The answer voted on: its message (`answerKeyOf`), never the question's text. */
  readonly answerKey: string;
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

export interface Vote {
  readonly feedback: Feedback;
  /** This is the person's first 👎 on this answer: record it as a knowledge gap. */
  readonly countsAsGap: boolean;
}

/**
 * Names the answer a vote is on by the message that shows it (channel and message ts from the signed
 * payload). Not the question: a hash of it next to the user id would tell who asked a stored gap.
 */
export function answerKeyOf(channelId: string, messageTs: string, articleSlug: string, sectionId: string) {
  return `${channelId}/${messageTs}/${articleSlug}#${sectionId}`;
}

/** The person's vote on the answer, made or changed (one row per person and answer). */
export async function recordFeedback(db: Db, input: FeedbackInput): Promise<Vote> {
  const helpful = input.helpful ? 1 : 0;
  const row = await db
    .insertInto("feedback")
    .values({
      id: randomUUID(),
      team_id: input.teamId,
      user_id: input.userId,
      article_slug: input.articleSlug,
      section_id: input.sectionId,
      helpful,
      created_at: input.now.getTime(),
      answer_key: input.answerKey,
    })
    .onConflict((oc) =>
      oc
        .columns(["team_id", "user_id", "answer_key"])
        .doUpdateSet({ helpful, created_at: input.now.getTime() }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  // One statement decides, so two clicks racing cannot both count.
  const countsAsGap =
    !input.helpful &&
    changed(
      await db
        .updateTable("feedback")
        .set({ gap_recorded: 1 })
        .where("id", "=", row.id)
        .where("gap_recorded", "=", 0)
        .executeTakeFirst(),
    );
  return { feedback: toFeedback(row), countsAsGap };
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
