import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

/** The database or a transaction on it: every table module's functions take either. */
export type Db = Kysely<Database>;

export type DialectName = "sqlite" | "postgres";

/** A person (DM) or a channel (team reflection). */
export type TargetType = "user" | "channel";

const TARGET_TYPES: readonly TargetType[] = ["user", "channel"];

/** Who a subscription or delivery is for. */
export interface SubscriptionTarget {
  readonly teamId: string;
  readonly targetType: TargetType;
  /** User id for a person, channel id for a channel. */
  readonly targetId: string;
}

/** The target columns of a subscriptions or deliveries row, checked. */
export function targetOf(row: {
  team_id: string;
  target_type: string;
  target_id: string;
}): SubscriptionTarget {
  return {
    teamId: row.team_id,
    targetType: oneOf(TARGET_TYPES, row.target_type, "target type"),
    targetId: row.target_id,
  };
}

/** A column value checked against the values the code knows; anything else is a corrupt row. */
export function oneOf<T extends string>(allowed: readonly T[], value: string, what: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`Unexpected ${what} in the database: ${JSON.stringify(value)}`);
}

/** An epoch-milliseconds column as a Date (pg hands int8 back as strings unless parsed). */
export function toDate(ms: number | string): Date {
  return new Date(Number(ms));
}

export function toOptionalDate(ms: number | string | null): Date | null {
  return ms === null ? null : toDate(ms);
}

/** Rows an UPDATE or DELETE touched. */
export function rowsChanged(
  result: { numUpdatedRows?: bigint; numDeletedRows?: bigint } | undefined,
): number {
  return Number(result?.numUpdatedRows ?? result?.numDeletedRows ?? 0n);
}

/** Whether an UPDATE or DELETE touched a row. */
export function changed(result: { numUpdatedRows?: bigint; numDeletedRows?: bigint } | undefined): boolean {
  return rowsChanged(result) > 0;
}
