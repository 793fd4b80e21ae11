/**
 * The Block Kit the bot sends, drawn as HTML for the playground: the same JSON, no second set of
 * views. Only the block and element types the app uses are drawn (section, context, actions,
 * header, divider; buttons; plain_text and mrkdwn); anything else is named, never guessed at.
 * Every character of text is HTML-escaped; links keep only http(s) and same-page addresses.
 */

/** Loosely typed: views are typed by Bolt; here every field is checked before it is used. */
type Json = { readonly [key: string]: unknown };

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** Slack's three entities back to characters (mrkdwn is written escaped). */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function safeHref(url: string): string | null {
  if (url.startsWith("#") || url.startsWith("/")) return url.startsWith("//") ? null : url;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Bold, italics, strike and code on already escaped text (the markers survive escaping). */
function emphasis(html: string): string {
  return html
    .replace(/`([^`\n]+)`/g, "<code>$1</code>")
    .replace(/(^|[\s(“"'])\*(?!\s)([^*\n]+?)\*(?=$|[\s).,:;!?”"'])/g, "$1<strong>$2</strong>")
    .replace(/(^|[\s(“"'])_(?!\s)([^_\n]+?)_(?=$|[\s).,:;!?”"'])/g, "$1<em>$2</em>")
    .replace(/(^|\s)~(?!\s)([^~\n]+?)~(?=$|\s)/g, "$1<s>$2</s>");
}

/** One `<…>` of mrkdwn: a link, a mention or a special mention, drawn inert. */
function special(inner: string): string {
  if (inner.startsWith("@"))
    return `<span class="mention">@${escapeHtml(inner.slice(1).split("|")[1] ?? "user")}</span>`;
  if (inner.startsWith("#"))
    return `<span class="mention">#${escapeHtml(inner.slice(1).split("|")[1] ?? "channel")}</span>`;
  if (inner.startsWith("!")) {
    const name = inner.slice(1).split(/[|^]/)[0] ?? "";
    return `<span class="mention">@${escapeHtml(name)}</span>`;
  }
  const bar = inner.indexOf("|");
  const url = unescapeSlack(bar === -1 ? inner : inner.slice(0, bar));
  const label = unescapeSlack(bar === -1 ? inner : inner.slice(bar + 1));
  const href = safeHref(url);
  if (!href) return escapeHtml(label);
  return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${escapeHtml(label)}</a>`;
}

/** Slack mrkdwn as HTML. */
export function mrkdwnToHtml(text: string): string {
  const out: string[] = [];
  const pattern = /<([^<>]*)>/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    out.push(emphasis(escapeHtml(unescapeSlack(text.slice(last, match.index)))));
    out.push(special(match[1] ?? ""));
    last = (match.index ?? 0) + match[0].length;
  }
  out.push(emphasis(escapeHtml(unescapeSlack(text.slice(last)))));
  return out.join("").replace(/\n/g, "<br>");
}

function textHtml(element: unknown): string {
  const el = (element ?? {}) as Json;
  if (el.type === "mrkdwn") return mrkdwnToHtml(str(el.text));
  return escapeHtml(str(el.text)).replace(/\n/g, "<br>");
}

function buttonHtml(element: Json, blockId: string): string {
  const style = element.style === "primary" || element.style === "danger" ? ` ${element.style}` : "";
  const confirm = element.confirm
    ? ` data-confirm="${escapeHtml(str((element.confirm as Json).title && ((element.confirm as Json).title as Json).text))}"`
    : "";
  return `<button type="button" class="bk-button${style}" data-action-id="${escapeHtml(str(element.action_id))}" data-block-id="${escapeHtml(blockId)}" data-value="${escapeHtml(str(element.value))}"${confirm}>${textHtml(element.text)}</button>`;
}

function blockHtml(block: Json): string {
  const blockId = str(block.block_id);
  switch (block.type) {
    case "header":
      return `<h2 class="bk-header">${textHtml(block.text)}</h2>`;
    case "divider":
      return `<hr class="bk-divider">`;
    case "section": {
      const fields = Array.isArray(block.fields)
        ? `<div class="bk-fields">${block.fields.map((f) => `<div>${textHtml(f)}</div>`).join("")}</div>`
        : "";
      const accessory =
        block.accessory && (block.accessory as Json).type === "button"
          ? `<div class="bk-accessory">${buttonHtml(block.accessory as Json, blockId)}</div>`
          : "";
      return `<div class="bk-section">${block.text ? `<div class="bk-text">${textHtml(block.text)}</div>` : ""}${fields}${accessory}</div>`;
    }
    case "context": {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      return `<div class="bk-context">${elements.map((e) => `<span>${textHtml(e)}</span>`).join("")}</div>`;
    }
    case "actions": {
      const elements = (Array.isArray(block.elements) ? block.elements : []) as Json[];
      return `<div class="bk-actions">${elements
        .map((e) =>
          e.type === "button"
            ? buttonHtml(e, blockId)
            : `<span class="bk-unknown">[${escapeHtml(str(e.type))}]</span>`,
        )
        .join("")}</div>`;
    }
    default:
      return `<div class="bk-unknown">[${escapeHtml(str(block.type))} block]</div>`;
  }
}

/** Blocks as HTML, in a message frame when `sender` is given (the bot's name, like Slack). */
export function blocksToHtml(
  blocks: readonly unknown[],
  options: { sender?: string; note?: string } = {},
): string {
  const body = blocks.map((b) => blockHtml((b ?? {}) as Json)).join("");
  if (!options.sender) return `<div class="bk-blocks">${body}</div>`;
  return `<div class="message"><div class="avatar" aria-hidden="true">em</div><div class="message-body"><div class="sender">${escapeHtml(options.sender)}${options.note ? ` <span class="note">${escapeHtml(options.note)}</span>` : ""}</div><div class="bk-blocks">${body}</div></div></div>`;
}
