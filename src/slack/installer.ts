import type { HTTPReceiverOptions, Logger } from "@slack/bolt";
import type { OAuthSettings } from "../config.js";
import type { Library } from "../content/types.js";
import { webClientOptions } from "../slack-client.js";
import type { Store } from "../store/types.js";
import type { SealedInstallations } from "./installation-store.js";
import { installPage, writeFailure, writeInstalled } from "./oauth-pages.js";
import { oneTimeStateStore } from "./oauth-state.js";
import { BOT_SCOPES } from "./scopes.js";

export const INSTALL_PATH = "/slack/install";
export const REDIRECT_PATH = "/slack/oauth_redirect";

/**
 * The options that give Bolt's HTTPReceiver its installer (@slack/oauth's InstallProvider):
 * `GET /slack/install` and `GET /slack/oauth_redirect`, our pages, a state good once, installs
 * sealed in the database, and oauth.v2.access (and the auth.test after it) sent to SLACK_API_URL.
 */
export function installerOptions(
  settings: OAuthSettings,
  store: Store,
  installations: SealedInstallations,
  logger: Logger,
  /** What the install page names: the articles em-focus answers from. */
  library: Pick<Library, "articles">,
): Partial<HTTPReceiverOptions> {
  return {
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    scopes: [...BOT_SCOPES],
    installationStore: installations,
    ...(settings.redirectUri ? { redirectUri: settings.redirectUri } : {}),
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: REDIRECT_PATH,
      stateVerification: true,
      stateStore: oneTimeStateStore(store, settings.stateSecret),
      clientOptions: webClientOptions(settings.apiUrl, logger),
      renderHtmlForInstallPath: (url) => installPage(url, library.articles),
      callbackOptions: {
        success: (installation, _options, _req, res) => writeInstalled(res, installation),
        failure: (error, _options, _req, res) => {
          logger.warn(`An install did not complete: ${error.code ?? ""} ${error.message}`);
          writeFailure(res, error);
        },
      },
    },
  };
}
