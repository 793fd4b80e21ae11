import type { webApi } from "@slack/bolt";
import type { BotDeps } from "./deps.js";
import { HISTORY_WEEKS, homeView, NOTES_SHOWN } from "./views/home.js";

/** Draws the person's Home tab afresh: the levels, their subscription and their last weeks. */
export async function publishHome(
  client: webApi.WebClient,
  deps: BotDeps,
  teamId: string,
  userId: string,
): Promise<void> {
  const subscription = await deps.store.findSubscription({ teamId, targetType: "user", targetId: userId });
  const history = await deps.store.answerHistory(teamId, userId, {
    weeks: HISTORY_WEEKS,
    now: deps.now(),
    timeZone: subscription?.timeZone ?? "UTC",
    since: await deps.store.firstPromptAt(teamId, userId),
  });
  const notes = await deps.store.listNotes(teamId, userId, NOTES_SHOWN);
  const intended = (await deps.store.getIntendedFocus(teamId, userId))?.level ?? null;
  await client.views.publish({
    user_id: userId,
    view: homeView(deps.library, subscription, history, { notes, intended }),
  });
}
