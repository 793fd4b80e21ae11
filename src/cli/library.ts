import type { Config } from "../config.js";
import { loadLibrary } from "../content/load.js";
import type { Library } from "../content/types.js";

/** The articles named by the settings, as the bot loads them. */
export function openLibrary(config: Config): Library {
  return loadLibrary(config.contentDir, { baseUrl: config.contentBaseUrl });
}
