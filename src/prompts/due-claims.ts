import type { Prompt } from "../content/prompts.js";
import type { ClaimDueDeliveryInput } from "../store/delivery-claims.js";
import type { Subscription } from "../store/subscriptions.js";
import type { PassContext } from "./pass-context.js";
import { nextPromptFor } from "./rotation.js";
import { nextPromptAt, sameWeekPromptAt } from "./schedule.js";
import { currentTimeZone, type LookupContext } from "./slack-lookups.js";
import { zoneIsFresh } from "./zone-lookahead.js";

/** A due prompt ready to be claimed (with others, in one commit) and then sent. */
export interface ClaimPlan {
  readonly input: ClaimDueDeliveryInput;
  readonly prompt: Prompt;
}

/**
 * A due subscription: follow the person's time zone, then skip or miss the prompt (recorded here),
 * or plan its claim. Undefined when there is nothing to claim.
 */
export async function planDue(
  pass: PassContext,
  ctx: LookupContext,
  found: Subscription,
): Promise<ClaimPlan | undefined> {
  const { store, logger, report } = pass;
  let subscription = found;
  // Lateness is measured from the time we believed the prompt due, even if a move of time zone
  // turns out to have put it earlier.
  let believedDueAt = subscription.nextPromptAt;
  // A zone read ahead, within the day before (zone-lookahead.ts), is not asked for again.
  if (subscription.targetType === "user" && !zoneIsFresh(subscription, subscription.nextPromptAt)) {
    const zone = await currentTimeZone(ctx, subscription.targetId);
    if (zone.kind === "token") return undefined;
    if (zone.kind === "pause") {
      logger.warn(`Pausing subscription ${subscription.id}: Slack said ${zone.reason}`);
      if (await store.pauseSubscription(subscription.id, zone.reason, pass.clock())) report.paused += 1;
      return undefined;
    }
    if (zone.kind === "zone" && zone.timeZone !== subscription.timeZone) {
      const moved = sameWeekPromptAt(subscription.schedule, zone.timeZone, subscription.nextPromptAt);
      const rescheduled = await store.rescheduleSubscription(subscription.id, {
        expectedNextPromptAt: subscription.nextPromptAt,
        nextPromptAt: moved,
        timeZone: zone.timeZone,
        now: pass.clock(),
      });
      if (!rescheduled) return undefined;
      logger.info(
        `Subscription ${subscription.id} follows a move from ${subscription.timeZone} to ${zone.timeZone}`,
      );
      if (moved > believedDueAt) believedDueAt = moved;
      subscription = { ...subscription, nextPromptAt: moved, timeZone: zone.timeZone };
      if (moved.getTime() > pass.clock().getTime()) return undefined;
    }
  }

  const now = pass.clock();
  const dueAt = subscription.nextPromptAt;
  const due = {
    subscriptionId: subscription.id,
    expectedNextPromptAt: dueAt,
    dueAt,
    nextPromptAt: nextPromptAt(subscription.schedule, subscription.timeZone, now),
    now,
  };
  if (subscription.skipNext || now.getTime() - believedDueAt.getTime() > pass.maxLatenessMs) {
    const status = subscription.skipNext ? "skipped" : "missed";
    if (await store.recordUnsentDelivery({ ...due, status })) {
      report[status] += 1;
      if (status === "missed")
        logger.info(`Prompt for ${subscription.id} due ${dueAt.toISOString()} was missed`);
    }
    return undefined;
  }

  const next = nextPromptFor(pass.prompts, subscription.promptsUsed);
  if (!next) return undefined;
  return {
    input: {
      ...due,
      promptId: next.prompt.id,
      promptsUsed: next.promptsUsed,
      owner: pass.owner,
      leaseUntil: new Date(now.getTime() + pass.leaseMs),
    },
    prompt: next.prompt,
  };
}
