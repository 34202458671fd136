import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  renameSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { memoryWarehouse, tempDir } from '../helpers/warehouse.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { configIn, extractOnce, rejected, splitRows, unitOf } from './helpers.ts';
import { runTransform } from '../transforms/fixtures.ts';
import type { CdwConfig } from '../../foundation/config-types.ts';

let wh: Warehouse;
let tmp: { dir: string; cleanup: () => void };
beforeEach(async () => {
  wh = await memoryWarehouse();
  tmp = tempDir('cdw-log-');
  mkdirSync(path.join(tmp.dir, 'logs'));
});
afterEach(() => {
  wh.close();
  tmp.cleanup();
});

const line = (i: number, extra = '') =>
  `10.0.0.${i} - - [10/Oct/2024:13:55:${String(i).padStart(2, '0')} +0200] "GET /p/${i}?uid=u${i}&x=1 HTTP/1.1" 200 ${100 + i} "https://ref.example/" "Mozilla/5.0"${extra}\n`;
const withCookie = (i: number) => line(i, ` "_vid=v${i}; theme=dark"`).replace(/\n$/, '\n');

const yaml = (table: string) => `
sources:
  - name: web
    kind: weblog
    connection: { dir: logs }
    tables:
      - name: hits
        entity: web_hit
        mapping: { record_key: hit_key, occurred_at: ts }
${table}
`;

/** The landed lines of raw.web__hits split into the format's columns, as the transform splits them. */
async function splitHits(config: CdwConfig, columns: string): Promise<Record<string, unknown>[]> {
  return splitRows(wh, config, 'web.hits', columns);
}

