import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { BotDeps } from "../../deps.js";
import { forgetInstall } from "../../uninstall.js";

type UninstallArgs = SlackEventMiddlewareArgs<"app_uninstalled" | "tokens_revoked"> & AllMiddlewareArgs;

/**
 * `app_uninstalled` and `tokens_revoked`. Bolt skips authorization for both (the install may be
 * gone) and takes the team and enterprise from `authorizations` when Slack sends them, else from
 * the envelope: that is the install that went.
 */
export function uninstalled(deps: BotDeps) {
  return async ({ event, body, context }: UninstallArgs) => {
    const envelope = body as { enterprise_id?: unknown; team_id?: unknown };
    const enterpriseId =
      context.enterpriseId ?? (typeof envelope.enterprise_id === "string" ? envelope.enterprise_id : null);
    const teamId = context.teamId ?? (typeof envelope.team_id === "string" ? envelope.team_id : null);
    const bots = event.type === "tokens_revoked" ? (event.tokens as { bot?: unknown }).bot : undefined;
    await forgetInstall(deps, {
      event: event.type,
      key: { enterpriseId, teamId, isEnterpriseInstall: context.isEnterpriseInstall === true },
      botTokensRevoked: Array.isArray(bots) && bots.length > 0,
    });
  };
}
