import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { runPipeline } from '../../jobs/pipeline.ts';
import { loadConfig } from '../../jobs/config/load.ts';
import { extractStep } from '../../connectors/extract-step.ts';
import { silentLogger } from '../../foundation/logger.ts';
import path from 'node:path';
import { main } from '../../jobs/cli/main.ts';
import { streamProgress } from '../../foundation/progress.ts';
import { streamLogger } from '../../foundation/logger.ts';
import { captureIO } from '../helpers/cli.ts';
import { tempDir } from '../helpers/warehouse.ts';

/** What a terminal shows after this output: carriage returns and line clears applied. */
function screen(raw: string): string[] {
  const lines: string[] = [];
  let line = '';
  let col = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\x1b' && raw.startsWith('\x1b[2K', i)) {
      line = '';
      col = 0;
      i += 3;
    } else if (c === '\r') col = 0;
    else if (c === '\n') {
      lines.push(line);
      line = '';
      col = 0;
    } else {
      line = line.slice(0, col) + c + line.slice(col + 1);
      col++;
    }
  }
  if (line) lines.push(line);
  return lines;
}

let tmp: { dir: string; cleanup: () => void };
beforeEach(() => {
  tmp = tempDir('cdw-progress-');
});
afterEach(() => tmp.cleanup());

describe('progress at a terminal', () => {
  it('draws a bar with an ETA and prints log lines above it, never onto it', () => {
    const io = captureIO();
    const p = streamProgress(io.err, { tty: true });
    const log = streamLogger(io.err, { print: (l) => p.print(l) });
    p.start('marts', 4);
    p.tick(1);
    log.info('first mart built');
    p.detail?.('customer_segments');
    p.tick(1);
    log.warn('something to say');
    p.done('4 marts');
    const raw = io.errText();
    expect(raw).toMatch(/marts: \[#####\.+\] 1\/4 25% · ETA \d+s/);
    expect(raw).toContain('customer_segments');
    const shown = screen(raw);
    expect(
      shown.filter((l) => / (info|warn) /.test(l)).every((l) => /^\d{4}-\d\d-\d\dT/.test(l)),
    ).toBe(true);
    expect(shown[shown.length - 1]).toMatch(/^marts: 4 marts in \d+s$/);
  });

  it('a run shows every step, and its log lines stay whole', async () => {
    const cfg = path.join(tmp.dir, 'cdw.yaml');
    writeFileSync(
      cfg,
      `warehouse: { path: wh.duckdb }
sources:
  - name: shop
    kind: csv
    connection: { dir: no-such-folder }
    tables:
      - { name: sales, entity: transaction, mapping: { record_key: id }, path: "*.csv" }
`,
    );
    const io = captureIO();
    (io.err as { isTTY?: boolean }).isTTY = true;
    expect(await main(['node', 'cdw', '-c', cfg, 'run'], io)).toBe(2);
    const shown = screen(io.errText());
    for (const step of ['extract', 'transform', 'identity', 'profiles', 'marts', 'reports'])
      expect(shown.some((l) => l.startsWith(`${step}`) && / in \d+s$/.test(l))).toBe(true);
    const logLines = shown.filter((l) => /\d{4}-\d\d-\d\dT\S+ (info|warn|error) /.test(l));
    expect(logLines.length).toBeGreaterThan(3);
    for (const l of logLines) expect(l).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});

describe('progress inside a large table', () => {
  it('counts the rows read while one table is extracted, before its batch lands', async () => {
    mkdirSync(path.join(tmp.dir, 'in'));
    const lines = Array.from({ length: 3000 }, (_, i) =>
      JSON.stringify({ id: i, email: `u${i}@x.org` }),
    );
    writeFileSync(path.join(tmp.dir, 'in', 'people.jsonl'), `${lines.join('\n')}\n`);
    const cfg = path.join(tmp.dir, 'cdw.yaml');
    writeFileSync(
      cfg,
      `warehouse: { path: wh.duckdb }
sources:
  - name: crm
    kind: jsonl
    connection: { dir: in }
    tables:
      - { name: people, entity: party, mapping: { record_key: id, email: email }, path: "*.jsonl" }
`,
    );
    const io = captureIO();
    const summary = await runPipeline(loadConfig(cfg), {
      trigger: 'test',
      logger: silentLogger,
      progress: streamProgress(io.err, { tty: true, intervalMs: 0 }),
      steps: [extractStep],
    });
    expect(summary.status).toBe('succeeded');
    const counts = [...io.errText().matchAll(/([\d,]+) rows read/g)].map((m) =>
      Number(m[1]!.replaceAll(',', '')),
    );
    expect(counts.some((n) => n > 0 && n < 3000)).toBe(true);
    expect(Math.max(...counts)).toBe(3000);
  });
});

describe('progress off a terminal', () => {
  it('writes plain lines only', () => {
    const io = captureIO();
    const p = streamProgress(io.err);
    p.start('extract', 2);
    p.tick(2);
    p.done('2 tables');
    expect(io.errText()).toMatch(/^extract: 2 tables in \d+s\n$/);
  });
});
