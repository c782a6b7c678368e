// The `nla` command line. Each sub-command lives in tools/commands/<name>.ts and registers itself.
// Exit codes: 0 success, 1 failure (bad input, failed check), 2 usage error.
import { Command, CommanderError } from 'commander';
import { isUserError } from '../compiler/common/errors.js';
import { registerValidate } from './commands/validate.js';
import { registerSimulate } from './commands/simulate.js';
import { registerCompile } from './commands/compile.js';
import { registerImageCommands } from './commands/image.js';
import { registerRun } from './commands/run.js';
import { registerEstimate } from './commands/estimate.js';
import { registerReport } from './commands/report.js';
import { registerSweep } from './commands/sweep.js';
import { registerTrain } from './commands/train.js';
import { registerResults } from './commands/results.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('nla')
    .description('Neuronal least-action networks: validate, simulate, compile, emulate, report.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });
  registerValidate(program);
  registerSimulate(program);
  registerCompile(program);
  registerImageCommands(program);
  registerRun(program);
  registerEstimate(program);
  registerReport(program);
  registerSweep(program);
  registerTrain(program);
  registerResults(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (isUserError(e)) {
      // `reported`: the command already printed the failure (e.g. as --json on stdout).
      if (!(e as { reported?: boolean }).reported) process.stderr.write(`nla: ${(e as Error).message}\n`);
      return 1;
    }
    process.stderr.write(`nla: internal error (a bug in nla, please report it):\n${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}

