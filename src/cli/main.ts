// The `suspect` command line. Each area registers its own subcommands from its own file.

import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { registerCheck } from './check.js';
import { registerContacts } from './contacts.js';
import { registerExchange } from './exchange.js';
import { EXIT } from './exit-codes.js';
import { registerHistory } from './history.js';
import { registerIntel } from './intel.js';
import { registerScams } from './scams.js';
import { registerTrain } from './train.js';
import { registerUrl } from './url.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('suspect')
    .description(
      'Checks emails for scams and Exchange servers for exposure, in plain words and with evidence.',
    )
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  registerCheck(program);
  registerHistory(program);
  registerUrl(program);
  registerIntel(program);
  registerTrain(program);
  registerScams(program);
  registerContacts(program);
  registerExchange(program);
  return program;
}

/** Runs the CLI and resolves to the process exit code (see exit-codes.ts). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  let code: number = EXIT.OK;
  program.hook('postAction', (_cmd, action) => {
    const c = action.getOptionValue('__exitCode');
    if (typeof c === 'number') code = c;
  });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end with exitCode 0; usage errors with 1, which we map to EXIT.USAGE.
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    process.stderr.write(`suspect: ${(err as Error)?.message ?? String(err)}\n`);
    return EXIT.ERROR;
  }
}
