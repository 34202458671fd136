import type { Command } from 'commander';
import type { CliIO } from '../context.ts';

/** `cdw serve` — registered here; built by its issue. */
export function registerServe(_program: Command, _io: CliIO): void {
  // not built yet
}
