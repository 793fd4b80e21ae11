import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import type { CustomRoute } from "@slack/bolt";
import { PAGES_FOLDER } from "../content/load.js";

/** `GET /privacy`: `content/pages/privacy.md` as a page (what is stored, for how long, how it is deleted). */
export function privacyRoute(contentDir: string): CustomRoute {
  const file = join(contentDir, PAGES_FOLDER, "privacy.md");
  return {
    path: "/privacy",
    method: ["GET"],
    handler: async (_req: IncomingMessage, res: ServerResponse) => {
      if (!existsSync(file)) {
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
        res.end("No privacy page in this install's content.\n");
        return;
      }
      const { marked } = await import("marked");
      const { default: matter } = await import("gray-matter");
      const { content, data } = matter(await readFile(file, "utf8"));
      const title = typeof data.title === "string" ? data.title : "Privacy";
      const escapeHtml = (text: string) =>
        text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font:17px/1.6 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1d1c1d}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${marked.parse(content, { async: false })}
</body>
</html>
`);
    },
  };
}
