import type { Logger } from "@slack/bolt";
import type { Library } from "../content/types.js";
import type { GapRecorder } from "../gaps.js";
import type { Problems } from "../health.js";
import type { Matcher } from "../match/matcher.js";
import type { Store } from "../store/types.js";
import type { ThreadContextStore } from "./assistant-context.js";
import type { SealedInstallations } from "./installation-store.js";

/** Everything the listeners need, built once at start-up. */
export interface BotDeps {
  library: Library;
  matcher: Matcher;
  store: Store;
  logger: Logger;
  now: () => Date;
  /** Problems found outside requests (e.g. Slack refusing the token in a delivery pass), for /healthz. */
  problems?: Problems;
  /** Records knowledge gaps (unanswered questions, 👎); absent or a no-op with RECORD_GAPS=off. */
  gaps?: GapRecorder;
  /** The Messages tab is the agent's surface (`SLACK_AGENT_VIEW=on`, manifest `agent_view`). */
  agentView?: boolean;
  /** What each assistant panel thread is looking at; an uninstall forgets its install's threads. */
  threadContexts: ThreadContextStore;
  /** OAuth mode: the installs and their sealed tokens; absent with one SLACK_BOT_TOKEN. */
  installations?: SealedInstallations;
}

/**
 * The workspace a click or submission comes from, from the signed payload: for a modal opened
 * through a Slack Connect channel the workspace that installed the app (`view.app_installed_team_id`,
 * whose token Bolt authorized it with), else the payload's team, or the clicker's own (org-wide
 * installs on Enterprise Grid send no team).
 */
export function teamOf(body: {
  team?: { id?: string } | null;
  user: { team_id?: string };
  view?: { app_installed_team_id?: string } | null;
}): string {
  return body.view?.app_installed_team_id || body.team?.id || body.user.team_id || "";
}
