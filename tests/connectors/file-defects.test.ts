import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { memoryWarehouse, tempDir } from '../helpers/warehouse.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { runPipeline } from '../../jobs/pipeline.ts';
import { extractStep } from '../../connectors/extract-step.ts';
import { transformStep } from '../../transforms/transform-step.ts';
import { exitCodeFor } from '../../jobs/cli/commands/run.ts';
import { silentLogger } from '../../foundation/logger.ts';
import {
  configIn,
  extractOnce,
  lastLoad,
  rawRows,
  rejected,
  splitRows,
  unitOf,
} from './helpers.ts';

// Issue 16: files that change under cdw, each with the input the issue reproduced it with.

let wh: Warehouse;
let tmp: { dir: string; cleanup: () => void };
const inDir = (name: string) => path.join(tmp.dir, 'in', name);
beforeEach(async () => {
  wh = await memoryWarehouse();
  tmp = tempDir('cdw-files-');
  mkdirSync(path.join(tmp.dir, 'in'));
});
afterEach(() => {
  wh.close();
  tmp.cleanup();
});

const MB10 = 10 * 1024 * 1024;
const LIMIT = 2 * 1024 * 1024;
/** A file last written an hour ago: its last line, with or without a newline, is final. */
const settle = (file: string) => {
  const t = new Date(Date.now() - 3600_000);
  utimesSync(file, t, t);
};

const csv = (table: string, extra = '') => `
sources:
  - name: pos
    kind: csv
    connection: { dir: in }
    tables:
      - name: ${table}
        entity: transaction
        path: "${table}*.csv"
        mapping: { record_key: id }
${extra}`;

const jsonl = `
sources:
  - name: contact
    kind: jsonl
    connection: { dir: in }
    tables:
      - name: calls
        entity: interaction
        path: "calls*.jsonl"
        mapping: { record_key: id }
`;

const weblog = `
sources:
  - name: web
    kind: weblog
    connection: { dir: in }
    tables:
      - name: access
        entity: web_hit
        path: "access.log*"
        mapping: { record_key: hit_key, occurred_at: ts, url: url }
`;

/** landed + rejected = read, in the load ledger and in the unit. */
async function balanced(source: string, table: string): Promise<void> {
  const l = await lastLoad(wh, source, table);
  expect(l.rows_read).toBe(l.rows_landed + l.rows_skipped + l.rows_rejected);
}

describe('defect 2: a record of 10 MB', () => {
  it('a CSV row with a 10 MB field is rejected with its file:line; the other four land (read 5)', async () => {
    const big = 'x'.repeat(MB10);
    writeFileSync(inDir('sales.csv'), `id,note\n1,a\n2,b\n3,${big}\n4,d\n5,e\n`);
    settle(inDir('sales.csv'));
    const s = await extractOnce(configIn(tmp.dir, csv('sales')), wh);
    expect(unitOf(s, 'pos.sales')).toMatchObject({ rowsIn: 5, rowsOut: 4, rowsRejected: 1 });
    await balanced('pos', 'sales');
    const r = await rejected(wh, 'pos', 'sales');
    expect(r.map((x) => [x.location, x.reason])).toEqual([
      [
        'sales.csv:4',
        `record longer than ${LIMIT} bytes, the largest cdw lands (${MB10 + 2} bytes)`,
      ],
    ]);
    expect(r[0]!.raw!.startsWith('3,xxx')).toBe(true);
    expect(r[0]!.raw!.length).toBe(64 * 1024 + 1);
    expect((await rawRows(wh, 'pos__sales', ['id'])).map((x) => x.id)).toEqual([
      '1',
      '2',
      '4',
      '5',
    ]);
  });

  it('a JSON line with a 10 MB field is rejected with its file:line; the other four land', async () => {
    const lines = [1, 2, 3, 4, 5].map((i) =>
      JSON.stringify({ id: i, note: i === 3 ? 'y'.repeat(MB10) : 'n' }),
    );
    writeFileSync(inDir('calls.jsonl'), `${lines.join('\n')}\n`);
    const s = await extractOnce(configIn(tmp.dir, jsonl), wh);
    expect(unitOf(s, 'contact.calls')).toMatchObject({ rowsIn: 5, rowsOut: 4, rowsRejected: 1 });
    await balanced('contact', 'calls');
    expect((await rejected(wh, 'contact', 'calls')).map((x) => [x.location, x.reason])).toEqual([
      [
        'calls.jsonl:3',
        `record longer than ${LIMIT} bytes, the largest cdw lands (${lines[2]!.length} bytes)`,
      ],
    ]);
  });
});

