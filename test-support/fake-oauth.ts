import { randomBytes } from "node:crypto";
import { BOT_ID, BOT_USER_ID, TEST_APP_ID } from "./ids.js";

type Args = Record<string, unknown>;
type Result = { ok: boolean; error?: string; [key: string]: unknown };

/** Who installs: a workspace (team, maybe inside a Grid) or a whole org (no team). */
export interface FakeInstall {
  teamId?: string | null;
  teamName?: string;
  enterpriseId?: string | null;
  enterpriseName?: string;
  isEnterpriseInstall?: boolean;
  userId?: string;
  /** Token rotation on: the bot token expires after `expiresIn` seconds and comes with a refresh token. */
  rotating?: boolean;
  expiresIn?: number;
}

interface Grant {
  readonly install: Required<Pick<FakeInstall, "userId">> & FakeInstall;
  readonly botUserId: string;
  readonly botId: string;
}

const CODE_TTL_MS = 10 * 60 * 1000;

function str(args: Args, key: string): string | undefined {
  const value = args[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Slack's side of OAuth for the fake: codes the "browser" gets from Slack's authorize page
 * (`issueCode`), `oauth.v2.access` refusing what Slack refuses (missing or wrong client
 * credentials, an unknown, expired or used code, a used refresh token), and each issued token
 * remembered with its install for `auth.test` and for tests to see whose token a call used.
 */
export class FakeOAuth {
  readonly clientId = `${Date.now()}.${randomBytes(4).readUInt32BE()}`;
  readonly clientSecret = randomBytes(16).toString("hex");
  private readonly codes = new Map<string, { grant: Grant; issuedAt: number; used: boolean }>();
  private readonly tokens = new Map<string, Grant & { revoked: boolean }>();
  private readonly refreshTokens = new Map<string, { grant: Grant; used: boolean }>();
  private counter = 0;

  constructor(private readonly now: () => number) {}

  /** A code as Slack's authorize page would hand the browser for this install. */
  issueCode(install: FakeInstall): string {
    this.counter += 1;
    const code = `${this.counter}.${randomBytes(12).toString("hex")}`;
    const suffix = (install.teamId ?? install.enterpriseId ?? "X").slice(-4);
    this.codes.set(code, {
      grant: {
        install: { userId: "U0INSTALLER", ...install },
        botUserId: `${BOT_USER_ID}${suffix}`,
        botId: `${BOT_ID}${suffix}`,
      },
      issuedAt: this.now(),
      used: false,
    });
    return code;
  }

  /** The install a token was issued for, while it is valid. */
  whoseToken(token: string | undefined): FakeInstall | undefined {
    const grant = token === undefined ? undefined : this.tokens.get(token);
    return grant && !grant.revoked ? grant.install : undefined;
  }

  /** Whether this token was ever issued here (valid or not). */
  issued(token: string): boolean {
    return this.tokens.has(token);
  }

  /** Revokes a token (as uninstalling does): every call with it then fails `token_revoked`. */
  revoke(token: string): void {
    const grant = this.tokens.get(token);
    if (grant) grant.revoked = true;
  }

  /** Every secret this fake ever handed out: codes, access tokens and refresh tokens, used or not. */
  issuedSecrets(): string[] {
    return [...this.codes.keys(), ...this.tokens.keys(), ...this.refreshTokens.keys()];
  }

  /** Every valid token of an install, newest last. */
  tokensOf(match: (install: FakeInstall) => boolean): string[] {
    return [...this.tokens].filter(([, g]) => !g.revoked && match(g.install)).map(([token]) => token);
  }

  access(args: Args): Result {
    const clientId = str(args, "client_id");
    if (!clientId) return { ok: false, error: "invalid_client_id" };
    if (clientId !== this.clientId) return { ok: false, error: "invalid_client_id" };
    if (str(args, "client_secret") !== this.clientSecret) return { ok: false, error: "bad_client_secret" };
    const grantType = str(args, "grant_type") ?? "authorization_code";
    if (grantType === "refresh_token") return this.refresh(args);
    if (grantType !== "authorization_code") return { ok: false, error: "invalid_grant_type" };
    const code = str(args, "code");
    const entry = code === undefined ? undefined : this.codes.get(code);
    if (!entry || entry.used || this.now() - entry.issuedAt > CODE_TTL_MS)
      return { ok: false, error: "invalid_code" };
    entry.used = true;
    return this.tokenResponse(entry.grant);
  }

  private refresh(args: Args): Result {
    const refreshToken = str(args, "refresh_token");
    const entry = refreshToken === undefined ? undefined : this.refreshTokens.get(refreshToken);
    if (!entry || entry.used) return { ok: false, error: "invalid_refresh_token" };
    entry.used = true;
    // The old access token stays good until it expires; the new pair replaces it.
    // Slack's rotated tokens live 12 hours; `expiresIn` only shortens the first one.
    const { access_token, refresh_token, expires_in } = this.tokenResponse({
      ...entry.grant,
      install: { ...entry.grant.install, expiresIn: 43_200 },
    });
    return { ok: true, token_type: "bot", access_token, refresh_token, expires_in };
  }

  private tokenResponse(
    grant: Grant,
  ): Result & { access_token: string; refresh_token?: string; expires_in?: number } {
    const { install } = grant;
    const rotating = install.rotating === true;
    const accessToken = `${rotating ? "xoxe.xoxb" : "xoxb"}-${randomBytes(12).toString("hex")}`;
    this.tokens.set(accessToken, { ...grant, revoked: false });
    let refreshToken: string | undefined;
    if (rotating) {
      refreshToken = `xoxe-1-${randomBytes(16).toString("hex")}`;
      this.refreshTokens.set(refreshToken, { grant, used: false });
    }
    const enterprise = install.enterpriseId
      ? { id: install.enterpriseId, name: install.enterpriseName ?? "Grid" }
      : null;
    return {
      ok: true,
      app_id: TEST_APP_ID,
      authed_user: { id: install.userId },
      scope: "commands,chat:write",
      token_type: "bot",
      access_token: accessToken,
      bot_user_id: grant.botUserId,
      team: install.isEnterpriseInstall
        ? null
        : { id: install.teamId, name: install.teamName ?? install.teamId },
      enterprise,
      is_enterprise_install: install.isEnterpriseInstall === true,
      ...(refreshToken ? { refresh_token: refreshToken, expires_in: install.expiresIn ?? 43_200 } : {}),
    };
  }

  /** `auth.test` for an issued token: its own install's ids; undefined for a token not issued here. */
  authTest(token: string): Result | undefined {
    const grant = this.tokens.get(token);
    if (!grant) return undefined;
    if (grant.revoked) return { ok: false, error: "token_revoked" };
    const { install } = grant;
    return {
      ok: true,
      url: install.isEnterpriseInstall
        ? `https://${install.enterpriseId?.toLowerCase()}.enterprise.slack.com/`
        : `https://${install.teamId?.toLowerCase()}.slack.com/`,
      team: install.teamName ?? install.teamId ?? install.enterpriseName,
      user: "em-focus",
      team_id: install.isEnterpriseInstall ? install.enterpriseId : install.teamId,
      user_id: grant.botUserId,
      bot_id: grant.botId,
      ...(install.enterpriseId ? { enterprise_id: install.enterpriseId } : {}),
      is_enterprise_install: install.isEnterpriseInstall === true,
    };
  }
}
