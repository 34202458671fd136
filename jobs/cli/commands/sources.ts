import type { Command } from 'commander';
import type { CliIO } from '../context.ts';

/** `cdw sources` — registered here; built by its issue. */
export function registerSources(_program: Command, _io: CliIO): void {
  // not built yet
}
