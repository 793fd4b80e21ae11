import type { Logger, webApi } from "@slack/bolt";

/** The first message of a thread, or null when Slack will not give it (no access, deleted). */
export async function threadRootText(
  client: webApi.WebClient,
  channel: string,
  threadTs: string,
  logger: Logger,
): Promise<string | null> {
  try {
    const replies = await client.conversations.replies({ channel, ts: threadTs, limit: 1, inclusive: true });
    return replies.messages?.[0]?.text ?? null;
  } catch (error) {
    logger.warn(`Could not read thread ${threadTs} in ${channel}`, error);
    return null;
  }
}
