import { randomUUID } from "node:crypto";
import type { Selectable, Updateable } from "kysely";
import type { PromptSchedule, Weekday } from "../prompts/schedule.js";
import {
  changed,
  type Db,
  rowsChanged,
  type SubscriptionTarget,
  targetOf,
  toDate,
  toOptionalDate,
} from "./rows.js";
import type { SubscriptionsTable } from "./schema.js";

/** A person's or a channel's weekly prompt. */
export interface Subscription extends SubscriptionTarget {
  readonly id: string;
  /** Who subscribed; null once that person asked to be forgotten (channel subscriptions). */
  readonly subscribedBy: string | null;
  readonly schedule: PromptSchedule;
  /** IANA zone the schedule is read in: the person's own, or the subscriber's for a channel. */
  readonly timeZone: string;
  /** When Slack last gave `timeZone` for the person; null when it never has (and for channels). */
  readonly timeZoneCheckedAt: Date | null;
  readonly nextPromptAt: Date;
  readonly skipNext: boolean;
  /** Why deliveries stopped (a Slack error such as `channel_not_found`), or null when active. */
  readonly pausedReason: string | null;
  readonly pausedAt: Date | null;
  /** Prompt ids already sent in the current pass through the prompts. */
  readonly promptsUsed: readonly string[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface SubscriptionInput extends SubscriptionTarget {
  readonly subscribedBy: string;
  readonly schedule: PromptSchedule;
  readonly timeZone: string;
  /** When Slack gave `timeZone`, if the caller just read it there. */
  readonly timeZoneCheckedAt?: Date;
  readonly nextPromptAt: Date;
  readonly now: Date;
}

/** A zone Slack just gave (users.info) and the next prompt in it; recorded as checked at `now`. */
export interface RescheduleInput {
  readonly expectedNextPromptAt: Date;
  readonly nextPromptAt: Date;
  readonly timeZone: string;
  readonly now: Date;
}

export interface DueSubscriptionsPage {
  readonly limit: number;
  /** Keyset cursor: the last subscription of the previous page. */
  readonly after?: { readonly nextPromptAt: Date; readonly id: string };
}

function parsePromptsUsed(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

function toSubscription(row: Selectable<SubscriptionsTable>): Subscription {
  return {
    id: row.id,
    ...targetOf(row),
    subscribedBy: row.subscribed_by,
    schedule: { weekday: Number(row.weekday) as Weekday, time: row.time },
    timeZone: row.time_zone,
    timeZoneCheckedAt: toOptionalDate(row.time_zone_checked_at ?? null),
    nextPromptAt: toDate(row.next_prompt_at),
    skipNext: Number(row.skip_next) === 1,
    pausedReason: row.paused_reason,
    pausedAt: toOptionalDate(row.paused_at),
    promptsUsed: parsePromptsUsed(row.prompts_used),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

/** Creates the subscription for the target, or replaces its schedule; unpauses and clears skip. */
export async function upsertSubscription(
  db: Db,
  input: SubscriptionInput,
): Promise<{ subscription: Subscription; created: boolean }> {
  const id = randomUUID();
  const now = input.now.getTime();
  const schedule = {
    subscribed_by: input.subscribedBy,
    weekday: input.schedule.weekday,
    time: input.schedule.time,
    time_zone: input.timeZone,
    time_zone_checked_at: input.timeZoneCheckedAt?.getTime() ?? null,
    next_prompt_at: input.nextPromptAt.getTime(),
    skip_next: 0,
    paused_reason: null,
    paused_at: null,
    updated_at: now,
  };
  const row = await db
    .insertInto("subscriptions")
    .values({
      id,
      team_id: input.teamId,
      target_type: input.targetType,
      target_id: input.targetId,
      prompts_used: "[]",
      created_at: now,
      ...schedule,
    })
    .onConflict((oc) => oc.columns(["team_id", "target_type", "target_id"]).doUpdateSet(schedule))
    .returningAll()
    .executeTakeFirstOrThrow();
  return { subscription: toSubscription(row), created: row.id === id };
}

export async function getSubscription(db: Db, id: string): Promise<Subscription | undefined> {
  const row = await db.selectFrom("subscriptions").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toSubscription(row);
}

export async function findSubscription(
  db: Db,
  target: SubscriptionTarget,
): Promise<Subscription | undefined> {
  const row = await db
    .selectFrom("subscriptions")
    .selectAll()
    .where("team_id", "=", target.teamId)
    .where("target_type", "=", target.targetType)
    .where("target_id", "=", target.targetId)
    .executeTakeFirst();
  return row && toSubscription(row);
}

/** The person's own subscription and the channel subscriptions they set up. */
export async function listSubscriptionsForUser(
  db: Db,
  teamId: string,
  userId: string,
): Promise<Subscription[]> {
  const rows = await db
    .selectFrom("subscriptions")
    .selectAll()
    .where("team_id", "=", teamId)
    .where((eb) =>
      eb.or([
        eb.and([eb("target_type", "=", "user"), eb("target_id", "=", userId)]),
        eb("subscribed_by", "=", userId),
      ]),
    )
    .orderBy("target_type", "desc")
    .orderBy("created_at")
    .execute();
  return rows.map(toSubscription);
}

/** Active subscriptions whose next prompt is due at `now`, oldest due first. */
export async function listDueSubscriptions(
  db: Db,
  now: Date,
  page: DueSubscriptionsPage,
): Promise<Subscription[]> {
  let query = db
    .selectFrom("subscriptions")
    .selectAll()
    .where("paused_reason", "is", null)
    .where("next_prompt_at", "<=", now.getTime());
  const after = page.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb("next_prompt_at", ">", after.nextPromptAt.getTime()),
        eb.and([eb("next_prompt_at", "=", after.nextPromptAt.getTime()), eb("id", ">", after.id)]),
      ]),
    );
  }
  const rows = await query.orderBy("next_prompt_at").orderBy("id").limit(page.limit).execute();
  return rows.map(toSubscription);
}

/**
 * The one compare-and-set on a subscription's schedule: moves its next prompt to `nextPromptAt`
 * (with `changes`) only if it still is `expectedNextPromptAt` (and, with `activeOnly`, not paused).
 * False when another pass or a person moved it meanwhile.
 */
export async function moveNextPrompt(
  db: Db,
  id: string,
  move: {
    expectedNextPromptAt: Date;
    nextPromptAt: Date;
    now: number;
    activeOnly?: boolean;
    changes?: Partial<
      Pick<
        Updateable<SubscriptionsTable>,
        "prompts_used" | "skip_next" | "time_zone" | "time_zone_checked_at"
      >
    >;
  },
): Promise<boolean> {
  let query = db
    .updateTable("subscriptions")
    .set({ next_prompt_at: move.nextPromptAt.getTime(), updated_at: move.now, ...move.changes })
    .where("id", "=", id)
    .where("next_prompt_at", "=", move.expectedNextPromptAt.getTime());
  if (move.activeOnly) query = query.where("paused_reason", "is", null);
  return changed(await query.executeTakeFirst());
}

/**
 * Records the zone Slack gave and moves the next prompt into it (the same time when the zone did
 * not change); false if the prompt moved meanwhile.
 */
export function rescheduleSubscription(db: Db, id: string, input: RescheduleInput): Promise<boolean> {
  return moveNextPrompt(db, id, {
    expectedNextPromptAt: input.expectedNextPromptAt,
    nextPromptAt: input.nextPromptAt,
    now: input.now.getTime(),
    changes: { time_zone: input.timeZone, time_zone_checked_at: input.now.getTime() },
  });
}

/**
 * Active person subscriptions due after `from` and by `until` whose zone will not have been read
 * within `freshMs` of their due time: the ones to look up ahead, soonest due first.
 */
export async function listZoneChecksDue(
  db: Db,
  window: { from: Date; until: Date; freshMs: number; limit: number },
): Promise<Subscription[]> {
  const rows = await db
    .selectFrom("subscriptions")
    .selectAll()
    .where("paused_reason", "is", null)
    .where("target_type", "=", "user")
    .where("next_prompt_at", ">", window.from.getTime())
    .where("next_prompt_at", "<=", window.until.getTime())
    .where((eb) =>
      eb.or([
        eb("time_zone_checked_at", "is", null),
        eb("time_zone_checked_at", "<=", eb("next_prompt_at", "-", window.freshMs)),
      ]),
    )
    .orderBy("next_prompt_at")
    .orderBy("id")
    .limit(window.limit)
    .execute();
  return rows.map(toSubscription);
}

/** Stops deliveries with `reason`; with `onlyIfActive` an earlier reason is kept. */
export async function pauseSubscription(
  db: Db,
  id: string,
  reason: string,
  now: Date,
  onlyIfActive = false,
): Promise<boolean> {
  let query = db
    .updateTable("subscriptions")
    .set({ paused_reason: reason, paused_at: now.getTime(), updated_at: now.getTime() })
    .where("id", "=", id);
  if (onlyIfActive) query = query.where("paused_reason", "is", null);
  return changed(await query.executeTakeFirst());
}

export async function resumeSubscription(
  db: Db,
  id: string,
  nextPromptAt: Date,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable("subscriptions")
    .set({
      paused_reason: null,
      paused_at: null,
      next_prompt_at: nextPromptAt.getTime(),
      updated_at: now.getTime(),
    })
    .where("id", "=", id)
    .executeTakeFirst();
  return changed(result);
}

export async function setSkipNext(db: Db, id: string, skipNext: boolean, now: Date): Promise<boolean> {
  const result = await db
    .updateTable("subscriptions")
    .set({ skip_next: skipNext ? 1 : 0, updated_at: now.getTime() })
    .where("id", "=", id)
    .executeTakeFirst();
  return changed(result);
}

/** Removes the subscription; its past deliveries and answers stay for history. */
export async function deleteSubscription(db: Db, target: SubscriptionTarget): Promise<boolean> {
  const result = await db
    .deleteFrom("subscriptions")
    .where("team_id", "=", target.teamId)
    .where("target_type", "=", target.targetType)
    .where("target_id", "=", target.targetId)
    .executeTakeFirst();
  return changed(result);
}

/** Deletes the person's own subscription and takes their name off the channel ones they set up. */
export async function forgetUserSubscriptions(
  db: Db,
  teamId: string,
  userId: string,
): Promise<{ deleted: number; anonymised: number }> {
  const deleted = await db
    .deleteFrom("subscriptions")
    .where("team_id", "=", teamId)
    .where("target_type", "=", "user")
    .where("target_id", "=", userId)
    .executeTakeFirst();
  const anonymised = await db
    .updateTable("subscriptions")
    .set({ subscribed_by: null })
    .where("team_id", "=", teamId)
    .where("subscribed_by", "=", userId)
    .executeTakeFirst();
  return { deleted: rowsChanged(deleted), anonymised: rowsChanged(anonymised) };
}
