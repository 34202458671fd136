import type { Command } from 'commander';
import type { CliIO } from '../context.ts';

/** `cdw user` — registered here; built by its issue. */
export function registerUser(_program: Command, _io: CliIO): void {
  // not built yet
}
