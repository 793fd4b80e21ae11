import { SUGGESTED_PROMPT_LIMITS, type SuggestedPrompt } from "./suggested-prompts.js";
import type { Article } from "./types.js";

/**
 * What the bot says about its library as a whole (issue 18, item 7): the greeting, help and "no
 * guidance" replies are written over every article, each described by its own front matter
 * (`title`, `about`, `suggested_prompts`), so no article's words live in code. Plain text; views
 * escape it for Slack.
 */

/** "“Title” — about", or the title alone when the article says nothing about itself. */
export function articleAbout(article: Pick<Article, "title" | "about">): string {
  return article.about ? `“${article.title}” — ${article.about}` : `“${article.title}”`;
}

/**
 * The suggested prompts of the whole library, round-robin over articles (each article's first, then
 * each one's second, …) so every article is offered, at most `limit` (Slack shows four).
 */
export function suggestedAcross(
  articles: readonly Pick<Article, "suggestedPrompts">[],
  limit: number = SUGGESTED_PROMPT_LIMITS.count,
): SuggestedPrompt[] {
  const chosen: SuggestedPrompt[] = [];
  const longest = Math.max(0, ...articles.map((a) => a.suggestedPrompts?.length ?? 0));
  for (let round = 0; round < longest && chosen.length < limit; round++) {
    for (const article of articles) {
      const prompt = article.suggestedPrompts?.[round];
      if (prompt && chosen.length < limit) chosen.push({ title: prompt.title, message: prompt.message });
    }
  }
  return chosen;
}

/** A question to show in usage lines: the library's first suggested prompt, or a neutral placeholder. */
export function exampleQuestion(articles: readonly Pick<Article, "suggestedPrompts">[]): string {
  return suggestedAcross(articles, 1)[0]?.message ?? "your question";
}

/** The "no guidance" sentence of `em-focus ask`: what the library covers instead. */
export function noGuidanceText(articles: readonly Pick<Article, "title" | "about">[]): string {
  if (articles.length === 1 && articles[0]) {
    const only = articles[0];
    return `The article has no guidance on that. It is ${articleAbout(only)}.`;
  }
  return `The articles have no guidance on that. They are:\n${articles.map((a) => `- ${articleAbout(a)}`).join("\n")}`;
}
