import type { Command } from 'commander';
import type { CliIO } from '../context.ts';

/** `cdw report` — registered here; built by its issue. */
export function registerReport(_program: Command, _io: CliIO): void {
  // not built yet
}
