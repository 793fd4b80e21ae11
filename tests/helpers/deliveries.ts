import type { Delivery, Store } from "../../src/store/types.js";

/**
 * A weekly prompt claimed for a person or a channel, as a delivery pass leaves it before sending:
 * a Monday 09:00 UTC subscription, due `now`, its next prompt a week later unless `nextPromptAt`.
 */
export async function claimedDelivery(
  store: Store,
  options: {
    teamId: string;
    targetType?: "user" | "channel";
    targetId: string;
    subscribedBy?: string;
    now?: Date;
    nextPromptAt?: Date;
  },
): Promise<Delivery> {
  const now = options.now ?? new Date();
  const { subscription } = await store.upsertSubscription({
    teamId: options.teamId,
    targetType: options.targetType ?? "user",
    targetId: options.targetId,
    subscribedBy: options.subscribedBy ?? options.targetId,
    schedule: { weekday: 1, time: "09:00" },
    timeZone: "UTC",
    nextPromptAt: now,
    now,
  });
  const delivery = await store.claimDueDelivery({
    subscriptionId: subscription.id,
    expectedNextPromptAt: now,
    dueAt: now,
    promptId: "p1",
    promptsUsed: ["p1"],
    nextPromptAt: options.nextPromptAt ?? new Date(now.getTime() + 7 * 86_400_000),
    owner: "test",
    leaseUntil: new Date(now.getTime() + 60_000),
    now,
  });
  if (!delivery) throw new Error("no delivery claimed");
  return delivery;
}

/** A person's prompt, claimed and answered "wide" (as a click leaves it, before any note). */
export async function answeredDelivery(store: Store, teamId: string, user: string): Promise<Delivery> {
  const now = new Date();
  const delivery = await claimedDelivery(store, { teamId, targetId: user, now });
  await store.recordAnswer({ deliveryId: delivery.id, teamId, userId: user, choice: "wide", now });
  return delivery;
}