describe('weblog connector', () => {
  it('parses combined lines with visitor cookie and user id, then reads only appended lines', async () => {
    const file = path.join(tmp.dir, 'logs', 'access.log');
    writeFileSync(file, withCookie(1) + withCookie(2));
    const config = configIn(
      tmp.dir,
      yaml(`        path: "access.log*"
        format: pattern
        pattern: '$remote_addr $ident $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_cookie"'
        visitor_id: { cookie: _vid }
        user_id: { query: uid }`),
    );
    const s1 = await extractOnce(config, wh);
    expect(unitOf(s1, 'web.hits')).toMatchObject({
      status: 'succeeded',
      rowsIn: 2,
      rowsOut: 2,
      rowsRejected: 0,
    });
    expect(
      await splitHits(
        config,
        'remote_addr, remote_user, method, url, protocol, status, body_bytes_sent, ts, visitor_id, user_id, _file, _line',
      ),
    ).toEqual([
      {
        remote_addr: '10.0.0.1',
        remote_user: null,
        method: 'GET',
        url: '/p/1?uid=u1&x=1',
        protocol: 'HTTP/1.1',
        status: '200',
        body_bytes_sent: '101',
        ts: '2024-10-10T11:55:01Z',
        visitor_id: 'v1',
        user_id: 'u1',
        _file: 'access.log',
        _line: 1,
      },
      {
        remote_addr: '10.0.0.2',
        remote_user: null,
        method: 'GET',
        url: '/p/2?uid=u2&x=1',
        protocol: 'HTTP/1.1',
        status: '200',
        body_bytes_sent: '102',
        ts: '2024-10-10T11:55:02Z',
        visitor_id: 'v2',
        user_id: 'u2',
        _file: 'access.log',
        _line: 2,
      },
    ]);
    // A line being written (no newline yet) waits for the next run.
    appendFileSync(file, withCookie(3) + withCookie(4).slice(0, 20));
    const s2 = await extractOnce(config, wh);
    expect(unitOf(s2, 'web.hits')).toMatchObject({ rowsIn: 1, rowsOut: 1 });
    appendFileSync(file, withCookie(4).slice(20));
    const s3 = await extractOnce(config, wh);
    expect(unitOf(s3, 'web.hits')).toMatchObject({ rowsIn: 1, rowsOut: 1 });
    expect(await splitHits(config, '_line, visitor_id')).toEqual(
      [1, 2, 3, 4].map((i) => ({ _line: i, visitor_id: `v${i}` })),
    );
  });

  it('follows a rotated log: the tail of the renamed file, then the new file from its start, nothing twice', async () => {
    const file = path.join(tmp.dir, 'logs', 'access.log');
    writeFileSync(file, line(1) + line(2));
    const config = configIn(tmp.dir, yaml('        path: "access.log*"'));
    await extractOnce(config, wh);
    appendFileSync(file, line(3));
    renameSync(file, `${file}.1`);
    writeFileSync(file, line(4) + line(5));
    const s2 = await extractOnce(config, wh);
    expect(unitOf(s2, 'web.hits')).toMatchObject({
      status: 'succeeded',
      rowsIn: 3,
      rowsOut: 3,
      rowsRejected: 0,
    });
    expect(
      (await splitHits(config, 'remote_addr, _file, _line')).sort((a, b) =>
        String(a.remote_addr).localeCompare(String(b.remote_addr)),
      ),
    ).toEqual([
      { remote_addr: '10.0.0.1', _file: 'access.log', _line: 1 },
      { remote_addr: '10.0.0.2', _file: 'access.log', _line: 2 },
      { remote_addr: '10.0.0.3', _file: 'access.log.1', _line: 3 },
      { remote_addr: '10.0.0.4', _file: 'access.log', _line: 1 },
      { remote_addr: '10.0.0.5', _file: 'access.log', _line: 2 },
    ]);
    expect(await wh.scalar('SELECT count(DISTINCT hit_key) FROM raw.web__hits')).toBe(5);
    const s3 = await extractOnce(config, wh);
    expect(unitOf(s3, 'web.hits')).toMatchObject({ rowsIn: 0, rowsOut: 0 });
  });

  it('follows a copy-and-truncate rotation: the copy continues from the old offset, the truncated file starts over', async () => {
    const file = path.join(tmp.dir, 'logs', 'access.log');
    writeFileSync(file, line(1) + line(2));
    const config = configIn(tmp.dir, yaml('        path: "access.log*"'));
    await extractOnce(config, wh);
    appendFileSync(file, line(3));
    copyFileSync(file, `${file}.1`);
    truncateSync(file, 0);
    appendFileSync(file, line(4));
    const s2 = await extractOnce(config, wh);
    expect(unitOf(s2, 'web.hits')).toMatchObject({ status: 'succeeded', rowsIn: 2, rowsOut: 2 });
    expect(
      (await splitHits(config, 'remote_addr, _file, _line')).sort((a, b) =>
        String(a.remote_addr).localeCompare(String(b.remote_addr)),
      ),
    ).toEqual([
      { remote_addr: '10.0.0.1', _file: 'access.log', _line: 1 },
      { remote_addr: '10.0.0.2', _file: 'access.log', _line: 2 },
      { remote_addr: '10.0.0.3', _file: 'access.log.1', _line: 3 },
      { remote_addr: '10.0.0.4', _file: 'access.log', _line: 1 },
    ]);
  });

  it('rejects broken lines, impossible times (when the transform splits them) and invalid UTF-8 (when it is read) with file:line, and keeps the balance', async () => {
    const file = path.join(tmp.dir, 'logs', 'access.log');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(line(1)),
        Buffer.from('this is not a log line\n'),
        Buffer.from(line(2).replace('10/Oct/2024', '31/Feb/2024')),
        Buffer.from(line(3).replace('/p/3', '/p/\xff')),
        Buffer.from(line(4).replace('Mozilla', 'Moz'), 'utf8').subarray(0, 10),
        Buffer.from([0xc3, 0x28]),
        Buffer.from(line(4).replace('Mozilla', 'Moz')).subarray(10),
        Buffer.from('\n'),
        Buffer.from(line(5)),
      ]),
    );
    const config = configIn(tmp.dir, yaml('        path: "access.log"'));
    const s = await extractOnce(config, wh);
    expect(unitOf(s, 'web.hits')).toMatchObject({
      status: 'succeeded',
      rowsIn: 6,
      rowsOut: 5,
      rowsRejected: 1,
    });
    const t = await runTransform(wh, config);
    expect(t.steps.find((x) => x.source === 'web.hits')).toMatchObject({
      status: 'succeeded',
      rowsIn: 5,
      rowsOut: 3,
      rowsRejected: 2,
    });
    expect(await wh.all('SELECT record_key FROM staging.web_hits ORDER BY occurred_at')).toEqual(
      (await splitHits(config, 'hit_key'))
        .filter((_h, i) => [0, 3, 4].includes(i))
        .map((h) => ({ record_key: h.hit_key })),
    );
    const r = await rejected(wh, 'web', 'hits');
    expect(r.map(({ reason, location }) => ({ reason, location }))).toEqual([
      { reason: 'line does not match the combined log format', location: 'access.log:2' },
      { reason: 'unparseable time in time_local', location: 'access.log:3' },
      {
        reason: 'invalid UTF-8 byte sequence (set encoding: if the file is not UTF-8)',
        location: 'access.log:5',
      },
    ]);
    expect(r[0]!.raw).toBe('this is not a log line');
    expect(r[2]!.raw).toContain('\\xC3(');
    expect(r.every((x) => x.load_id !== null)).toBe(true);
  });
});

