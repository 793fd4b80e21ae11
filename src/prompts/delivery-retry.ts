import type { Delivery } from "../store/deliveries.js";
import { countOutcome, failDelivery, releaseDelivery, sendPrompt } from "./delivery-send.js";
import type { PassContext } from "./pass-context.js";
import { findInSlack, type LookupContext } from "./slack-lookups.js";

/** A delivery to try again: take it over, then give up, miss, cancel, find it in Slack, or send. */
export async function retryDelivery(pass: PassContext, ctx: LookupContext, listed: Delivery): Promise<void> {
  const { store, owner, report } = pass;
  const now = pass.clock();
  const leaseUntil = new Date(now.getTime() + pass.leaseMs);
  const delivery = await store.reclaimDelivery(listed.id, { owner, leaseUntil, now });
  if (!delivery) return;
  report.claimed += 1;
  if (delivery.attempts > pass.maxAttempts) {
    if (await failDelivery(pass, delivery, delivery.lastError ?? "too_many_attempts", now))
      report.failed += 1;
    return;
  }
  if (now.getTime() - delivery.dueAt.getTime() > pass.maxLatenessMs) {
    if (await store.markDeliveryMissed(delivery.id, { owner, now })) report.missed += 1;
    return;
  }
  const subscription = await store.getSubscription(delivery.subscriptionId);
  if (!subscription || subscription.pausedReason) {
    const reason = subscription ? `paused: ${subscription.pausedReason}` : "unsubscribed";
    await store.markDeliveryCancelled(delivery.id, { owner, reason, now });
    return;
  }
  const prompt = delivery.promptId ? pass.promptsById.get(delivery.promptId) : undefined;
  if (!prompt) {
    if (await failDelivery(pass, delivery, `prompt_not_found: ${delivery.promptId}`, now)) report.failed += 1;
    return;
  }
  if (delivery.attempts > 1) {
    // An earlier attempt may have reached Slack: look before sending it again.
    const found = await findInSlack(ctx, delivery);
    if (found.kind === "token") {
      await releaseDelivery(pass, delivery, "token_error", pass.clock());
      return;
    }
    if (found.kind === "later") {
      // Not sent blind: the claim waits (not counted as an attempt) and is checked again after
      // Retry-After, by a later pass, until the 12-hour window closes.
      const at = pass.clock();
      pass.logger.info(
        `Delivery ${delivery.id} may already be in Slack and cannot be checked now (${found.reason}); checking again in ${Math.ceil(found.afterMs / 1000)}s`,
      );
      const kept = await store.markDeliveryRetrying(delivery.id, {
        owner,
        error: `unchecked: ${found.reason}`,
        nextAttemptAt: new Date(at.getTime() + found.afterMs),
        attempts: delivery.attempts - 1,
        now: at,
      });
      if (kept) report.retried += 1;
      return;
    }
    if (found.kind === "found") {
      const recorded = await store.markDeliverySent(delivery.id, {
        owner,
        channelId: found.channel,
        messageTs: found.ts,
        now: pass.clock(),
      });
      pass.logger.info(`Delivery ${delivery.id} was already in Slack (${found.ts}); recorded it as sent`);
      if (recorded) report.sent += 1;
      return;
    }
  }
  countOutcome(pass, await sendPrompt(pass, ctx, delivery, prompt));
}
