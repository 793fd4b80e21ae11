import type { DeliverOptions, DeliveryReport } from "./delivery-options.js";
import { DeliveryPass } from "./delivery-pass.js";
import { SlackTokenError } from "./slack-errors.js";

export {
  type DeliverOptions,
  type DeliveryLogger,
  type DeliveryReport,
  defaultInstanceId,
  PROMPT_METADATA_EVENT_TYPE,
  type PromptSlackClient,
} from "./delivery-options.js";
export { SlackTokenError };

/*
 * Exactly-once, and where it can still break
 * ------------------------------------------
 * Every delivery is claimed in the database before anything is sent: a row keyed by
 * (subscription_id, due_at) is inserted in the same transaction that moves the subscription to
 * its next prompt. Two passes racing for the same prompt (two instances on one PostgreSQL) cannot
 * both insert it, so only one of them sends. A claim carries a lease; if its instance dies before
 * recording the outcome, a later pass takes the delivery over once the lease has expired and sends
 * it then. Due prompts are claimed a chunk (32) at a time, one commit for the chunk, while the
 * chunk before is sent: a crash can leave up to two chunks claimed and unsent, each then taken over
 * after the lease and looked for in Slack first, like any claim whose instance died.
 *
 * Slack's chat.postMessage has no idempotency key, so every prompt carries message metadata naming
 * its delivery (`em_focus_prompt`, `delivery_id`). Before a claim whose earlier attempt may have
 * reached Slack is sent again (its lease expired, or a passing error after the call went out), the
 * pass reads the newest messages of the target conversation (conversations.history with
 * include_all_metadata; a person's DM found with conversations.open) and, if the prompt is there,
 * records it as sent. Not filtered by time: Slack's clock is not ours. When the check cannot answer
 * now (history rate limited — for apps outside the Marketplace about one call a minute — or a
 * passing error) the claim is kept, not counted as an attempt, and checked again after Retry-After
 * by a later pass, until `maxLatenessMs` after its due time records it as missed. A duplicate stays
 * possible only when the check can never answer (a scope missing: logged, then sent unchecked),
 * when more than `historyLimit` newer messages push it out of sight, or when a send hangs past the
 * lease while another instance takes the delivery over (the WebClient `timeout` is kept well below
 * `leaseMs` for that).
 *
 * Token errors (invalid_auth, token_revoked, missing_scope, …) are not any prompt's fault: the pass
 * gives back what it claimed, takes nothing more and throws SlackTokenError, so the prompts stay
 * due and go out on the first pass after the fix (within `maxLatenessMs`).
 */

/*
 * Where it is written: delivery-options.ts (the options and the report), delivery-pass.ts (the
 * pass, top to bottom), due-claims.ts, delivery-send.ts and delivery-retry.ts (its steps),
 * zone-lookahead.ts (time zones read ahead), pacer.ts (429 handling per Slack method),
 * slack-lookups.ts (time zones and the look for a prompt already sent), and the rules of a
 * delivery row in store/deliveries.ts; claims in store/delivery-claims.ts and store/claim-batch.ts.
 */

/**
 * One pass: sends every prompt that is due (or due for a retry) at `now`, each exactly once.
 * Throws SlackTokenError (after the pass has stopped and released what it held) when Slack refuses
 * the bot token or the app lacks a scope: then nothing can be sent, the due prompts stay due, and
 * the first pass after the fix sends them (within `maxLatenessMs`).
 */
export async function deliverDuePrompts(options: DeliverOptions): Promise<DeliveryReport> {
  return new DeliveryPass(options).run();
}
