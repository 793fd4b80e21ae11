import type { Store } from "../store/store.js";
import type { SummaryDue } from "../store/team-summaries.js";
import type { DeliveryLogger, PromptSlackClient, RenderSummary } from "./delivery-options.js";
import type { PacedSlack } from "./pacer.js";
import { buildTeamSummary, TREND_WEEKS } from "./team-summary.js";

const DAY_MS = 24 * 60 * 60 * 1000;
/** A summary due longer ago than this is not posted any more (e.g. the first pass after a long outage). */
const SUMMARY_WINDOW_MS = 7 * DAY_MS;
const CLAIM_LEASE_MS = 5 * 60 * 1000;
const PAGE = 100;

export interface SummaryContext {
  readonly store: Store;
  /** The Slack client of the workspace's install; undefined while it is paused (the summary waits). */
  clientFor(teamId: string): Promise<PromptSlackClient | undefined>;
  readonly slack: PacedSlack;
  readonly logger: DeliveryLogger;
  readonly render: RenderSummary;
  readonly delayMs: number;
  clock(): Date;
}

async function draw(ctx: SummaryContext, due: SummaryDue) {
  const from = new Date(due.dueAt.getTime() - TREND_WEEKS * 7 * DAY_MS);
  const weeks = await ctx.store.listChannelSummaries(due.teamId, due.channelId, from, due.dueAt);
  const ids = [...new Set([...weeks.map((w) => w.deliveryId), due.deliveryId])];
  const summary = buildTeamSummary({
    channelId: due.channelId,
    week: { deliveryId: due.deliveryId, dueAt: due.dueAt },
    weeks,
    answers: await ctx.store.answersTo(ids),
    optedIn: await ctx.store.namedMembers(due.teamId, due.channelId),
  });
  return { summary, message: ctx.render(summary) };
}

/**
 * Posts each channel's summary once, `delayMs` after its prompt. Claimed first, so two instances
 * post it once; a failed post gives the claim back for the next pass. A crash between Slack
 * accepting the post and the row being written can post it twice after the claim's lease.
 */
export async function postDueSummaries(ctx: SummaryContext): Promise<number> {
  const now = ctx.clock();
  const until = new Date(now.getTime() - ctx.delayMs);
  const staleClaimBefore = new Date(now.getTime() - CLAIM_LEASE_MS);
  const due = await ctx.store.listSummariesDue({
    from: new Date(until.getTime() - SUMMARY_WINDOW_MS),
    until: new Date(until.getTime() + 1),
    staleClaimBefore,
    limit: PAGE,
  });
  let posted = 0;
  for (const item of due) {
    const client = await ctx.clientFor(item.teamId);
    if (!client) continue;
    if (!(await ctx.store.claimSummary(item, { now: ctx.clock(), staleClaimBefore }))) continue;
    const { summary, message } = await draw(ctx, item);
    const result = await ctx.slack.call("chat.postMessage", () =>
      client.chat.postMessage({
        channel: item.channelId,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
    if (!result.ok) {
      ctx.logger.warn(`Could not post the summary of ${item.deliveryId}: ${result.failure.kind}`);
      await ctx.store.releaseSummary(item.deliveryId);
      continue;
    }
    await ctx.store.finishSummary(item.deliveryId, {
      status: summary.counts ? "posted" : "not_enough",
      messageTs: result.value.ts ?? null,
      now: ctx.clock(),
    });
    posted += 1;
  }
  return posted;
}

/** Redraws in Slack the summaries that counted someone who has since asked to be forgotten. */
export async function redrawStaleSummaries(ctx: SummaryContext): Promise<number> {
  let redrawn = 0;
  for (const item of await ctx.store.listStaleSummaries(PAGE)) {
    const client = await ctx.clientFor(item.teamId);
    if (!client) continue;
    const { summary, message } = await draw(ctx, item);
    const result = await ctx.slack.call("chat.update", () =>
      client.chat.update({
        channel: item.channelId,
        ts: item.messageTs,
        text: message.text,
        blocks: message.blocks,
      }),
    );
    if (!result.ok && result.failure.kind !== "pause" && result.failure.kind !== "permanent") {
      // Passing trouble: left stale for the next pass.
      continue;
    }
    await ctx.store.finishSummary(item.deliveryId, {
      status: summary.counts ? "posted" : "not_enough",
      messageTs: item.messageTs,
      now: ctx.clock(),
    });
    if (result.ok) redrawn += 1;
  }
  return redrawn;
}
