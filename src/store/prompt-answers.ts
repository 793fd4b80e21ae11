import type { Selectable } from "kysely";
import { ANSWER_CHOICES, type AnswerChoice } from "../domain/focus.js";
import { type AnswerForHistory, type AnswerHistory, type HistoryOptions, weeklyHistory } from "./history.js";
import { type Db, oneOf, rowsChanged, toDate } from "./rows.js";
import type { AnswersTable } from "./schema.js";

/** A person's answer to a weekly prompt (not to be confused with match's answer to a question). */
export interface PromptAnswer {
  readonly deliveryId: string;
  readonly teamId: string;
  readonly userId: string;
  readonly choice: AnswerChoice;
  readonly note: string | null;
  readonly promptId: string | null;
  readonly dueAt: Date;
  readonly answeredAt: Date;
}

export interface PromptAnswerInput {
  readonly deliveryId: string;
  readonly teamId: string;
  readonly userId: string;
  readonly choice: AnswerChoice;
  /** Left out: keep the note already given. Null: remove it. */
  readonly note?: string | null;
  readonly now: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function toPromptAnswer(row: Selectable<AnswersTable>): PromptAnswer {
  return {
    deliveryId: row.delivery_id,
    teamId: row.team_id,
    userId: row.user_id,
    choice: oneOf(ANSWER_CHOICES, row.choice, "answer"),
    note: row.note,
    promptId: row.prompt_id,
    dueAt: toDate(row.due_at),
    answeredAt: toDate(row.answered_at),
  };
}

/** One answer per delivery and person; answering again replaces it. Undefined for unknown deliveries. */
export async function recordAnswer(db: Db, input: PromptAnswerInput): Promise<PromptAnswer | undefined> {
  const delivery = await db
    .selectFrom("deliveries")
    .select(["id", "due_at", "prompt_id"])
    .where("id", "=", input.deliveryId)
    .executeTakeFirst();
  if (!delivery) return undefined;
  const now = input.now.getTime();
  const noteChange = input.note === undefined ? {} : { note: input.note };
  const row = await db
    .insertInto("answers")
    .values({
      delivery_id: delivery.id,
      team_id: input.teamId,
      user_id: input.userId,
      choice: input.choice,
      note: input.note ?? null,
      prompt_id: delivery.prompt_id,
      due_at: Number(delivery.due_at),
      answered_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(["delivery_id", "user_id"])
        .doUpdateSet({ choice: input.choice, answered_at: now, ...noteChange }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPromptAnswer(row);
}

/** Sets or (with null) removes the note of an answer already given; undefined when there is none. */
export async function setAnswerNote(
  db: Db,
  deliveryId: string,
  userId: string,
  note: string | null,
): Promise<PromptAnswer | undefined> {
  const row = await db
    .updateTable("answers")
    .set({ note })
    .where("delivery_id", "=", deliveryId)
    .where("user_id", "=", userId)
    .returningAll()
    .executeTakeFirst();
  return row && toPromptAnswer(row);
}

export async function getAnswer(
  db: Db,
  deliveryId: string,
  userId: string,
): Promise<PromptAnswer | undefined> {
  const row = await db
    .selectFrom("answers")
    .selectAll()
    .where("delivery_id", "=", deliveryId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row && toPromptAnswer(row);
}

/** The person's answers week by week, in their time zone. */
export async function answerHistory(
  db: Db,
  teamId: string,
  userId: string,
  options: HistoryOptions,
): Promise<AnswerHistory> {
  // One extra week covers answers whose local week started before the UTC cut-off.
  const since = options.now.getTime() - (options.weeks + 1) * 7 * DAY_MS;
  const rows = await db
    .selectFrom("answers")
    .selectAll()
    .where("team_id", "=", teamId)
    .where("user_id", "=", userId)
    .where("due_at", ">=", since)
    .execute();
  const answers: AnswerForHistory[] = rows.map(toPromptAnswer);
  return weeklyHistory(answers, options);
}

/** Deletes the person's answers; returns how many rows went. */
export async function forgetUserAnswers(db: Db, teamId: string, userId: string): Promise<number> {
  const result = await db
    .deleteFrom("answers")
    .where("team_id", "=", teamId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return rowsChanged(result);
}

/** A note as Home lists it: the week's prompt it was written on and the level chosen that week. */
export interface NoteEntry {
  readonly deliveryId: string;
  readonly choice: AnswerChoice;
  readonly note: string;
  readonly dueAt: Date;
}

/** The person's notes, newest first. */
export async function listNotes(db: Db, teamId: string, userId: string, limit: number): Promise<NoteEntry[]> {
  const rows = await db
    .selectFrom("answers")
    .select(["delivery_id", "choice", "note", "due_at"])
    .where("team_id", "=", teamId)
    .where("user_id", "=", userId)
    .where("note", "is not", null)
    .orderBy("due_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    deliveryId: row.delivery_id,
    choice: oneOf(ANSWER_CHOICES, row.choice, "answer"),
    note: row.note ?? "",
    dueAt: toDate(row.due_at),
  }));
}

/** The person's latest answers, newest prompt first, from their own and their channels' prompts. */
export async function recentChoices(
  db: Db,
  teamId: string,
  userId: string,
  limit: number,
): Promise<AnswerChoice[]> {
  const rows = await db
    .selectFrom("answers")
    .select(["choice"])
    .where("team_id", "=", teamId)
    .where("user_id", "=", userId)
    .orderBy("due_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((row) => oneOf(ANSWER_CHOICES, row.choice, "answer"));
}

/** Who answered which of these (channel) prompts, and how. */
export async function answersTo(
  db: Db,
  deliveryIds: readonly string[],
): Promise<Array<{ deliveryId: string; userId: string; choice: AnswerChoice }>> {
  if (deliveryIds.length === 0) return [];
  const rows = await db
    .selectFrom("answers")
    .select(["delivery_id", "user_id", "choice"])
    .where("delivery_id", "in", deliveryIds)
    .execute();
  return rows.map((row) => ({
    deliveryId: row.delivery_id,
    userId: row.user_id,
    choice: oneOf(ANSWER_CHOICES, row.choice, "answer"),
  }));
}

/** When the person's first prompt was due (their own, or an answered channel prompt); null if never. */
export async function firstPromptAt(db: Db, teamId: string, userId: string): Promise<Date | null> {
  const own = await db
    .selectFrom("deliveries")
    .select((eb) => eb.fn.min("due_at").as("first"))
    .where("team_id", "=", teamId)
    .where("target_type", "=", "user")
    .where("target_id", "=", userId)
    .where("status", "=", "sent")
    .executeTakeFirst();
  const answered = await db
    .selectFrom("answers")
    .select((eb) => eb.fn.min("due_at").as("first"))
    .where("team_id", "=", teamId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  const times = [own?.first, answered?.first].filter((t) => t !== null && t !== undefined).map(Number);
  return times.length === 0 ? null : new Date(Math.min(...times));
}

/** Retention: deletes answers (with their notes) to prompts due before `cutoff`. */
export async function deleteAnswersBefore(db: Db, cutoff: Date): Promise<number> {
  const result = await db.deleteFrom("answers").where("due_at", "<", cutoff.getTime()).executeTakeFirst();
  return rowsChanged(result);
}
