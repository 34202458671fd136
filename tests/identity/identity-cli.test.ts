import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../jobs/cli/main.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { migrate } from '../../foundation/migrate.ts';
import { captureIO } from '../helpers/cli.ts';
import { tempDir } from '../helpers/warehouse.ts';
import {
  createPartyRecordsTable,
  csvHeader,
  csvLine,
  loadPartyRecordsCsv,
} from './fixtures/party-records-table.ts';
import { party } from './fixtures/party-row.ts';
import { writeSyntheticCsv } from './fixtures/write-synthetic.ts';

describe('cdw identity commands', () => {
  const t = tempDir('cdw-identity-cli-');
  const cfg = path.join(t.dir, 'cdw.yaml');
  let truthFile = '';

  const cdw = async (...args: string[]) => {
    const io = captureIO();
    const code = await main(['node', 'cdw', '-c', cfg, ...args], io);
    return { code, out: io.outText(), err: io.errText() };
  };
  const customerOf = async (uid: string) => {
    const wh = await Warehouse.open(path.join(t.dir, 'w.duckdb'), { readOnly: true });
    try {
      return Number(
        await wh.scalar('SELECT customer_id FROM core.customer_xref WHERE party_uid = $1', [uid]),
      );
    } finally {
      wh.close();
    }
  };

  beforeAll(async () => {
    writeFileSync(cfg, 'warehouse:\n  path: w.duckdb\n');
    const wh = await Warehouse.open(path.join(t.dir, 'w.duckdb'));
    try {
      await migrate(wh);
      await createPartyRecordsTable(wh);
      const files = writeSyntheticCsv({ people: 600, seed: 4 }, t.dir);
      truthFile = files.truthFile;
      await loadPartyRecordsCsv(wh, files.partyFile);
      const extra = path.join(t.dir, 'extra.csv');
      const rows = [
        party('test.crm:x1', {
          first: 'Leopoldine',
          last: 'Marchetti',
          birth: '1990-09-09',
          email: 'leo.m@example.org',
          mobile: '+15557770001',
        }),
        party('test.web:x2', {
          first: 'Leopoldine',
          last: 'Marchetti',
          email: 'leo.m@example.org',
          birth: '1990-09-09',
        }),
      ];
      writeFileSync(extra, `${csvHeader()}\n${rows.map(csvLine).join('\n')}\n`);
      await loadPartyRecordsCsv(wh, extra);
    } finally {
      wh.close();
    }
  });
  afterAll(() => t.cleanup());

  it('runs the identity step alone and explains a matched pair', async () => {
    const run = await cdw('identity', 'run');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/identity\s+succeeded/);
    const e = await cdw('identity', 'explain', 'test.crm:x1', 'test.web:x2');
    expect(e.code).toBe(0);
    expect(e.out).toContain('MATCH — linked by email');
    expect(e.out).toMatch(/email\s+4\s+exact/);
    expect(await customerOf('test.crm:x1')).toBe(await customerOf('test.web:x2'));
  });

  it('unlink is stored, listed, and splits the customer at the next run; show prints the links and history', async () => {
    const id = await customerOf('test.crm:x1');
    expect(
      (
        await cdw(
          'identity',
          'unlink',
          'test.web:x2',
          'test.crm:x1',
          '--reason',
          'twins',
          '--by',
          'ana',
        )
      ).out,
    ).toBe('cannot-link recorded: test.web:x2 ≠ test.crm:x1 (takes effect at the next run)\n');
    const list = await cdw('identity', 'overrides', '--json');
    expect(JSON.parse(list.out)).toMatchObject([
      {
        party_uid_a: 'test.crm:x1',
        party_uid_b: 'test.web:x2',
        kind: 'cannot_link',
        reason: 'twins',
        created_by: 'ana',
      },
    ]);
    expect((await cdw('identity', 'run')).code).toBe(0);
    const a = await customerOf('test.crm:x1');
    const b = await customerOf('test.web:x2');
    expect(a).not.toBe(b);
    expect([a, b]).toContain(id);
    const show = await cdw('identity', 'show', String(id));
    expect(show.code).toBe(0);
    expect(show.out).toContain(`customer ${id}`);
    expect(show.out).toMatch(/id history[\s\S]*split[\s\S]*cannot-link override/);
    const explain = await cdw('identity', 'explain', 'test.crm:x1', 'test.web:x2');
    expect(explain.out).toContain(
      'NO MATCH: an analyst said these are different people (cannot-link)',
    );
    expect((await cdw('identity', 'clear', 'test.crm:x1', 'test.web:x2')).out).toBe(
      'override between test.crm:x1 and test.web:x2 removed\n',
    );
    expect((await cdw('identity', 'overrides')).out).toBe('no overrides\n');
  });

  it('evaluates against a truth file as JSON', async () => {
    const r = await cdw('identity', 'evaluate', '--truth', truthFile, '--json');
    expect(r.code).toBe(0);
    const e = JSON.parse(r.out) as {
      pairwise: { precision: number; recall: number };
      bcubed: { f1: number };
      households: { f1: number };
    };
    expect(e.pairwise.precision).toBeGreaterThan(0.9);
    expect(e.pairwise.recall).toBeGreaterThan(0.85);
    expect(e.households.f1).toBeGreaterThan(0);
  });

  it('refuses a record that does not exist and an id never issued, without a stack trace', async () => {
    const link = await cdw('identity', 'link', 'test.crm:x1', 'test.crm:nobody');
    expect(link.code).toBe(1);
    expect(link.err).toBe(
      'error: record test.crm:nobody is not in staging.party_records (records are addressed as source.table:key)\n',
    );
    const show = await cdw('identity', 'show', '987654321');
    expect(show.code).toBe(1);
    expect(show.err).toBe('error: customer 987654321 was never issued\n');
  });

  it('retrain asks the next identity run to train the model instead of scoring with the kept one', async () => {
    const trainedRun = async () => {
      const wh = await Warehouse.open(path.join(t.dir, 'w.duckdb'), { readOnly: true });
      try {
        return String(await wh.scalar('SELECT trained_run FROM identity.kept_model'));
      } finally {
        wh.close();
      }
    };
    expect((await cdw('identity', 'run')).code).toBe(0);
    const kept = await trainedRun();
    expect((await cdw('identity', 'run')).code).toBe(0);
    expect(await trainedRun()).toBe(kept);
    const asked = await cdw('identity', 'retrain');
    expect(asked.code).toBe(0);
    expect(asked.out).toBe(
      'retraining requested: the next identity run (cdw run, or cdw identity run now) trains the model again\n',
    );
    expect((await cdw('identity', 'run')).code).toBe(0);
    expect(await trainedRun()).not.toBe(kept);
  });
});
