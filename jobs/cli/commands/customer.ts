import type { Command } from 'commander';
import type { CliIO } from '../context.ts';

/** `cdw customer` — registered here; built by its issue. */
export function registerCustomer(_program: Command, _io: CliIO): void {
  // not built yet
}
