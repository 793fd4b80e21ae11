import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config.js";
import { EXAMPLES_FILE } from "../content/examples.js";
import { PROMPTS_FOLDER } from "../content/load.js";
import { loadPrompts } from "../content/prompts.js";
import { contentAdvice } from "./content-advice.js";
import { openLibrary } from "./library.js";
import type { Io } from "./usage.js";

/**
 * `em-focus content check`: loads every content file (throwing ContentError), summarises them, and
 * warns about what would answer badly (content-advice.ts).
 */
export function contentCheck(io: Io, config: Config): number {
  const library = openLibrary(config);
  for (const article of library.articles) {
    const levels = article.sections.filter((s) => s.level).map((s) => `${s.level}=${s.id}`);
    io.stdout.write(
      `${article.file}: "${article.title}" (${article.slug}), ${article.sections.length} sections; levels: ${levels.join(", ") || "none"}\n`,
    );
    for (const section of article.sections) {
      io.stdout.write(
        `  #${section.id}  ${section.heading}${section.role === "overview" ? " (overview)" : ""}${section.aliases.length ? ` [${section.aliases.length} aliases]` : ""}\n`,
      );
    }
    const suggested = article.suggestedPrompts ?? [];
    if (suggested.length > 0) {
      io.stdout.write(`  suggested prompts: ${suggested.map((p) => `"${p.title}"`).join(", ")}\n`);
    }
  }
  const promptsDir = join(config.contentDir, PROMPTS_FOLDER);
  if (existsSync(promptsDir)) {
    const prompts = loadPrompts(promptsDir);
    const byLevel = prompts.reduce<Record<string, number>>((counts, p) => {
      counts[p.level ?? "general"] = (counts[p.level ?? "general"] ?? 0) + 1;
      return counts;
    }, {});
    io.stdout.write(
      `${PROMPTS_FOLDER}/: ${prompts.length} reflection prompts (${Object.entries(byLevel)
        .map(([level, n]) => `${level} ${n}`)
        .join(", ")})\n`,
    );
  }
  if (library.examples.length > 0) {
    const bySection = new Map<string, number>();
    for (const { section } of library.examples) {
      const key = section?.split("#")[1] ?? "no guidance";
      bySection.set(key, (bySection.get(key) ?? 0) + 1);
    }
    io.stdout.write(
      `${EXAMPLES_FILE}: ${library.examples.length} labelled questions (${[...bySection]
        .map(([section, n]) => `${section} ${n}`)
        .join(", ")})\n`,
    );
  }
  // Loads fine but would answer badly: said with what to do, and not a failure.
  const advice = contentAdvice(library);
  for (const { file, message } of advice) io.stdout.write(`warning: ${file}: ${message}\n`);
  io.stdout.write(
    `ok: ${library.articles.length} article(s), ${library.sections.length} sections${advice.length > 0 ? `; ${advice.length} warning(s) above` : ""}\n`,
  );
  return 0;
}
