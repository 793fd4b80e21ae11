import type { Installation, InstallationQuery, InstallationStore, Logger } from "@slack/bolt";
import { webApi } from "@slack/bolt";
import type { OAuthSettings } from "../config.js";
import { webClientOptions } from "../slack-client.js";
import { type InstallationKey, keyColumns, rowContext } from "../store/installations.js";
import { decryptToken, encryptToken, type KeyRing, keyById } from "../store/token-crypto.js";
import type { InstallationRow, Store } from "../store/types.js";

/**
 * Bolt's own refresh (@slack/oauth) runs when a token expires within 2 hours, unlocked, so two
 * requests refresh twice and one refresh token is lost (node-slack-sdk #2504). Tokens are refreshed
 * here first, under a lock, a little earlier, so Bolt always finds them fresh and never refreshes.
 */
export const REFRESH_WINDOW_SECONDS = 2 * 60 * 60 + 10 * 60;

/** An install as the rest of the app uses it: key, tokens opened. */
export interface OpenedInstallation {
  readonly key: InstallationKey;
  readonly installation: Installation<"v2", boolean>;
  readonly botToken: string;
}

/** The key of a row (Slack's: enterprise and team, "" stored for none). */
export function keyOfRow(row: { enterprise_id: string; team_id: string; is_enterprise_install: number }) {
  return {
    enterpriseId: row.enterprise_id || null,
    teamId: row.team_id || null,
    isEnterpriseInstall: row.is_enterprise_install === 1,
  } satisfies InstallationKey;
}

/** A short name for logs: ids only, never a token. */
export function describeKey(key: InstallationKey): string {
  return key.isEnterpriseInstall ? `org ${key.enterpriseId}` : `workspace ${key.teamId}`;
}

