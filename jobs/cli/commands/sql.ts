import type { Command } from 'commander';
import type { CliIO } from '../context.ts';

/** `cdw sql` — registered here; built by its issue. */
export function registerSql(_program: Command, _io: CliIO): void {
  // not built yet
}
