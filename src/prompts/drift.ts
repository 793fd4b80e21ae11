import { DRIFT_WINDOW, type Drift, detectDrift } from "../domain/focus.js";
import type { Delivery } from "../store/deliveries.js";
import type { Store } from "../store/store.js";

/*
 * The drift nudge rides on a person's own prompt (a DM, so it stays private). Checked at send
 * time, so it uses the answers given up to then. The month is taken before the send: if that send
 * then fails, the nudge waits for next month rather than risking two.
 */

/** Answers read to judge drift: enough that skips can be left out of the last four focus answers. */
const ANSWERS_READ = DRIFT_WINDOW * 3;

/** "team:user", the key of `holders` below. */
export function focusHolderKey(teamId: string, userId: string): string {
  return `${teamId}:${userId}`;
}

/**
 * `holders`: who had an intended focus when the pass began (one query instead of one per prompt);
 * someone who sets one during the pass is nudged from the next pass on.
 */
export async function driftNudge(
  store: Store,
  delivery: Delivery,
  now: Date,
  holders?: ReadonlySet<string>,
): Promise<Drift | undefined> {
  if (delivery.targetType !== "user") return undefined;
  if (holders && !holders.has(focusHolderKey(delivery.teamId, delivery.targetId))) return undefined;
  const intended = await store.getIntendedFocus(delivery.teamId, delivery.targetId);
  if (!intended) return undefined;
  const drift = detectDrift(
    intended.level,
    await store.recentChoices(delivery.teamId, delivery.targetId, ANSWERS_READ),
  );
  if (!drift) return undefined;
  return (await store.claimNudge(delivery.teamId, delivery.targetId, now)) ? drift : undefined;
}
