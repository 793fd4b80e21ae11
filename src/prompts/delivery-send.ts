import type { Prompt } from "../content/prompts.js";
import type { Delivery } from "../store/deliveries.js";
import { MINUTE, PROMPT_METADATA_EVENT_TYPE, type PromptExtras } from "./delivery-options.js";
import { driftNudge } from "./drift.js";
import type { PassContext } from "./pass-context.js";
import type { SlackFailure } from "./slack-errors.js";
import type { LookupContext } from "./slack-lookups.js";

/** What became of a claimed delivery; "lost": another instance holds the claim now. */
export type SendOutcome = "sent" | "retried" | "paused" | "failed" | "lost";

export function countOutcome(pass: PassContext, outcome: SendOutcome): void {
  if (outcome !== "lost") pass.report[outcome] += 1;
}

/** Posts the prompt of a claimed delivery, with its workspace's client, and records the outcome. */
export async function sendPrompt(
  pass: PassContext,
  ctx: LookupContext,
  delivery: Delivery,
  prompt: Prompt,
): Promise<SendOutcome> {
  const { store, owner } = pass;
  const extras: PromptExtras = {};
  const nudge = await driftNudge(store, delivery, pass.clock(), pass.focusHolders);
  if (nudge) pass.report.nudges += 1;
  const message = pass.render(prompt, delivery, nudge ? { ...extras, nudge } : extras);
  const result = await pass.slack.call(
    "chat.postMessage",
    () =>
      ctx.client.chat.postMessage({
        channel: delivery.targetId,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
        // Names the delivery in Slack itself, so a pass after a crash can find it (see findInSlack).
        metadata: { event_type: PROMPT_METADATA_EVENT_TYPE, event_payload: { delivery_id: delivery.id } },
      }),
    (waitMs) => {
      const now = pass.clock();
      return store.extendDeliveryLease(delivery.id, {
        owner,
        leaseUntil: new Date(now.getTime() + waitMs + pass.leaseMs),
        now,
      });
    },
  );
  const now = pass.clock();
  if (!result.ok) return sendFailed(pass, ctx, delivery, result.failure, now);
  // Recorded in the background (batched with others, store/sent-batch.ts); the pass waits for it
  // before it ends. Until then the claim is what it is after a crash: found in Slack by a later pass.
  pass.track(
    store
      .markDeliverySent(delivery.id, {
        owner,
        channelId: result.value.channel ?? delivery.targetId,
        messageTs: result.value.ts ?? "",
        now,
      })
      .then(
        (recorded) => {
          if (recorded) return;
          pass.logger.warn(
            `Delivery ${delivery.id} was sent after its lease passed to another instance; it may show twice`,
          );
        },
        (error: unknown) => {
          pass.report.errors += 1;
          pass.logger.error(
            `Recording delivery ${delivery.id} as sent failed; a later pass finds it in Slack after the lease`,
            error,
          );
        },
      ),
  );
  return "sent";
}

/** Records what a failed send means for the delivery: retry, give back, pause, or give up. */
async function sendFailed(
  pass: PassContext,
  ctx: LookupContext,
  delivery: Delivery,
  failure: SlackFailure,
  now: Date,
): Promise<SendOutcome> {
  const { store, owner, logger } = pass;
  switch (failure.kind) {
    case "token":
      ctx.tokenError("chat.postMessage", failure);
      return (await releaseDelivery(pass, delivery, failure.reason, now)) ? "retried" : "lost";
    case "rate_limited": {
      // Still rate limited after several waits: leave it for the next pass without using up an attempt.
      const moved = await store.markDeliveryRetrying(delivery.id, {
        owner,
        error: "ratelimited",
        nextAttemptAt: new Date(now.getTime() + failure.retryAfterMs),
        attempts: delivery.attempts - 1,
        now,
      });
      return moved ? "retried" : "lost";
    }
    case "pause": {
      logger.warn(`Pausing subscription ${delivery.subscriptionId}: Slack said ${failure.reason}`);
      const done = await store.markDeliveryFailed(delivery.id, {
        owner,
        error: failure.reason,
        pauseSubscription: true,
        now,
      });
      return done ? "paused" : "lost";
    }
    case "transient": {
      const delay = pass.retryDelaysMs[delivery.attempts - 1];
      if (delivery.attempts >= pass.maxAttempts || delay === undefined) {
        logger.error(
          `Giving up on delivery ${delivery.id} after ${delivery.attempts} attempts: ${failure.reason}`,
        );
        return (await failDelivery(pass, delivery, failure.reason, now)) ? "failed" : "lost";
      }
      logger.warn(`Delivery ${delivery.id} failed (${failure.reason}); retrying in ${delay / MINUTE} min`);
      const moved = await store.markDeliveryRetrying(delivery.id, {
        owner,
        error: failure.reason,
        nextAttemptAt: new Date(now.getTime() + delay),
        now,
      });
      return moved ? "retried" : "lost";
    }
    case "permanent":
      logger.error(`Slack refused delivery ${delivery.id}: ${failure.reason}`);
      return (await failDelivery(pass, delivery, failure.reason, now)) ? "failed" : "lost";
    case "unexpected":
      throw new Error(`Sending delivery ${delivery.id} failed: ${failure.reason}`);
  }
}

/** Gives up on the delivery for good, leaving its subscription as it is. */
export function failDelivery(
  pass: PassContext,
  delivery: Delivery,
  error: string,
  now: Date,
): Promise<boolean> {
  return pass.store.markDeliveryFailed(delivery.id, {
    owner: pass.owner,
    error,
    pauseSubscription: false,
    now,
  });
}

/** Gives a claim back untouched (not counted as an attempt), due again at once. */
export function releaseDelivery(
  pass: PassContext,
  delivery: Delivery,
  error: string,
  now: Date,
): Promise<boolean> {
  return pass.store.markDeliveryRetrying(delivery.id, {
    owner: pass.owner,
    error,
    nextAttemptAt: now,
    attempts: delivery.attempts - 1,
    now,
  });
}
