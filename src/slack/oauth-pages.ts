import type { ServerResponse } from "node:http";
import type { Installation } from "@slack/bolt";
import type { Article } from "../content/types.js";
import { INVALID_STATE, StateRefused } from "./oauth-state.js";

const escapeHtml = (text: string) =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font:17px/1.6 system-ui,sans-serif;max-width:38rem;margin:3rem auto;padding:0 1rem;color:#1d1c1d}
a.add{display:inline-block;background:#4a154b;color:#fff;padding:.7rem 1.3rem;border-radius:6px;text-decoration:none;font-weight:600}
li{margin:.3rem 0}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}

/** The library by its titles, as HTML: "the article <em>T</em>", "the articles <em>A</em> and <em>B</em>", … */
export function articlesNamed(articles: readonly Pick<Article, "title">[]): string {
  const shown = 3;
  const titles = articles.map((a) => `<em>${escapeHtml(a.title)}</em>`);
  if (titles.length <= 1) return titles[0] ? `the article ${titles[0]}` : "its articles";
  const listed =
    titles.length <= shown + 1
      ? titles
      : [...titles.slice(0, shown), `${titles.length - shown} more articles`];
  return `the articles ${listed.slice(0, -1).join(", ")} and ${listed.at(-1)}`;
}

/** `GET /slack/install`: what em-focus is and the "Add to Slack" link, which carries the state. */
export function installPage(authorizeUrl: string, articles: readonly Pick<Article, "title">[]): string {
  return page(
    "Add em-focus to Slack",
    `<p>em-focus answers questions in Slack with the part of ${articlesNamed(articles)} that fits, and
can send a weekly reflection prompt.</p>
<p><a class="add" href="${escapeHtml(authorizeUrl)}">Add to Slack</a></p>
<p>Slack asks you to allow what em-focus needs. This link is good for ten minutes, once; for an
Enterprise Grid organisation, an org admin opens it to install em-focus for the whole org.</p>
<p><a href="/privacy">What em-focus stores, and when it deletes it</a></p>`,
  );
}

/** The page after a successful install: where it went and what to do next. */
export function installedPage(installation: Installation): string {
  const appId = installation.appId ?? "";
  if (installation.isEnterpriseInstall) {
    const org = installation.enterprise?.name ?? installation.enterprise?.id ?? "your organisation";
    const manage = installation.enterpriseUrl
      ? `${installation.enterpriseUrl}manage/organization/apps/profile/${appId}/workspaces/add`
      : null;
    return page(
      "em-focus is installed",
      `<p>em-focus is installed for the whole of <strong>${escapeHtml(org)}</strong>.</p>
<ol>
<li>Choose the workspaces it serves${manage ? ` on <a href="${escapeHtml(manage)}">your org's app page</a>` : " in your org's app management page"}.</li>
<li>In any of them, type <code>/em-focus</code> and a question, or open em-focus's Home tab.</li>
<li>Invite <code>@em-focus</code> to a channel and type <code>/em-focus subscribe</code> there for a weekly team reflection.</li>
</ol>`,
    );
  }
  const team = installation.team?.id ?? "";
  const name = installation.team?.name ?? "your workspace";
  const open = `slack://app?team=${encodeURIComponent(team)}&id=${encodeURIComponent(appId)}`;
  return page(
    "em-focus is installed",
    `<p>em-focus is installed in <strong>${escapeHtml(name)}</strong>.</p>
<ol>
<li><a href="${escapeHtml(open)}">Open em-focus in Slack</a> (or <a href="https://app.slack.com/client/${escapeHtml(encodeURIComponent(team))}">in your browser</a>) and look at its Home tab.</li>
<li>Type <code>/em-focus</code> and a question anywhere, or <code>/em-focus subscribe</code> for a weekly reflection prompt.</li>
<li>Invite <code>@em-focus</code> to a channel to ask it there, or subscribe the channel for a team reflection.</li>
</ol>`,
  );
}

/** Why an install failed, in words for the person who tried, and the HTTP status for it. */
export function failureReason(error: unknown): { status: number; reason: string } {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const slackError = (error as { data?: { error?: unknown } }).data?.error;
  if (error instanceof StateRefused) {
    const why = {
      forged: "this install link was not made by em-focus (or was changed)",
      expired: "this install link is more than ten minutes old",
      used: "this install link was already used",
    }[error.why];
    return { status: 400, reason: `The install was refused: ${why}. Start again from the install page.` };
  }
  if (code === INVALID_STATE || code === "slack_oauth_missing_state")
    return {
      status: 400,
      reason:
        "The install was refused: this install link was not started in this browser (or carries no state). Start again from the install page, in the same browser.",
    };
  if (code === "slack_oauth_missing_code")
    return { status: 400, reason: "Slack sent no authorization code. Start again from the install page." };
  if (typeof message === "string" && /cancelled/i.test(message))
    return { status: 200, reason: "You cancelled the install; nothing was stored." };
  if (typeof slackError === "string")
    return {
      status: 502,
      reason: `Slack refused to complete the install (${slackError}); nothing was stored. Start again from the install page; if it keeps failing, tell whoever runs em-focus.`,
    };
  return {
    status: 500,
    reason: "em-focus could not finish the install; nothing was stored. Try again in a minute.",
  };
}

/** The failure page, with the reason in words. */
export function writeFailure(res: ServerResponse, error: unknown): void {
  const { status, reason } = failureReason(error);
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(
    page(
      status === 200 ? "Install cancelled" : "em-focus was not installed",
      `<p>${escapeHtml(reason)}</p>
<p><a href="/slack/install">Back to the install page</a></p>`,
    ),
  );
}

/** The success page. */
export function writeInstalled(res: ServerResponse, installation: Installation): void {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(installedPage(installation));
}
