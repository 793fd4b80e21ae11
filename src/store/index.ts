export { weekStartIn } from "./history.js";
export { LATEST_MIGRATION } from "./migrations.js";
export {
  isPostgresUrl,
  type OpenStoreOptions,
  openStore,
  redactDatabaseUrl,
  sqlitePathFrom,
} from "./open.js";
export type { Database } from "./schema.js";
export type * from "./types.js";
