/** Database URL helpers, kept apart from the drivers so that naming a database loads none of them. */
import { maskUrlCredentials } from "../url-credentials.js";

export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//i.test(databaseUrl);
}

/** Hides the password of a database URL (also one containing `@`) for messages and logs. */
export function redactDatabaseUrl(databaseUrl: string): string {
  return maskUrlCredentials(databaseUrl);
}
