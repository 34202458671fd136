import type { Command } from 'commander';
import type { CliIO } from '../context.ts';

/** `cdw identity` — registered here; built by its issue. */
export function registerIdentity(_program: Command, _io: CliIO): void {
  // not built yet
}