describe('defect 3: a CSV edited in place', () => {
  it('a same-size edit outside the first line and the last 4 KiB is read again; the key lands only the changed row', async () => {
    const rows = Array.from(
      { length: 300 },
      (_, i) => `${i + 1},name${String(i + 1).padStart(4, '0')},10.00`,
    );
    const file = inDir('sales.csv');
    writeFileSync(file, `id,name,amount\n${rows.join('\n')}\n`);
    settle(file);
    const config = configIn(tmp.dir, csv('sales', '        primary_key: id\n'));
    await extractOnce(config, wh);
    const text = readFileSync(file, 'utf8');
    const edited = text.replace('50,name0050,10.00', '50,name0050,99.00');
    expect(edited.length).toBe(text.length);
    expect(text.length - text.indexOf('50,name0050')).toBeGreaterThan(4096);
    writeFileSync(file, edited);
    const t = new Date(Date.now() - 1800_000);
    utimesSync(file, t, t);
    const s = await extractOnce(config, wh);
    expect(unitOf(s, 'pos.sales')).toMatchObject({ rowsIn: 1, rowsOut: 1, rowsRejected: 0 });
    await balanced('pos', 'sales');
    expect(
      await wh.all(`SELECT id, amount FROM raw.pos__sales WHERE id = '50' ORDER BY _loaded_at`),
    ).toEqual([
      { id: '50', amount: '10.00' },
      { id: '50', amount: '99.00' },
    ]);
  });
});

describe('defect 4: a file read while its writer still appends', () => {
  it("a CSV's cut last line waits for the next run and then lands whole; nothing rejected", async () => {
    const file = inDir('sales.csv');
    writeFileSync(file, 'id,name\n1,Ann\n2,Bo\n3,Ca');
    const s1 = await extractOnce(configIn(tmp.dir, csv('sales')), wh);
    expect(unitOf(s1, 'pos.sales')).toMatchObject({ rowsIn: 2, rowsOut: 2, rowsRejected: 0 });
    appendFileSync(file, 'rl\n');
    const s2 = await extractOnce(configIn(tmp.dir, csv('sales')), wh);
    expect(unitOf(s2, 'pos.sales')).toMatchObject({ rowsIn: 1, rowsOut: 1, rowsRejected: 0 });
    await balanced('pos', 'sales');
    expect(await rawRows(wh, 'pos__sales', ['id', 'name'])).toEqual([
      { id: '1', name: 'Ann' },
      { id: '2', name: 'Bo' },
      { id: '3', name: 'Carl' },
    ]);
    expect(await rejected(wh, 'pos', 'sales')).toEqual([]);
  });

  it('a last line without its newline is final once the file stops changing: read the next run, once', async () => {
    const file = inDir('calls.jsonl');
    writeFileSync(file, '{"id":1}\n{"id":2}');
    const s1 = await extractOnce(configIn(tmp.dir, jsonl), wh);
    expect(unitOf(s1, 'contact.calls')).toMatchObject({ rowsIn: 1, rowsOut: 1 });
    const s2 = await extractOnce(configIn(tmp.dir, jsonl), wh);
    expect(unitOf(s2, 'contact.calls')).toMatchObject({ rowsIn: 1, rowsOut: 1 });
    const s3 = await extractOnce(configIn(tmp.dir, jsonl), wh);
    expect(unitOf(s3, 'contact.calls')).toMatchObject({ rowsIn: 0, rowsOut: 0 });
    expect(await rawRows(wh, 'contact__calls', ['id', '_line'])).toEqual([
      { id: '1', _line: 1 },
      { id: '2', _line: 2 },
    ]);
  });
});

describe('defect 5: numbers beyond a double', () => {
  it('land as written in a JSON line (not as ±Infinity), so the transform can refuse them', async () => {
    writeFileSync(inDir('calls.jsonl'), '{"id":1,"amount":-1e400}\n{"id":2,"amount":1.79e309}\n');
    await extractOnce(configIn(tmp.dir, jsonl), wh);
    expect(await rawRows(wh, 'contact__calls', ['id', 'amount'])).toEqual([
      { id: '1', amount: '-1e400' },
      { id: '2', amount: '1.79e309' },
    ]);
  });
});

