import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { memoryWarehouse, tempDir } from '../helpers/warehouse.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { configIn, extractOnce, rawRows, unitOf } from './helpers.ts';

let wh: Warehouse;
let tmp: { dir: string; cleanup: () => void };
beforeEach(async () => {
  wh = await memoryWarehouse();
  tmp = tempDir('cdw-dialect-');
  mkdirSync(path.join(tmp.dir, 'in'));
});
afterEach(() => {
  wh.close();
  tmp.cleanup();
});

const config = (table: string) =>
  configIn(
    tmp.dir,
    `
sources:
  - name: cc
    kind: csv
    connection: { dir: in }
    tables:
      - name: calls
        entity: interaction
        mapping: { record_key: id }
${table}
`,
  );

describe('csv dialects', () => {
  it('reads tab-separated files without quoting, where quotes are plain characters', async () => {
    writeFileSync(
      path.join(tmp.dir, 'in', 'calls.tsv'),
      'id\tnote\r\n1\tsaid "hi", then left\r\n2\t\r\n',
    );
    const s = await extractOnce(
      config('        path: calls.tsv\n        delimiter: "\\t"\n        quote: ""'),
      wh,
    );
    expect(unitOf(s, 'cc.calls')).toMatchObject({ rowsIn: 2, rowsOut: 2, rowsRejected: 0 });
    expect(await rawRows(wh, 'cc__calls', ['id', 'note'])).toEqual([
      { id: '1', note: 'said "hi", then left' },
      { id: '2', note: null },
    ]);
  });

  it('reads backslash-escaped quotes, blank and repeated header names', async () => {
    writeFileSync(path.join(tmp.dir, 'in', 'calls.csv'), 'id,Note,note,\n1,"a \\"b\\"",x,y\n');
    const s = await extractOnce(config('        path: calls.csv\n        escape: "\\\\"'), wh);
    expect(unitOf(s, 'cc.calls')).toMatchObject({ rowsIn: 1, rowsOut: 1, rowsRejected: 0 });
    expect(await rawRows(wh, 'cc__calls', ['id', 'Note', 'note_2', 'column_4'])).toEqual([
      { id: '1', Note: 'a "b"', note_2: 'x', column_4: 'y' },
    ]);
  });

  it('a header with a name cdw uses itself fails the table with what to do', async () => {
    writeFileSync(path.join(tmp.dir, 'in', 'calls.csv'), 'id,_loaded_at\n1,x\n');
    const s = await extractOnce(config('        path: calls.csv'), wh);
    expect(unitOf(s, 'cc.calls').error).toBe(
      'source cc table calls: calls.csv has a column named _loaded_at, which cdw adds itself; rename it in the file or list columns: with header: false',
    );
  });
});
