import { suggestedAcross } from "../content/about.js";
import { LEVEL_NAMES, type Library, type Section } from "../content/types.js";
import type { GapGroup } from "../gaps.js";
import { ARTICLE_TABLE_COLUMNS, articleRow } from "../match/article-eval.js";
import { blocksToHtml, escapeHtml } from "./blockkit-html.js";
import type { Studio } from "./studio.js";

/** The composer's placeholder: the library's first suggested prompt, or neutral words without one. */
export function composerPlaceholder(library: Pick<Library, "articles">): string {
  const example = suggestedAcross(library.articles, 1)[0]?.message;
  return example ? `/em-focus ${example}` : "Ask a question, as you would with /em-focus";
}

/** The page itself: markup only; behaviour comes from /app.js, looks from /style.css (CSP: 'self'). */
export function pageHtml(library: Pick<Library, "articles">): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>em-focus playground</title>
<link rel="stylesheet" href="/style.css">
<script src="/app.js" defer></script>
</head>
<body>
<header class="top">
  <div class="brand"><span class="logo" aria-hidden="true">em</span> em-focus <span class="tag">playground</span></div>
  <nav role="tablist" aria-label="Playground">
    <button role="tab" id="tab-ask" aria-controls="panel-ask" aria-selected="true">Ask</button>
    <button role="tab" id="tab-prompts" aria-controls="panel-prompts" aria-selected="false" tabindex="-1">Prompts</button>
    <button role="tab" id="tab-content" aria-controls="panel-content" aria-selected="false" tabindex="-1">Content</button>
    <button role="tab" id="tab-gaps" aria-controls="panel-gaps" aria-selected="false" tabindex="-1">Gaps</button>
  </nav>
</header>
<main>
  <section id="panel-ask" role="tabpanel" aria-labelledby="tab-ask">
    <p class="hint">Ask as you would with <code>/em-focus</code>. The answer card is the one Slack shows.</p>
    <div id="conversation" class="conversation" aria-live="polite"></div>
    <form id="ask-form" class="composer">
      <label for="question" class="visually-hidden">Your question</label>
      <textarea id="question" name="question" rows="2" maxlength="40000" placeholder="${escapeHtml(composerPlaceholder(library))}"></textarea>
      <button type="submit" class="send">Ask</button>
    </form>
  </section>
  <section id="panel-prompts" role="tabpanel" aria-labelledby="tab-prompts" hidden>
    <div class="row"><p class="hint" id="clock"></p><button type="button" id="next-week" class="bk-button">Next week →</button></div>
    <div id="prompt" class="conversation card"></div>
    <form id="note-form" class="composer" hidden>
      <label for="note">A note for this week — only you can see it</label>
      <textarea id="note" rows="2" maxlength="2000"></textarea>
      <button type="submit" class="send">Save note</button>
    </form>
    <h2 class="pane-title">Home tab</h2>
    <div id="home" class="home"></div>
    <h2 class="pane-title">Team channel</h2>
    <div id="team"></div>
  </section>
  <section id="panel-content" role="tabpanel" aria-labelledby="tab-content" hidden>
    <div class="row"><p class="hint">Edit files in <code>content/</code>, then reload: no restart needed.</p><button type="button" id="reload" class="bk-button">Reload content</button></div>
    <div id="problems"></div>
    <form id="explain-form" class="composer">
      <label for="explain-question" class="visually-hidden">Question to explain</label>
      <input id="explain-question" maxlength="40000" placeholder="Type a question to see how it matches">
      <button type="submit" class="send">Explain</button>
    </form>
    <div id="explain"></div>
    <div id="sections"></div>
  </section>
  <section id="panel-gaps" role="tabpanel" aria-labelledby="tab-gaps" hidden>
    <p class="hint">Questions the bot could not answer, and answers marked 👎 — grouped by wording, most frequent first. No one's name is kept.</p>
    <div id="gaps"></div>
  </section>
</main>
</body>
</html>
`;
}

/** A message from the bot, as Slack lays it out. */
export function messageHtml(blocks: readonly unknown[], note?: string): string {
  return blocksToHtml(blocks, { sender: "em-focus", ...(note ? { note } : {}) });
}

export function questionHtml(question: string): string {
  const shown =
    question.length > 600 ? `${question.slice(0, 600)}… (${question.length} characters)` : question;
  return `<div class="message own"><div class="avatar you" aria-hidden="true">you</div><div class="message-body"><div class="sender">you</div><div class="bk-text">${escapeHtml(shown)}</div></div></div>`;
}

function levelBadge(level: Section["level"]): string {
  return level
    ? `<span class="level level-${level}">${LEVEL_NAMES[level]}</span>`
    : `<span class="level">—</span>`;
}

/** Every section of every article: id, level, role, title, summary and aliases. */
export function sectionsHtml(studio: Studio): string {
  return studio.library.articles
    .map(
      (
        article,
      ) => `<h2 class="pane-title">${escapeHtml(article.title)} <small>${escapeHtml(article.file)}</small></h2>