describe('a warehouse whose raw web table holds lines split by an earlier version', () => {
  it('stages its old rows from the columns they landed with and new lines split in SQL, as a fresh warehouse stages them all', async () => {
    const file = path.join(tmp.dir, 'logs', 'access.log');
    writeFileSync(file, line(1) + line(2) + 'not a log line\n');
    const config = configIn(
      tmp.dir,
      `
sources:
  - name: web
    kind: weblog
    connection: { dir: logs }
    tables:
      - name: hits
        entity: web_hit
        path: "access.log*"
        user_id: { query: uid }
        mapping: { record_key: hit_key, occurred_at: ts, ip: remote_addr, url: url, status: status, user_id: user_id, user_agent: http_user_agent }
`,
    );
    await extractOnce(config, wh);
    // The earlier layout: every column of the format landed, no line (the broken line was
    // refused when it was read, and so never landed).
    const split = (await splitHits(config, '*')).filter((r) => r._reject === null);
    const columns = Object.keys(split[0]!).filter(
      (c) => !['hit_key', 'log_line', '_reject'].includes(c) && !c.startsWith('_'),
    );
    await wh.run(`DELETE FROM raw.web__hits`);
    await wh.run(`ALTER TABLE raw.web__hits DROP COLUMN log_line`);
    for (const c of columns) await wh.run(`ALTER TABLE raw.web__hits ADD COLUMN "${c}" VARCHAR`);
    for (const r of split)
      await wh.run(
        `INSERT INTO raw.web__hits BY NAME SELECT ${['hit_key', '_file', '_line', '_load_id', '_loaded_at', ...columns].map((c, i) => `$${i + 1} AS "${c}"`).join(', ')}`,
        ['hit_key', '_file', '_line', '_load_id', '_loaded_at', ...columns].map((c) =>
          r[c] === null || r[c] === undefined
            ? null
            : r[c] instanceof Date
              ? r[c].toISOString()
              : String(r[c]),
        ),
      );
    await runTransform(wh, config);
    appendFileSync(file, line(3) + line(4).replace('10/Oct', '31/Feb') + line(5));
    await extractOnce(config, wh);
    const t = await runTransform(wh, config);
    expect(t.steps.find((x) => x.source === 'web.hits')).toMatchObject({
      status: 'succeeded',
      rowsIn: 3,
      rowsOut: 2,
      rowsRejected: 1,
    });
    const staged = `SELECT record_key, occurred_at, ip, url, status, user_id, user_agent FROM staging.web_hits ORDER BY occurred_at`;
    const migrated = await wh.all(staged);
    expect(migrated.map((r) => r.ip)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.5']);
    // A fresh warehouse reading the same file stages the same rows.
    const fresh = await memoryWarehouse();
    try {
      await extractOnce(config, fresh);
      await runTransform(fresh, config);
      expect(await fresh.all(staged)).toEqual(migrated);
    } finally {
      fresh.close();
    }
  });
});

describe('log lines landed whole', () => {
  it('keeps every line byte for byte with its number and byte offset: CRLF ends, blank lines, a unit separator or a lone CR inside, multi-byte text, a line after invalid UTF-8', async () => {
    const file = path.join(tmp.dir, 'logs', 'access.log');
    const lines = [
      line(1).replace('\n', '\r\n'),
      '\n',
      line(2).replace('Mozilla', 'Moz\x1fzilla'),
      line(3).replace('Mozilla', 'Moz\rzilla'),
      line(4).replace('/p/4', '/søk/€'),
      '\r\n',
      line(5).replace('/p/5', '/p/\xff'),
      line(6),
    ];
    const bytes = lines.map((l) =>
      l.includes('\xff') ? Buffer.from(l, 'latin1') : Buffer.from(l, 'utf8'),
    );
    writeFileSync(file, Buffer.concat(bytes));
    const config = configIn(tmp.dir, yaml('        path: "access.log"'));
    const s = await extractOnce(config, wh);
    expect(unitOf(s, 'web.hits')).toMatchObject({ rowsIn: 6, rowsOut: 5, rowsRejected: 1 });
    const head = String(await wh.scalar('SELECT hit_key FROM raw.web__hits WHERE _line = 1')).split(
      ':',
    )[0];
    const expected = [];
    let offset = 0;
    for (const [i, b] of bytes.entries()) {
      const text = b.toString('utf8').replace(/\r?\n$/, '');
      if (text !== '' && !text.includes('\ufffd'))
        expected.push({ _line: i + 1, hit_key: `${head}:${offset}`, log_line: text });
      offset += b.length;
    }
    expect(
      await wh.all('SELECT _line, hit_key, log_line FROM raw.web__hits ORDER BY _line'),
    ).toEqual(expected);
    expect(expected.map((e) => e._line)).toEqual([1, 3, 4, 5, 8]);
    expect((await splitHits(config, 'remote_addr, _reject')).map((r) => r._reject)).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});
