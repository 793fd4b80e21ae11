import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, readConfig } from "../config.js";
import { ContentError } from "../content/errors.js";
import { projectRoot } from "../project.js";
import { maskUrlCredentials } from "../url-credentials.js";
import { ask } from "./ask.js";
import { contentCheck } from "./content-check.js";
import { closestOption } from "./options.js";
import { COMMAND_USAGE, type CommandName, type Io, USAGE, UsageError } from "./usage.js";

const HELP = new Set(["--help", "-h"]);

/** The version in the project's package.json: the one that is running. */
function version(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot(), "package.json"), "utf8")) as { version?: unknown };
  return typeof pkg.version === "string" ? pkg.version : "unknown";
}

/** Runs one CLI command and returns its exit code; errors meant for people never become stack traces. */
export async function runCli(argv: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command && command in COMMAND_USAGE && rest.some((arg) => HELP.has(arg))) {
      io.stdout.write(`${COMMAND_USAGE[command as CommandName]}\n`);
      return 0;
    }
    switch (command) {
      case "--version":
      case "-V":
      case "version":
        io.stdout.write(`em-focus ${version()}\n`);
        return 0;
      case "ask":
        return await ask(rest, io, readConfig(env));
      case "content":
        if (rest[0] !== "check" || rest.length > 1)
          throw new UsageError('did you mean "em-focus content check"?', COMMAND_USAGE.content);
        return contentCheck(io, readConfig(env));
      case "gaps": {
        const { gapsCommand } = await import("./gaps.js");
        return await gapsCommand(rest, io, readConfig(env));
      }
      case "prompts": {
        const { runPromptsCommand } = await import("./prompts.js");
        return await runPromptsCommand(rest, io, readConfig(env));
      }
      case "keys": {
        const { keysCommand } = await import("./keys.js");
        return await keysCommand(rest, io, readConfig(env), env);
      }
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default: {
        const guess = command.startsWith("-") ? closestOption(command, ["help", "version"]) : null;
        throw new UsageError(
          command.startsWith("-")
            ? `unknown option "${command}"${guess ? `; did you mean ${guess}?` : ""}`
            : `unknown command "${command}"`,
        );
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`em-focus: ${error.message}\n\n${error.usage}\n`);
      return 2;
    }
    if (error instanceof ContentError || error instanceof ConfigError) {
      // Our own messages, which may quote a setting's value: URL credentials are masked.
      io.stderr.write(`em-focus: ${maskUrlCredentials(error.message)}\n`);
      return 1;
    }
    throw error;
  }
}
