import { MAKE_KEY_HINT } from "../store/token-crypto.js";

export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Settings that cannot be used. The message names every variable, what it is for and where to find it. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      [
        "em-focus cannot start: its settings are incomplete.",
        ...problems.map((p) => `  - ${p.variable}: ${p.message}`),
        'Put them in .env (see .env.example) or the environment. To try answers without Slack: npx em-focus ask "your question"',
      ].join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** Where each Slack setting comes from, for the messages that name a missing or wrong one. */
export const WHERE = {
  SLACK_BOT_TOKEN:
    "the bot token (xoxb-…) the app uses for every Slack call. Slack app settings → OAuth & Permissions → Bot User OAuth Token (install the app to your workspace first).",
  SLACK_SIGNING_SECRET:
    "proves requests come from Slack in HTTP mode. Slack app settings → Basic Information → App Credentials → Signing Secret.",
  SLACK_CLIENT_ID:
    "for OAuth (many workspaces). Slack app settings → Basic Information → App Credentials → Client ID.",
  SLACK_CLIENT_SECRET: "for OAuth. Slack app settings → Basic Information → App Credentials → Client Secret.",
  SLACK_STATE_SECRET:
    "signs the OAuth state that protects installs from forgery: any long random text you choose (e.g. openssl rand -hex 32).",
  EM_FOCUS_ENCRYPTION_KEY: `seals every workspace's tokens in the database (AES-256-GCM, 32 bytes in base64): ${MAKE_KEY_HINT}. Keep it: without it the stored tokens cannot be read.`,
  SLACK_APP_TOKEN:
    "an app-level token (xapp-…) with the connections:write scope, for Socket Mode. Slack app settings → Basic Information → App-Level Tokens.",
} as const;