<div class="table-wrap"><table class="sections"><thead><tr><th>id</th><th>level</th><th>role</th><th>title and summary</th><th>aliases</th></tr></thead><tbody>${article.sections
        .map(
          (s) =>
            `<tr><td><code>${escapeHtml(s.id)}</code></td><td>${levelBadge(s.level)}</td><td>${escapeHtml(s.role)}</td><td><strong>${escapeHtml(s.heading)}</strong><br><span class="muted">${escapeHtml(s.summary)}</span></td><td>${s.aliases.map((a) => `<span class="chip">${escapeHtml(a)}</span>`).join(" ")}</td></tr>`,
        )
        .join("")}</tbody></table></div>`,
    )
    .join("");
}

/** Each article on its own questions file: the same rows `npm run eval` prints (article-eval.ts). */
export function articleScoresHtml(studio: Studio): string {
  const { scores, problem, contentDir } = studio.articleScores();
  const title = `<h2 class="pane-title">Per article: its own questions file</h2>`;
  if (problem) {
    return `${title}<div class="problem" role="alert"><strong>A questions file cannot be read</strong>:<pre>${escapeHtml(problem)}</pre></div>`;
  }
  const rows = scores
    .map((score) => {
      const [slug, ...cells] = articleRow(score, contentDir);
      return score.measured
        ? `<tr><td><code>${escapeHtml(slug ?? "")}</code></td>${cells.map((c, i) => `<td data-label="${escapeHtml(ARTICLE_TABLE_COLUMNS[i + 1] ?? "")}">${escapeHtml(c)}</td>`).join("")}</tr>`
        : `<tr class="unmeasured"><td><code>${escapeHtml(slug ?? "")}</code></td><td colspan="${cells.length}" class="muted">${escapeHtml(cells[0] ?? "")}</td></tr>`;
    })
    .join("");
  return `${title}<div class="table-wrap"><table class="article-scores"><thead><tr>${ARTICLE_TABLE_COLUMNS.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

export function problemsHtml(studio: Studio): string {
  if (!studio.problem) return `<p class="ok">✓ Content check: no problems.</p>`;
  return `<div class="problem" role="alert"><strong>Content check found a problem</strong> (the last good content is still in use):<pre>${escapeHtml(studio.problem)}</pre></div>`;
}

/** The ranked sections for a question, with scores and the words that matched. */
export function explainHtml(studio: Studio, question: string): string {
  const { decided, confidence, ranked } = studio.explain(question);
  const rows = ranked
    .map((r) => {
      const key = `${r.article}#${r.section}`;
      return `<tr class="${key === decided ? "chosen" : ""}"><td>${key === decided ? "✓ answer" : ""}</td><td><code>${escapeHtml(r.section)}</code><br>${escapeHtml(r.title)}</td><td>${levelBadge(r.level)}</td><td class="num" data-label="score">${r.score.toFixed(3)}</td><td class="num" data-label="share">${r.share.toFixed(3)}</td><td>${r.words.map((w) => `<span class="chip">${escapeHtml(w)}</span>`).join(" ") || `<span class="muted">none</span>`}</td></tr>`;
    })
    .join("");
  const verdict = decided
    ? confidence === "closest"
      ? `The bot answers with <code>${escapeHtml(decided)}</code> as the closest guidance it has (confident enough for that, not for a direct answer), with the next best section as an alternative.`
      : `The bot answers with <code>${escapeHtml(decided)}</code>.`
    : "The bot answers “no guidance” (no section is confident enough, or no word supports it).";
  return `<p class="verdict">${verdict}</p><div class="table-wrap"><table class="ranked"><thead><tr><th></th><th>section</th><th>level</th><th>score</th><th>share</th><th>matched words</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** The knowledge gaps, as `em-focus gaps` lists them, each with a button to try it against the content. */
/** The most groups the Gaps tab draws; the rest are one command away. */
export const GAP_GROUPS_SHOWN = 100;

export function gapsHtml(groups: readonly GapGroup[], recording: boolean): string {
  if (groups.length === 0) {
    return `<p class="hint">No knowledge gaps in the last 30 days.${recording ? " Ask something the article does not cover and it appears here." : " Recording is off (RECORD_GAPS=off)."}</p>`;
  }
  const more =
    groups.length > GAP_GROUPS_SHOWN
      ? `<p class="hint">The ${GAP_GROUPS_SHOWN} largest of ${groups.length} groups; all of them: <code>npx em-focus gaps</code>.</p>`
      : "";
  return `${more}<ol class="gaps">${groups
    .slice(0, GAP_GROUPS_SHOWN)
    .map((g) => {
      const why = [
        g.offTopic ? `${g.offTopic}× no guidance` : "",
        g.notHelpful
          ? `${g.notHelpful}× 👎 on ${g.sections.map((s) => `<code>${escapeHtml(s)}</code>`).join(", ")}`
          : "",
      ]
        .filter(Boolean)
        .join(" · ");
      const variants = g.variants.length
        ? `<div class="muted">also: ${g.variants.map((v) => `“${escapeHtml(v.slice(0, 200))}”`).join(", ")}</div>`
        : "";
      return `<li class="gap card"><span class="gap-count">${g.count}</span><div class="gap-body"><div class="gap-question">${escapeHtml(g.question.slice(0, 400))}</div><div class="bk-context">${why} · last ${escapeHtml(g.lastAt.toISOString().slice(0, 16).replace("T", " "))} UTC</div>${variants}</div><button type="button" class="bk-button" data-try="${escapeHtml(g.question.slice(0, 2000))}">Try it</button></li>`;
    })
    .join("")}</ol>`;
}
