import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PG_URL, postgresAvailable } from '../helpers/databases.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { runPipeline } from '../../jobs/pipeline.ts';
import { extractStep } from '../../connectors/extract-step.ts';
import { configIn } from './helpers.ts';

const available = await postgresAvailable();
const T = 'cdwtest_conn_kill_events';
const ROWS = 100_000;
const CHILD = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'fixtures',
  'extract-child.ts',
);

describe.skipIf(!available)('an extract killed mid-load', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client(PG_URL);
    await client.connect();
    await client.query(`DROP TABLE IF EXISTS ${T}`);
    await client.query(
      `CREATE TABLE ${T} AS SELECT g AS id, 'name ' || g AS name, md5(g::text) AS payload, timestamptz '2024-01-01' + g * interval '1 second' AS changed_at FROM generate_series(1, ${ROWS}) g`,
    );
  });
  afterAll(async () => {
    await client.query(`DROP TABLE IF EXISTS ${T}`);
    await client.end();
  });

  it('lands nothing of the killed load, and the rerun lands every row exactly once', async () => {
    const tmp = tempDir('cdw-kill-');
    try {
      const config = configIn(
        tmp.dir,
        `
warehouse: { path: wh.duckdb }
extract: { batch_rows: 5000 }
sources:
  - name: billing
    kind: postgres
    connection: { url: "${PG_URL}" }
    tables:
      - { name: events, table: ${T}, entity: interaction, primary_key: id, cursor: changed_at, mapping: { record_key: id, updated_at: changed_at } }
`,
      );
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, config.configPath], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.setEncoding('utf8');
      const landedOne = new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: string) => {
          out += d;
          if (/batch \d+ landed/.test(out)) resolve();
        });
        child.on('exit', () => reject(new Error(`child ended before landing a batch:\n${out}`)));
      });
      await landedOne;
      child.kill('SIGKILL');
      await once(child, 'exit');
      expect(out).not.toMatch(/done/);

      const killed = await Warehouse.open(config.warehouse.path);
      try {
        expect(await killed.tableExists('raw', 'billing__events')).toBe(false);
        expect(await killed.scalar(`SELECT count(*) FROM meta.source_state`)).toBe(0);
      } finally {
        killed.close();
      }

      const s = await runPipeline(config, {
        trigger: 'test',
        logger: silentLogger,
        steps: [extractStep],
      });
      expect(s.status).toBe('succeeded');
      expect(s.steps.find((x) => x.source === 'billing.events')).toMatchObject({
        rowsIn: ROWS,
        rowsOut: ROWS,
        rowsRejected: 0,
      });
      const wh = await Warehouse.open(config.warehouse.path, { readOnly: true });
      try {
        expect(
          await wh.one('SELECT count(*) AS n, count(DISTINCT id) AS ids FROM raw.billing__events'),
        ).toEqual({ n: ROWS, ids: ROWS });
        expect(await wh.all(`SELECT status, error FROM meta.loads ORDER BY started_at`)).toEqual([
          {
            status: 'failed',
            error:
              'interrupted: the process stopped before the load committed; nothing of it landed',
          },
          { status: 'committed', error: null },
        ]);
      } finally {
        wh.close();
      }
    } finally {
      tmp.cleanup();
    }
  });
});
