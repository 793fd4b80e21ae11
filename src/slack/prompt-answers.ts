import type { Delivery } from "../store/types.js";

export const NOT_YOURS =
  "That prompt isn't yours, so nothing was saved. Answer the prompts sent to you or to a channel you are in.";

/**
 * Whether the person who clicked may answer (or add a note to) this delivery. Who and where come
 * from the signed payload, never from the button's value: a person's own prompt is theirs alone;
 * a channel prompt may be answered from that channel, where the message is.
 */
export function mayAnswer(
  delivery: Delivery,
  teamId: string,
  userId: string,
  channelId: string | undefined,
): boolean {
  if (delivery.teamId !== teamId) return false;
  if (delivery.targetType === "user") return delivery.targetId === userId;
  return channelId !== undefined && (channelId === delivery.targetId || channelId === delivery.channelId);
}
