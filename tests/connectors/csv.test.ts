import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync, mkdirSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { memoryWarehouse, tempDir } from '../helpers/warehouse.ts';
import type { Warehouse } from '../../warehouse/duckdb-client.ts';
import { configIn, extractOnce, rawRows, rejected, unitOf } from './helpers.ts';

let wh: Warehouse;
let tmp: { dir: string; cleanup: () => void };
beforeEach(async () => {
  wh = await memoryWarehouse();
  tmp = tempDir('cdw-csv-');
  mkdirSync(path.join(tmp.dir, 'in'));
});
afterEach(() => {
  wh.close();
  tmp.cleanup();
});

const yaml = (table: string) => `
sources:
  - name: pos
    kind: csv
    connection: { dir: in }
    tables:
      - name: sales
        entity: transaction
        mapping: { record_key: id }
${table}
`;

describe('csv connector', () => {
  it('lands every row of a new file as VARCHAR with load columns, and nothing on a rerun', async () => {
    writeFileSync(path.join(tmp.dir, 'in', 'sales_1.csv'), 'id,name,amount\n1,Ann,10\n2,"Bo, b",\n3,"",7\n');
    const config = configIn(tmp.dir, yaml('        path: "sales_*.csv"'));
    const s1 = await extractOnce(config, wh);
    expect(s1.status).toBe('succeeded');
    expect(unitOf(s1, 'pos.sales')).toMatchObject({ status: 'succeeded', rowsIn: 3, rowsOut: 3, rowsRejected: 0 });
    expect(await rawRows(wh, 'pos__sales', ['id', 'name', 'amount', '_file', '_deleted'])).toEqual([
      { id: '1', name: 'Ann', amount: '10', _file: 'sales_1.csv', _deleted: false },
      { id: '2', name: 'Bo, b', amount: null, _file: 'sales_1.csv', _deleted: false },
      { id: '3', name: '', amount: '7', _file: 'sales_1.csv', _deleted: false },
    ]);
    const s2 = await extractOnce(config, wh);
    expect(unitOf(s2, 'pos.sales')).toMatchObject({ status: 'succeeded', rowsIn: 0, rowsOut: 0, rowsRejected: 0 });
    expect(await wh.scalar('SELECT count(*) FROM raw.pos__sales')).toBe(3);
  });
});
