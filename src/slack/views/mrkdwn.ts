/**
 * Slack's mrkdwn has exactly three control characters. Escaping them neutralises every special
 * sequence (`<!channel>`, `<!here>`, `<@U…>`, `<!subteam^…>`, links), so echoed text can never ping.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Cuts text to `max` characters on a word boundary, marking the cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  // Never split an emoji (or any surrogate pair) in half.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.lastIndexOf(" ");
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/** Article Markdown (trusted content) as Slack mrkdwn: bold, italics, links and lists. */
export function markdownToMrkdwn(markdown: string): string {
  const links: string[] = [];
  const text = escapeMrkdwn(
    markdown
      // Links are set aside first so their URLs are not touched by the emphasis rules.
      .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, label: string, url: string) => {
        links.push(
          `<${url.replace(/[<>|]/g, encodeURIComponent)}|${escapeMrkdwn(label.replace(/[*_]/g, ""))}>`,
        );
        return `\uE000${links.length - 1}\uE000`;
      }),
  )
    .replace(/^#{1,6}\s+(.*)$/gm, "*$1*")
    .replace(/^(\s*)[-*+]\s+/gm, "$1• ")
    .replace(/\*\*(.+?)\*\*/g, "\uE001$1\uE001")
    .replace(/(^|[^\w])\*(?!\s)(.+?)\*(?!\w)/g, "$1_$2_")
    .replace(/__(.+?)__/g, "\uE001$1\uE001")
    .replace(/\uE001/g, "*");
  return text.replace(/\uE000(\d+)\uE000/g, (_, index: string) => links[Number(index)] ?? "");
}