describe('defect 7: one bad file', () => {
  it('a 10 MB web-log line is rejected with its file:line (no stack overflow); a 1.5 MB one lands', async () => {
    const line = (url: string, ua = 'Mozilla/5.0') =>
      `10.0.0.1 - - [10/Oct/2024:13:55:36 +0000] "GET ${url} HTTP/1.1" 200 512 "-" "${ua}"`;
    const longUa = `Agent \\"quoted\\" ${'z'.repeat(1536 * 1024)}`;
    writeFileSync(
      inDir('access.log'),
      `${line('/a')}\n${line(`/${'p'.repeat(MB10)}`)}\n${line('/c', longUa)}\n`,
    );
    const config = configIn(tmp.dir, weblog);
    const s = await extractOnce(config, wh);
    expect(unitOf(s, 'web.access')).toMatchObject({
      status: 'succeeded',
      rowsIn: 3,
      rowsOut: 2,
      rowsRejected: 1,
    });
    await balanced('web', 'access');
    const r = await rejected(wh, 'web', 'access');
    expect(r.map((x) => x.location)).toEqual(['access.log:2']);
    expect(r[0]!.reason).toMatch(/^record longer than 2097152 bytes, the largest cdw lands/);
    expect(
      await splitRows(wh, config, 'web.access', 'url, length(http_user_agent) AS ua, _reject'),
    ).toEqual([
      { url: '/a', ua: 11, _reject: null },
      { url: '/c', ua: longUa.length, _reject: null },
    ]);
  });

  it('a binary CSV fails only its own table, saying what it is and what to do; the run is partial', async () => {
    writeFileSync(inDir('sales.csv'), 'id,note\n1,ok\n');
    writeFileSync(
      inDir('returns.csv'),
      Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x0a, 0x41]),
    );
    const config = configIn(
      tmp.dir,
      `${csv('sales')}      - { name: returns, entity: transaction, path: "returns*.csv", mapping: { record_key: id } }\n`,
    );
    const s = await extractOnce(config, wh);
    expect(s.status).toBe('partial');
    expect(exitCodeFor(s)).toBe(2);
    expect(unitOf(s, 'pos.sales')).toMatchObject({ status: 'succeeded', rowsOut: 1 });
    expect(unitOf(s, 'pos.returns')).toMatchObject({
      status: 'failed',
      error:
        "source pos table returns: returns.csv holds binary data (a NUL byte at byte 3), not CSV text; remove it from the folder or narrow the table's path — nothing of this load landed",
    });
  });
});

