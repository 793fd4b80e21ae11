import { randomBytes } from "node:crypto";

export const TEST_TEAM_ID = "T0TEST";
export const TEST_TEAM_DOMAIN = "testteam";
export const TEST_APP_ID = "A0TEST";
export const BOT_USER_ID = "U0BOT";
export const BOT_ID = "B0BOT";
export const BOT_NAME = "em-focus";

let lastTsMicros = 0;

/**
 * A Slack-style message timestamp ("1700000000.000100"), close to the current time and strictly
 * increasing within the process, so ordering and uniqueness hold even for bursts of calls.
 */
export function nextTs(): string {
  const micros = Math.max(lastTsMicros + 1, Math.floor(Date.now()) * 1000);
  lastTsMicros = micros;
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros % 1_000_000;
  return `${seconds}.${String(fraction).padStart(6, "0")}`;
}

let idCounter = 0;

/** Unique Slack-looking id such as "Ev0001A3F9C2" (counter for order, random tail against reuse). */
export function uniqueId(prefix: string): string {
  idCounter += 1;
  return `${prefix}${idCounter.toString(36).toUpperCase().padStart(4, "0")}${randomBytes(3).toString("hex").toUpperCase()}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
