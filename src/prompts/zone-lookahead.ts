import type { Subscription } from "../store/subscriptions.js";
import type { PassContext } from "./pass-context.js";
import { sameWeekPromptAt } from "./schedule.js";
import { currentTimeZone, type LookupContext } from "./slack-lookups.js";

/*
 * A person's prompt follows their time zone in Slack (users.info), which can change any day. It
 * used to be read at the minute the prompt was due, one users.info per prompt: on a Monday 09:00
 * that is every subscriber at once, against a method Slack limits to about 100 calls a minute (the
 * rest then fell back to the zone stored a week before), and a large share of the sender's CPU.
 * Now each pass also reads, ahead, the zones of prompts due within the next day, a few dozen a pass
 * (1,440 passes a day), and a prompt whose zone was read within the day before its due time goes
 * out without asking again. A move found ahead puts the prompt at the new local time, also a move
 * east that the check at the due minute could only send late; a move made within that last day is
 * followed from the next prompt on (or, when the zone was not read ahead, at the due minute, as
 * before).
 */

/** How far ahead zones are read. */
export const ZONE_LOOKAHEAD_MS = 24 * 60 * 60 * 1000;
/** A zone read this long before a prompt's due time still counts for it (the look-ahead, plus slack). */
export const ZONE_FRESH_MS = ZONE_LOOKAHEAD_MS + 2 * 60 * 60 * 1000;
/** users.info calls a pass may make ahead: well under Slack's ~100 a minute, passes are a minute apart. */
export const ZONE_LOOKUPS_PER_PASS = 40;

/** True when the subscription's zone was read in Slack recently enough for the prompt due at `dueAt`. */
export function zoneIsFresh(subscription: Subscription, dueAt: Date): boolean {
  const checked = subscription.timeZoneCheckedAt;
  return checked !== null && dueAt.getTime() - checked.getTime() < ZONE_FRESH_MS;
}

/**
 * Reads the zones of prompts due within the next day that were not read for them yet, soonest due
 * first, and records each (moving the prompt when the zone changed). Stops at the budget, when
 * Slack holds users.info back, or when an install's token fails (`contextFor` then answers
 * undefined for its workspaces).
 */
export async function readZonesAhead(
  pass: PassContext,
  contextFor: (teamId: string) => Promise<LookupContext | undefined>,
): Promise<void> {
  const { store, logger } = pass;
  const from = pass.clock();
  const candidates = await store.listZoneChecksDue({
    from,
    until: new Date(from.getTime() + ZONE_LOOKAHEAD_MS),
    freshMs: ZONE_FRESH_MS,
    limit: ZONE_LOOKUPS_PER_PASS,
  });
  for (const subscription of candidates) {
    if (pass.slack.holding("users.info")) return;
    const ctx = await contextFor(subscription.teamId);
    if (!ctx) continue;
    const zone = await currentTimeZone(ctx, subscription.targetId);
    if (zone.kind === "token") return;
    if (zone.kind === "pause") {
      logger.warn(`Pausing subscription ${subscription.id}: Slack said ${zone.reason}`);
      if (await store.pauseSubscription(subscription.id, zone.reason, pass.clock())) pass.report.paused += 1;
      continue;
    }
    // A passing failure: tried again by a later pass.
    if (zone.kind === "keep" && !zone.answered) continue;
    const timeZone = zone.kind === "zone" ? zone.timeZone : subscription.timeZone;
    const moved =
      timeZone === subscription.timeZone
        ? subscription.nextPromptAt
        : sameWeekPromptAt(subscription.schedule, timeZone, subscription.nextPromptAt);
    const recorded = await store.rescheduleSubscription(subscription.id, {
      expectedNextPromptAt: subscription.nextPromptAt,
      nextPromptAt: moved,
      timeZone,
      now: pass.clock(),
    });
    if (recorded && timeZone !== subscription.timeZone)
      logger.info(
        `Subscription ${subscription.id} follows a move from ${subscription.timeZone} to ${timeZone}`,
      );
  }
}
