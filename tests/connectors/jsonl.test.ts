import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { memoryWarehouse, tempDir } from '../helpers/warehouse.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { configIn, extractOnce, rejected, unitOf } from './helpers.ts';

let wh: Warehouse;
let tmp: { dir: string; cleanup: () => void };
beforeEach(async () => {
  wh = await memoryWarehouse();
  tmp = tempDir('cdw-jsonl-');
  mkdirSync(path.join(tmp.dir, 'cc'));
});
afterEach(() => {
  wh.close();
  tmp.cleanup();
});

const config = () =>
  configIn(
    tmp.dir,
    `
sources:
  - name: contact
    kind: jsonl
    connection: { dir: cc }
    tables:
      - name: calls
        entity: interaction
        path: "calls_*.jsonl"
        mapping: { record_key: id, phone: phone }
`,
  );

describe('jsonl connector', () => {
  it('lands a column per key (nested values as JSON, big integers exact), and new keys as new columns', async () => {
    const file = path.join(tmp.dir, 'cc', 'calls_1.jsonl');
    writeFileSync(
      file,
      '{"id": 1, "phone": "+7 900 000-00-01", "answered": true, "tags": ["a","b"], "ext": 12345678901234567890}\n\n{"id": 2, "phone": null}\n',
    );
    const s1 = await extractOnce(config(), wh);
    expect(unitOf(s1, 'contact.calls')).toMatchObject({
      status: 'succeeded',
      rowsIn: 2,
      rowsOut: 2,
      rowsRejected: 0,
    });
    appendFileSync(file, '{"id": 3, "phone": "x", "queue": "sales"}\n');
    const s2 = await extractOnce(config(), wh);
    expect(unitOf(s2, 'contact.calls')).toMatchObject({ rowsIn: 1, rowsOut: 1 });
    expect(
      await wh.all(
        'SELECT id, phone, answered, tags, ext, queue, _line FROM raw.contact__calls ORDER BY _line',
      ),
    ).toEqual([
      {
        id: '1',
        phone: '+7 900 000-00-01',
        answered: 'true',
        tags: '["a","b"]',
        ext: '12345678901234567890',
        queue: null,
        _line: 1,
      },
      { id: '2', phone: null, answered: null, tags: null, ext: null, queue: null, _line: 3 },
      { id: '3', phone: 'x', answered: null, tags: null, ext: null, queue: 'sales', _line: 4 },
    ]);
  });

  it('rejects invalid JSON, non-objects and invalid UTF-8 with file:line, and keeps the balance', async () => {
    writeFileSync(
      path.join(tmp.dir, 'cc', 'calls_1.jsonl'),
      Buffer.concat([
        Buffer.from('{"id": 1}\n{"id": 2,\n[1,2]\n'),
        Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d, 0x0a]),
        Buffer.from('{"id": 5}\n'),
      ]),
    );
    const s = await extractOnce(config(), wh);
    expect(unitOf(s, 'contact.calls')).toMatchObject({
      status: 'succeeded',
      rowsIn: 5,
      rowsOut: 2,
      rowsRejected: 3,
    });
    const r = await rejected(wh, 'contact', 'calls');
    expect(
      r.map(({ reason, raw, location }) => ({
        reason: reason.replace(/ at character \d+/, ''),
        raw,
        location,
      })),
    ).toEqual([
      { reason: 'invalid JSON', raw: '{"id": 2,', location: 'calls_1.jsonl:2' },
      {
        reason: 'not a JSON object (each line must be {…})',
        raw: '[1,2]',
        location: 'calls_1.jsonl:3',
      },
      {
        reason: 'invalid UTF-8 byte sequence (set encoding: if the file is not UTF-8)',
        raw: '{"id":"\\xFF"}',
        location: 'calls_1.jsonl:4',
      },
    ]);
  });
});
