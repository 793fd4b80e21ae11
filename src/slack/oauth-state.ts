import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { InstallURLOptions, StateStore } from "@slack/bolt";
import type { Store } from "../store/types.js";

/** How long an install link stays good (Bolt's own cookie lives as long). */
export const STATE_TTL_SECONDS = 600;

/** Bolt's code for a bad state: its failure handler and ours read it. */
export const INVALID_STATE = "slack_oauth_invalid_state";

/** A state refused: forged, expired, or already used. The message is shown on the failure page. */
export class StateRefused extends Error {
  readonly code = INVALID_STATE;
  constructor(readonly why: "forged" | "expired" | "used") {
    super(`OAuth state ${why}`);
    this.name = "StateRefused";
  }
}

function sign(payload: string, secret: string): Buffer {
  return createHmac("sha256", secret).update(payload).digest();
}

/**
 * The OAuth `state`: signed with SLACK_STATE_SECRET (so it cannot be forged), ten minutes old at
 * most, and good once — its hash is recorded in the database on use, so a state replayed (the
 * redirect URL reloaded, copied, or sent to a second instance) is refused everywhere.
 */
export function oneTimeStateStore(store: Store, secret: string): StateStore {
  return {
    async generateStateParam(installOptions: InstallURLOptions, now: Date): Promise<string> {
      const payload = Buffer.from(
        JSON.stringify({ installOptions, now: now.getTime(), nonce: randomBytes(16).toString("hex") }),
      ).toString("base64url");
      return `${payload}.${sign(payload, secret).toString("base64url")}`;
    },
    async verifyStateParam(now: Date, state: string): Promise<InstallURLOptions> {
      const [payload = "", mac = ""] = state.split(".");
      const expected = sign(payload, secret);
      const given = Buffer.from(mac, "base64url");
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw new StateRefused("forged");
      let parsed: { installOptions?: InstallURLOptions; now?: number };
      try {
        parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
      } catch {
        throw new StateRefused("forged");
      }
      const issued = Number(parsed.now);
      const expiresAt = new Date(issued + STATE_TTL_SECONDS * 1000);
      if (!Number.isFinite(issued) || expiresAt.getTime() < now.getTime()) throw new StateRefused("expired");
      const hash = createHash("sha256").update(state).digest("hex");
      if (!(await store.useOAuthState(hash, expiresAt, now))) throw new StateRefused("used");
      return parsed.installOptions ?? { scopes: [] };
    },
  };
}
