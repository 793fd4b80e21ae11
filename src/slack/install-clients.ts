import { type Logger, webApi } from "@slack/bolt";
import type { InstallClients } from "../prompts/delivery-options.js";
import { webClientOptions } from "../slack-client.js";
import { describeKey, type SealedInstallations } from "./installation-store.js";

/**
 * Prompt delivery's clients in OAuth mode: each workspace's install, its token refreshed when it
 * is about to expire; one WebClient per install and token, reused across passes.
 */
export function installClients(
  installations: SealedInstallations,
  apiUrl: string | null,
  logger: Logger,
): InstallClients {
  const clients = new Map<string, { token: string; client: webApi.WebClient }>();
  return {
    async forTeam(teamId) {
      const opened = await installations.forTeam(teamId);
      if (!opened) return undefined;
      const install = describeKey(opened.key);
      let cached = clients.get(install);
      if (cached?.token !== opened.botToken) {
        cached = {
          token: opened.botToken,
          client: new webApi.WebClient(opened.botToken, webClientOptions(apiUrl, logger)),
        };
        clients.set(install, cached);
      }
      return { install, client: cached.client };
    },
  };
}
