import type { Command } from 'commander';
import type { CliIO } from '../context.ts';

// Placeholder until the demo generator lands (jobs/demo/).
export function registerDemo(program: Command, io: CliIO): void {
  program
    .command('demo')
    .description('generate a demo company and run the nightly job on it')
    .action(() => {
      io.err.write('demo generator not built yet\n');
      io.exitCode = 1;
    });
}
