import { type EncryptionKey, type KeyRing, parseKey } from "../store/token-crypto.js";
import { type ConfigProblem, WHERE } from "./problems.js";

/**
 * A distributed app (issue 19): installed by many workspaces over OAuth, each with its own token in
 * the database, sealed under `keys`. HTTP mode only (Slack's Marketplace takes no Socket Mode app).
 */
export interface OAuthSettings {
  mode: "http";
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  signingSecret: string;
  /** Base URL of every Web API call, oauth.v2.access included; null for Slack's own. */
  apiUrl: string | null;
  /** `<PUBLIC_URL>/slack/oauth_redirect` when PUBLIC_URL is set; else the app settings' only one is used. */
  redirectUri: string | null;
  keys: KeyRing;
}

const OAUTH_VARIABLES = ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET"] as const;

/** The OAuth settings when any of them is set (then all are needed), else null. */
export function readOAuth(
  env: NodeJS.ProcessEnv,
  given: {
    signingSecret: string | null;
    appToken: string | null;
    apiUrl: string | null;
    publicUrl: string | null;
  },
  problems: ConfigProblem[],
): OAuthSettings | null {
  const values = OAUTH_VARIABLES.map((name) => env[name]?.trim() ?? "");
  if (values.every((value) => value === "")) return null;
  const [clientId = "", clientSecret = "", stateSecret = ""] = values;
  OAUTH_VARIABLES.forEach((name, i) => {
    if (!values[i]) problems.push({ variable: name, message: `missing — ${WHERE[name]}` });
  });
  if (!given.signingSecret)
    problems.push({ variable: "SLACK_SIGNING_SECRET", message: `missing — ${WHERE.SLACK_SIGNING_SECRET}` });
  if (given.appToken)
    problems.push({
      variable: "SLACK_APP_TOKEN",
      message:
        "must not be set in OAuth mode: a distributed app takes Slack's requests over HTTP (remove it)",
    });
  const keys = readKeys(env, problems);
  if (!keys || !clientId || !clientSecret || !stateSecret || !given.signingSecret) return null;
  return {
    mode: "http",
    clientId,
    clientSecret,
    stateSecret,
    signingSecret: given.signingSecret,
    apiUrl: given.apiUrl,
    redirectUri: given.publicUrl ? `${given.publicUrl}/slack/oauth_redirect` : null,
    keys,
  };
}

/** EM_FOCUS_ENCRYPTION_KEY and the EM_FOCUS_OLD_ENCRYPTION_KEYS still read (comma-separated). */
export function readKeys(env: NodeJS.ProcessEnv, problems: ConfigProblem[]): KeyRing | null {
  const text = env.EM_FOCUS_ENCRYPTION_KEY?.trim();
  if (!text) {
    problems.push({
      variable: "EM_FOCUS_ENCRYPTION_KEY",
      message: `missing — ${WHERE.EM_FOCUS_ENCRYPTION_KEY}`,
    });
    return null;
  }
  let current: EncryptionKey;
  try {
    current = parseKey(text);
  } catch (error) {
    problems.push({ variable: "EM_FOCUS_ENCRYPTION_KEY", message: (error as Error).message });
    return null;
  }
  const old: EncryptionKey[] = [];
  for (const [i, part] of (env.EM_FOCUS_OLD_ENCRYPTION_KEYS ?? "").split(",").entries()) {
    if (part.trim() === "") continue;
    try {
      old.push(parseKey(part));
    } catch (error) {
      problems.push({
        variable: "EM_FOCUS_OLD_ENCRYPTION_KEYS",
        message: `key ${i + 1} ${(error as Error).message}`,
      });
    }
  }
  return { current, old: old.filter((key) => key.id !== current.id) };
}
