import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { CsvFile } from './csv-text.ts';
import { Outputs } from './outputs.ts';
import type { RowWriter, TableSink, TableSpec } from './table-spec.ts';

/**
 * Nightly CSV extracts of a database-shaped system: `<system>/<table>_<date>.csv` holds the
 * rows created or changed that day (the first night: everything so far), UTF-8 with a header
 * (and a byte-order mark for systems that export like Excel).
 */
export class CsvTableSink implements TableSink {
  readonly storage = 'files' as const;
  private outputs = new Outputs();

  constructor(
    private readonly dir: string,
    private readonly opts: { bom?: boolean } = {},
  ) {}

  location(spec: TableSpec, date: string): string {
    return `${spec.system}/${spec.name}_${date}.csv`;
  }

  open(spec: TableSpec, date: string): RowWriter {
    const rel = this.location(spec, date);
    mkdirSync(path.dirname(path.join(this.dir, rel)), { recursive: true });
    return this.outputs.add(new CsvFile(path.join(this.dir, rel), spec.columns.map((c) => c.name), { bom: this.opts.bom, plain: spec.columns.map((c) => c.type !== 'text') }));
  }

  drain(): Promise<void> {
    return this.outputs.drain();
  }

  async endNight(): Promise<void> {
    await this.outputs.close();
    this.outputs = new Outputs();
  }

  close(): Promise<void> {
    return this.endNight();
  }
}
