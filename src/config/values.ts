import type { ConfigProblem } from "./problems.js";

/*
 * Parsers of single settings: each returns the value or its fallback, and pushes a problem that
 * names the variable when the text cannot be used.
 */

/** A whole number setting within [min, max]; the fallback (and a problem) otherwise. */
export function wholeNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  range: { fallback: number; min: number; max: number; unit: string },
  problems: ConfigProblem[],
): number {
  const text = env[name]?.trim();
  if (!text) return range.fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    problems.push({
      variable: name,
      message: `must be a whole number of ${range.unit} (${range.min}–${range.max}), got "${text.slice(0, 40)}"`,
    });
    return range.fallback;
  }
  return value;
}

export function optionalUrl(env: NodeJS.ProcessEnv, name: string, problems: ConfigProblem[]): string | null {
  const value = env[name]?.trim();
  if (!value) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
    return value.replace(/\/+$/, "");
  } catch {
    problems.push({ variable: name, message: `must be an http(s) URL, got "${value.slice(0, 80)}"` });
    return null;
  }
}

export function milliseconds(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  problems: ConfigProblem[],
  allowZero = false,
): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1) || value > 3_600_000) {
    problems.push({
      variable: name,
      message: `must be a number of milliseconds (${allowZero ? "0" : "1"}–3600000), got "${text.slice(0, 40)}"`,
    });
    return fallback;
  }
  return value;
}

/** A host setting as `listen` takes it: trimmed, an IPv6 address without its brackets; null when unset. */
export function hostName(value: string | undefined): string | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  return /^\[.*\]$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}