export class SealedInstallations implements InstallationStore {
  private readonly refreshing = new Map<string, Promise<InstallationRow>>();
  private readonly client: webApi.WebClient;
  /** Workspaces already recorded for their org this process (the write is skipped for 10 minutes). */
  private readonly orgTeamsSeen = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly settings: Pick<OAuthSettings, "clientId" | "clientSecret" | "apiUrl" | "keys">,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.client = new webApi.WebClient(undefined, webClientOptions(settings.apiUrl, logger));
  }

  get keys(): KeyRing {
    return this.settings.keys;
  }

  async storeInstallation(installation: Installation): Promise<void> {
    const bot = installation.bot;
    if (!bot) throw new Error("Slack returned an install without a bot token; em-focus needs one");
    const key: InstallationKey = {
      enterpriseId: installation.enterprise?.id ?? null,
      teamId: installation.team?.id ?? null,
      isEnterpriseInstall: installation.isEnterpriseInstall === true,
    };
    const columns = keyColumns(key);
    const now = this.now().getTime();
    const sealed = this.seal(columns, bot.token, bot.refreshToken ?? null);
    await this.store.saveInstallation({
      ...columns,
      is_enterprise_install: key.isEnterpriseInstall ? 1 : 0,
      team_name: installation.team?.name ?? null,
      enterprise_name: installation.enterprise?.name ?? null,
      enterprise_url: installation.enterpriseUrl ?? null,
      app_id: installation.appId ?? null,
      bot_id: bot.id ?? null,
      bot_user_id: bot.userId ?? null,
      bot_scopes: (bot.scopes ?? []).join(","),
      installer_user_id: installation.user?.id ?? null,
      ...sealed,
      bot_expires_at: bot.expiresAt ?? null,
      installed_at: now,
      updated_at: now,
    });
    this.logger.info(`Stored the install of em-focus for ${describeKey(key)}`);
  }

  /** The install serving the query, its token refreshed first when it is about to expire. */
  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<"v2", boolean>> {
    let row: InstallationRow | undefined;
    if (query.isEnterpriseInstall && query.enterpriseId) {
      row = await this.store.findInstallation({
        enterpriseId: query.enterpriseId,
        teamId: null,
        isEnterpriseInstall: true,
      });
      if (row && query.teamId) await this.rememberOrgTeam(query.teamId, query.enterpriseId);
    } else if (query.teamId) {
      row = await this.store.installationForTeam(query.teamId);
    }
    if (!row) {
      const where = query.isEnterpriseInstall ? `org ${query.enterpriseId}` : `workspace ${query.teamId}`;
      throw new Error(`em-focus is not installed for ${where}`);
    }
    return this.open(await this.fresh(row)).installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.store.uninstall({
      enterpriseId: query.enterpriseId ?? null,
      teamId: query.teamId ?? null,
      isEnterpriseInstall: query.isEnterpriseInstall,
    });
  }

  /** The install that serves a workspace, token fresh (for prompt delivery); undefined when none. */
  async forTeam(teamId: string): Promise<OpenedInstallation | undefined> {
    const row = await this.store.installationForTeam(teamId);
    return row && this.open(await this.fresh(row));
  }

  /** Opens the sealed tokens of a row. Throws (naming no token) when its key is not given. */
  open(row: InstallationRow): OpenedInstallation {
    const key = keyById(this.settings.keys, row.key_id);
    if (!key)
      throw new Error(
        `the tokens of ${describeKey(keyOfRow(row))} are sealed under key ${row.key_id}, which is neither EM_FOCUS_ENCRYPTION_KEY nor in EM_FOCUS_OLD_ENCRYPTION_KEYS`,
      );
    const context = rowContext(row);
    const botToken = decryptToken(row.bot_token, key, context);
    const refreshToken = row.bot_refresh_token
      ? decryptToken(row.bot_refresh_token, key, context)
      : undefined;
    const enterprise = row.enterprise_id
      ? { id: row.enterprise_id, ...(row.enterprise_name ? { name: row.enterprise_name } : {}) }
      : undefined;
    const installation: Installation<"v2", boolean> = {
      team: row.team_id ? { id: row.team_id, ...(row.team_name ? { name: row.team_name } : {}) } : undefined,
      enterprise,
      user: { id: row.installer_user_id ?? "", token: undefined, scopes: undefined },
      bot: {
        token: botToken,
        scopes: row.bot_scopes ? row.bot_scopes.split(",") : [],
        id: row.bot_id ?? "",
        userId: row.bot_user_id ?? "",
        ...(refreshToken ? { refreshToken } : {}),
        ...(row.bot_expires_at !== null ? { expiresAt: row.bot_expires_at } : {}),
      },
      ...(row.app_id ? { appId: row.app_id } : {}),
      ...(row.enterprise_url ? { enterpriseUrl: row.enterprise_url } : {}),
      tokenType: "bot",
      isEnterpriseInstall: row.is_enterprise_install === 1,
      authVersion: "v2",
    } as Installation<"v2", boolean>;
    return { key: keyOfRow(row), installation, botToken };
  }

  /** Both tokens sealed under the current key, bound to the row. */
  seal(columns: { enterprise_id: string; team_id: string }, token: string, refreshToken: string | null) {
    const { current } = this.settings.keys;
    const context = rowContext(columns);
    return {
      key_id: current.id,
      bot_token: encryptToken(token, current, context),
      bot_refresh_token: refreshToken === null ? null : encryptToken(refreshToken, current, context),
    };
  }

  private expiring(row: InstallationRow): boolean {
    if (!row.bot_refresh_token || row.bot_expires_at === null) return false;
    return row.bot_expires_at - Math.floor(this.now().getTime() / 1000) <= REFRESH_WINDOW_SECONDS;
  }

  /** The row itself, or after one refresh when its token is about to expire. */
  private fresh(row: InstallationRow): Promise<InstallationRow> {
    if (!this.expiring(row)) return Promise.resolve(row);
    const key = keyOfRow(row);
    const id = `${row.enterprise_id}/${row.team_id}`;
    // Requests in this process wait for one refresh; other processes wait on the database lock.
    let running = this.refreshing.get(id);
    if (!running) {
      running = this.refresh(key).finally(() => this.refreshing.delete(id));
      this.refreshing.set(id, running);
    }
    return running;
  }

  private refresh(key: InstallationKey): Promise<InstallationRow> {
    return this.store.withInstallationLocked(key, async (row, save) => {
      if (!row) throw new Error(`em-focus was uninstalled from ${describeKey(key)}`);
      // Another process refreshed it while this one waited for the lock: use its result.
      if (!this.expiring(row)) return row;
      const opened = this.open(row);
      const result = await this.client.oauth.v2.access({
        client_id: this.settings.clientId,
        client_secret: this.settings.clientSecret,
        grant_type: "refresh_token",
        refresh_token: opened.installation.bot?.refreshToken ?? "",
      });
      const token = result.access_token;
      const refreshToken = result.refresh_token;
      if (!token || !refreshToken || typeof result.expires_in !== "number")
        throw new Error(`Slack's token refresh for ${describeKey(key)} returned no token`);
      const next: InstallationRow = {
        ...row,
        ...this.seal(row, token, refreshToken),
        bot_expires_at: Math.floor(this.now().getTime() / 1000) + result.expires_in,
        updated_at: this.now().getTime(),
      };
      await save(next);
      this.logger.info(`Refreshed the bot token of ${describeKey(key)}`);
      return next;
    });
  }

  private async rememberOrgTeam(teamId: string, enterpriseId: string): Promise<void> {
    const now = this.now();
    const seen = this.orgTeamsSeen.get(teamId);
    if (seen !== undefined && now.getTime() - seen < 10 * 60_000) return;
    await this.store.rememberOrgTeam(teamId, enterpriseId, now);
    this.orgTeamsSeen.set(teamId, now.getTime());
  }

  /** After an uninstall: the next request of every org workspace records it again. */
  forgetSeen(): void {
    this.orgTeamsSeen.clear();
  }
}
