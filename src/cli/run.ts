import { ConfigError, readConfig } from "../config.js";
import { ContentError } from "../content/errors.js";
import { maskUrlCredentials } from "../url-credentials.js";
import { ask } from "./ask.js";
import { contentCheck } from "./content-check.js";
import { COMMAND_USAGE, type CommandName, type Io, USAGE, UsageError } from "./usage.js";

const HELP = new Set(["--help", "-h"]);

/** Runs one CLI command and returns its exit code; errors meant for people never become stack traces. */
export async function runCli(argv: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command && command in COMMAND_USAGE && rest.some((arg) => HELP.has(arg))) {
      io.stdout.write(`${COMMAND_USAGE[command as CommandName]}\n`);
      return 0;
    }
    switch (command) {
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
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
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
