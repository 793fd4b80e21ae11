import { randomBytes } from "node:crypto";
import type { FakeInstall } from "../../test-support/fake-oauth.js";
import { type FakeSlack, startFakeSlack } from "../../test-support/fake-slack.js";
import { nowSeconds, uniqueId } from "../../test-support/ids.js";
import { startTestBot, type TestBot } from "./bot.js";
import { type AppResponse, type SlackEvent, sendToApp } from "./slack-requests.js";

export type { FakeInstall };

/** A fresh EM_FOCUS_ENCRYPTION_KEY. */
export function newKey(): string {
  return randomBytes(32).toString("base64");
}

/** The env of OAuth mode against `fake`: client credentials the fake knows, a key, no bot token. */
export function oauthEnv(fake: FakeSlack, key = newKey()): Record<string, string | undefined> {
  return {
    SLACK_BOT_TOKEN: undefined,
    SLACK_CLIENT_ID: fake.oauth.clientId,
    SLACK_CLIENT_SECRET: fake.oauth.clientSecret,
    SLACK_STATE_SECRET: "state-secret-for-tests",
    EM_FOCUS_ENCRYPTION_KEY: key,
  };
}

/** The real bot in OAuth mode (HTTP receiver) against its own fake Slack; `stop` closes both. */
export async function startOAuthBot(
  options: { postgresUrl?: string; env?: Record<string, string | undefined> } = {},
): Promise<TestBot> {
  const fake = await startFakeSlack();
  try {
    const bot = await startTestBot({
      fake,
      ...(options.postgresUrl ? { postgresUrl: options.postgresUrl } : {}),
      env: { ...oauthEnv(fake), ...options.env },
    });
    return {
      ...bot,
      async stop() {
        try {
          await bot.stop();
        } finally {
          await fake.close();
        }
      },
    };
  } catch (error) {
    await fake.close();
    throw error;
  }
}

/** What the install page hands the browser: the authorize link's state and the state cookie. */
export async function openInstallPage(
  url: string,
): Promise<{ page: string; state: string; cookie: string; link: URL }> {
  const response = await fetch(`${url}/slack/install`, { redirect: "manual" });
  const page = await response.text();
  const href = /href="(https:\/\/slack\.com\/oauth\/v2\/authorize[^"]+)"/.exec(page)?.[1];
  if (!href) throw new Error(`no Add to Slack link on the install page:\n${page}`);
  const link = new URL(href.replace(/&amp;/g, "&"));
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return { page, state: link.searchParams.get("state") ?? "", cookie, link };
}

/** Slack sends the browser back with `code` and `state`; the browser sends its cookie. */
export async function redirectBack(
  url: string,
  query: Record<string, string>,
  cookie: string,
): Promise<{ status: number; page: string }> {
  const response = await fetch(`${url}/slack/oauth_redirect?${new URLSearchParams(query)}`, {
    headers: cookie ? { cookie } : {},
    redirect: "manual",
  });
  return { status: response.status, page: await response.text() };
}

/** A whole install, as a browser does it: install page, Slack's code, redirect back. */
export async function install(bot: TestBot, who: FakeInstall): Promise<{ status: number; page: string }> {
  const { state, cookie } = await openInstallPage(bot.url);
  const code = bot.fake.oauth.issueCode(who);
  return redirectBack(bot.url, { code, state }, cookie);
}

/** Where a request comes from, as Slack says it in a signed payload. */
export interface Origin {
  teamId: string;
  enterpriseId?: string | null;
  /** The request's install is org-wide (Grid). */
  org?: boolean;
}

/** An event envelope from a workspace: authorizations name the install (Slack Connect: another team at top level). */
export async function sendEventFrom(
  bot: TestBot,
  origin: Origin,
  event: SlackEvent,
  options: { topLevelTeamId?: string; eventId?: string } = {},
): Promise<AppResponse> {
  const body = {
    token: "unused",
    team_id: options.topLevelTeamId ?? origin.teamId,
    ...(origin.enterpriseId ? { enterprise_id: origin.enterpriseId } : {}),
    api_app_id: "A0TEST",
    event,
    type: "event_callback",
    event_id: options.eventId ?? uniqueId("Ev"),
    event_time: nowSeconds(),
    authorizations: [
      {
        enterprise_id: origin.enterpriseId ?? null,
        team_id: origin.teamId,
        user_id: "U0BOT",
        is_bot: true,
        is_enterprise_install: origin.org === true,
      },
    ],
    is_ext_shared_channel: options.topLevelTeamId !== undefined,
    event_context: `4-${uniqueId("ctx")}`,
  };
  return sendToApp(bot.url, JSON.stringify(body), {
    contentType: "application/json",
    signingSecret: bot.target.signingSecret,
  });
}

/** An interactivity payload (block_actions, view_submission) from a workspace. */
export function sendInteractionFrom(
  bot: TestBot,
  origin: Origin,
  payload: Record<string, unknown>,
): Promise<AppResponse> {
  const body = {
    api_app_id: "A0TEST",
    token: "unused",
    trigger_id: `${Date.now()}.1.${randomBytes(6).toString("hex")}`,
    team: origin.org ? null : { id: origin.teamId, domain: origin.teamId.toLowerCase() },
    enterprise: origin.enterpriseId ? { id: origin.enterpriseId, name: "Grid" } : null,
    is_enterprise_install: origin.org === true,
    ...payload,
  };
  return sendToApp(bot.url, new URLSearchParams({ payload: JSON.stringify(body) }).toString(), {
    contentType: "application/x-www-form-urlencoded",
    signingSecret: bot.target.signingSecret,
  });
}
