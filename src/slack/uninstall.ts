import type { InstallationKey, UninstallReport } from "../store/types.js";
import type { BotDeps } from "./deps.js";
import { describeKey } from "./installation-store.js";

/** What an `app_uninstalled` or `tokens_revoked` event says about which install went. */
export interface UninstallSignal {
  readonly event: "app_uninstalled" | "tokens_revoked";
  readonly key: InstallationKey;
  /** For tokens_revoked: bot tokens among the revoked ones (user tokens alone leave the install working). */
  readonly botTokensRevoked?: boolean;
}

/**
 * Deletes the install and every row of its workspaces. Idempotent: Slack may send both events, in
 * either order, more than once, or for an install already gone. Logged with counts, never a token.
 */
export async function forgetInstall(deps: BotDeps, signal: UninstallSignal): Promise<UninstallReport | null> {
  if (signal.event === "tokens_revoked" && !signal.botTokensRevoked) {
    deps.logger.info(`tokens_revoked for ${describeKey(signal.key)} names no bot token; nothing to delete`);
    return null;
  }
  const { key } = signal;
  if (!(key.isEnterpriseInstall ? key.enterpriseId : key.teamId)) {
    deps.logger.warn(`${signal.event} without a team or enterprise id; nothing deleted`);
    return null;
  }
  const report = await deps.store.uninstall(key);
  deps.installations?.forgetSeen();
  const threads = deps.threadContexts.forgetInstall(key);
  const counts = Object.entries({ ...report, assistant_thread_contexts: threads })
    .map(([table, n]) => `${table} ${n}`)
    .join(", ");
  deps.logger.info(`${signal.event}: deleted everything of ${describeKey(key)} (${counts})`);
  return report;
}