describe('defect 8: an empty, blank or binary first file', () => {
  const twoTables = (second: string) => `
sources:
  - name: pos
    kind: csv
    connection: { dir: in }
    tables:
      - { name: sales, entity: transaction, path: "sales*.csv", mapping: { record_key: id, amount: amount, occurred_at: at } }
${second}`;

  it.each([
    [
      'an empty CSV',
      'leads.csv',
      '',
      '      - { name: leads, entity: party, path: "leads*.csv", mapping: { record_key: id } }',
    ],
    [
      'a CSV of blank lines',
      'leads.csv',
      '\n\n\n',
      '      - { name: leads, entity: party, path: "leads*.csv", mapping: { record_key: id } }',
    ],
  ])(
    '%s warns and leaves no columns; the transform skips that table with a warning and stages the rest (exit 2)',
    async (_what, name, content, table) => {
      writeFileSync(inDir('sales.csv'), 'id,amount,at\n1,10.5,2024-01-01T10:00:00Z\n');
      writeFileSync(inDir(name), content);
      const config = configIn(tmp.dir, twoTables(table));
      const s = await runPipeline(config, {
        trigger: 'test',
        logger: silentLogger,
        steps: [extractStep, transformStep],
        warehouse: wh,
      });
      expect(s.status).toBe('partial');
      expect(exitCodeFor(s)).toBe(2);
      const extract = s.steps.find((x) => x.step === 'extract' && x.source === 'pos.leads');
      expect(extract).toMatchObject({
        status: 'warning',
        error: `${name} is empty (no header, no rows); nothing read from it — check the export that writes it`,
      });
      const transform = s.steps.filter((x) => x.step === 'transform');
      expect(transform.find((x) => x.source === '')?.status).toBe('succeeded');
      expect(transform.find((x) => x.source === 'pos.sales')).toMatchObject({
        status: 'succeeded',
        rowsOut: 1,
      });
      expect(transform.find((x) => x.source === 'pos.leads')).toMatchObject({
        status: 'warning',
        error: 'raw.pos__leads does not exist yet (nothing landed); staged no rows',
      });
      expect(await wh.scalar('SELECT count(*) FROM staging.transactions')).toBe(1);
    },
  );

  it('a JSON lines file of blank lines leaves a raw table without source columns; the transform skips it', async () => {
    writeFileSync(inDir('sales.csv'), 'id,amount,at\n1,10.5,2024-01-01T10:00:00Z\n');
    writeFileSync(inDir('calls.jsonl'), '\n\n');
    const config = configIn(
      tmp.dir,
      `${twoTables('')}  - name: contact
    kind: jsonl
    connection: { dir: in }
    tables:
      - { name: calls, entity: interaction, path: "calls*.jsonl", mapping: { record_key: id } }
`,
    );
    const s = await runPipeline(config, {
      trigger: 'test',
      logger: silentLogger,
      steps: [extractStep, transformStep],
      warehouse: wh,
    });
    expect(s.status).toBe('partial');
    expect(s.steps.find((x) => x.step === 'transform' && x.source === '')?.status).toBe(
      'succeeded',
    );
    expect(
      s.steps.find((x) => x.step === 'transform' && x.source === 'contact.calls'),
    ).toMatchObject({ status: 'warning', rowsIn: 0 });
    expect(await wh.scalar('SELECT count(*) FROM staging.transactions')).toBe(1);
  });

  it('a binary first file fails its extract; the transform still stages the other tables', async () => {
    writeFileSync(inDir('sales.csv'), 'id,amount,at\n1,10.5,2024-01-01T10:00:00Z\n');
    writeFileSync(inDir('leads.csv'), Buffer.from('PK\x03\x04\x00\x00binary', 'latin1'));
    const config = configIn(
      tmp.dir,
      twoTables(
        '      - { name: leads, entity: party, path: "leads*.csv", mapping: { record_key: id } }',
      ),
    );
    const s = await runPipeline(config, {
      trigger: 'test',
      logger: silentLogger,
      steps: [extractStep, transformStep],
      warehouse: wh,
    });
    expect(s.status).toBe('partial');
    expect(s.steps.find((x) => x.step === 'extract' && x.source === 'pos.leads')?.status).toBe(
      'failed',
    );
    expect(s.steps.find((x) => x.step === 'transform' && x.source === '')?.status).toBe(
      'succeeded',
    );
    expect(await wh.scalar('SELECT count(*) FROM staging.transactions')).toBe(1);
  });
});

describe('defect 9: a UTF-8 byte order mark', () => {
  it('costs a JSON lines file nothing: its first row lands', async () => {
    writeFileSync(inDir('calls.jsonl'), '\ufeff{"id":1}\n{"id":2}\n');
    const s = await extractOnce(configIn(tmp.dir, jsonl), wh);
    expect(unitOf(s, 'contact.calls')).toMatchObject({ rowsIn: 2, rowsOut: 2, rowsRejected: 0 });
    expect(await rawRows(wh, 'contact__calls', ['id', '_line'])).toEqual([
      { id: '1', _line: 1 },
      { id: '2', _line: 2 },
    ]);
  });

  it("is not part of a web log's first field", async () => {
    writeFileSync(
      inDir('access.log'),
      '\ufeff10.0.0.1 - - [10/Oct/2024:13:55:36 +0000] "GET /a HTTP/1.1" 200 512 "-" "UA"\n',
    );
    const config = configIn(tmp.dir, weblog);
    const s = await extractOnce(config, wh);
    expect(unitOf(s, 'web.access')).toMatchObject({ rowsOut: 1, rowsRejected: 0 });
    expect(await splitRows(wh, config, 'web.access', 'remote_addr, _reject')).toEqual([
      { remote_addr: '10.0.0.1', _reject: null },
    ]);
  });
});

describe('defect 11: a glob that matches nothing', () => {
  it('is a warning on its table, and the run ends partial (exit 2)', async () => {
    const s = await extractOnce(configIn(tmp.dir, csv('sales')), wh);
    expect(s.status).toBe('partial');
    expect(exitCodeFor(s)).toBe(2);
    expect(unitOf(s, 'pos.sales')).toMatchObject({
      status: 'warning',
      rowsIn: 0,
      error: `no file matches sales*.csv in ${path.join(tmp.dir, 'in')}; nothing read — check the table's path and connection.dir (or the export that writes the files)`,
    });
  });
});
