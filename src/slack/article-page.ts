import type { Article } from "../content/types.js";

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * An article as a readable page with one anchor per section, so that every answer's link works
 * even where the article has no public home of its own. Content is trusted (it is in the repo).
 */
export async function articlePage(article: Article): Promise<string> {
  // Loaded on the first page view: most installs never serve one.
  const { marked } = await import("marked");
  const sections = article.sections
    .map((section) => {
      const body = marked.parse(section.text, { async: false });
      return `<section id="${escapeHtml(section.id)}">
<h2><a href="#${escapeHtml(section.id)}">${escapeHtml(section.heading)}</a></h2>
${body}</section>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(article.title)}</title>
<style>
body{font:17px/1.6 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1d1c1d}
h2{font-size:1.1rem;margin-top:2rem} h2 a{color:inherit;text-decoration:none}
section:target{background:#fff8db;outline:.5rem solid #fff8db}
</style>
</head>
<body>
<h1>${escapeHtml(article.title)}</h1>
${sections}
</body>
</html>
`;
}
