import { describe, expect, it } from "vitest";
import { loadLibrary } from "../src/content/load.js";
import { answerQuestion } from "../src/match/answer.js";
import { Matcher } from "../src/match/matcher.js";
import { blocksToHtml, mrkdwnToHtml } from "../src/playground/blockkit-html.js";
import { homeView } from "../src/slack/views/home.js";
import { replyView } from "../src/slack/views/overview.js";

describe("Block Kit as HTML", () => {
  it("draws mrkdwn emphasis, links and line breaks", () => {
    expect(mrkdwnToHtml("*Narrow* · _fine_ `code`\nnext")).toBe(
      "<strong>Narrow</strong> · <em>fine</em> <code>code</code><br>next",
    );
    expect(mrkdwnToHtml("<https://example.com/a?b=1&amp;c=2|Read it>")).toBe(
      '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">Read it</a>',
    );
  });

  it("keeps markup, mentions and hostile links inert", () => {
    const html = mrkdwnToHtml(
      '&lt;script&gt;alert(1)&lt;/script&gt; <!channel> <@U123> <javascript:alert(1)|click> "q"',
    );
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain('<span class="mention">@channel</span>');
    expect(html).toContain('<span class="mention">@user</span>');
    expect(html).not.toContain("javascript:");
    expect(html).toContain("&quot;q&quot;");
    // A raw < in text (not Slack-escaped) cannot open a tag either.
    expect(mrkdwnToHtml("a <img src=x onerror=alert(1)> b")).not.toMatch(/<img/);
    expect(blocksToHtml([{ type: "section", text: { type: "plain_text", text: "<b>x</b> 🎉" } }])).toContain(
      "&lt;b&gt;x&lt;/b&gt; 🎉",
    );
  });

  it("draws every block and element the app's answer and Home views use, with working buttons", () => {
    const library = loadLibrary("content");
    const matcher = new Matcher(library);
    const view = replyView(library, answerQuestion(matcher, "I miss coding, should I go back?"), {
      buttons: true,
    });
    const html = blocksToHtml(view.blocks, { sender: "em-focus" });
    expect(html).not.toContain("bk-unknown");
    expect(html).toContain('data-action-id="answer_other_levels"');
    expect(html).toContain('data-action-id="answer_helpful"');
    expect(html).toContain("IC focus");
    const home = blocksToHtml(homeView(library, undefined, null).blocks);
    expect(home).toContain('<h2 class="bk-header">');
    expect(home).toContain('<hr class="bk-divider">');
    expect(home).not.toContain("bk-unknown");
  });
});
