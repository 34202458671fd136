import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvRowChunks, ROW_CSV } from '../../connectors/core/csv-chunks.ts';
import { readCsvCall } from '../../connectors/core/read-csv-sql.ts';
import { memoryWarehouse, tempDir } from '../helpers/warehouse.ts';

describe('CsvRowChunks', () => {
  const tmp = tempDir('cdw-conn-chunks-');

  it('writes rows DuckDB reads back exactly: separators, quotes, line breaks, commas, empty text apart from NULL', async () => {
    const rows: (string | null)[][] = [
      ['1', 'plain', 'street 1, town'],
      ['2', '', null],
      ['3', 'say "hi"', 'a\x1fb'],
      ['4', 'two\nlines', 'cr\r\nlf'],
      ['5', null, ''],
      ['6', ',', '"'],
    ];
    let n = 0;
    const out = new CsvRowChunks(() => path.join(tmp.dir, `rows-${++n}.csv`), 4, [
      true,
      false,
      false,
    ]);
    const files: string[] = [];
    for (const r of rows) {
      if (out.push(r)) {
        const f = await out.drain();
        if (f !== undefined) files.push(f);
      }
    }
    const last = await out.finish();
    if (last !== undefined) files.push(last);
    expect(files).toHaveLength(2);
    const wh = await memoryWarehouse();
    const columns = ['id', 'a', 'b'].map((name) => ({ name, type: 'VARCHAR' }));
    const back: unknown[][] = [];
    for (const f of files) {
      const call = readCsvCall(
        { columns, skipLines: 0, header: false, dialect: ROW_CSV },
        { table: 'rj', scan: 'rs' },
      );
      const got = await wh.all<{ id: string; a: string | null; b: string | null }>(
        `SELECT id, a, b FROM ${call}`,
        [f],
      );
      back.push(...got.map((g) => [g.id, g.a, g.b]));
      expect(Number(await wh.scalar('SELECT count(*) FROM rj'))).toBe(0);
    }
    expect(back).toEqual(rows);
    tmp.cleanup();
  });
});
