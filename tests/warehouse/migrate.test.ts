import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import {
  currentVersion,
  latestVersion,
  migrate,
  shippedMigrations,
} from '../../foundation/migrate.ts';
import { WarehouseError } from '../../foundation/errors.ts';
import { tempDir } from '../helpers/warehouse.ts';

describe('warehouse migrations', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('creates every layer schema and the ledger tables in an empty file', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const wh = await Warehouse.open(path.join(dir, 'w.duckdb'));
    try {
      const r = await migrate(wh);
      expect(r.from).toBe(0);
      expect(r.to).toBe(latestVersion());
      const schemas = (
        await wh.all<{ s: string }>(
          'SELECT schema_name s FROM information_schema.schemata ORDER BY 1',
        )
      ).map((x) => x.s);
      for (const s of ['meta', 'raw', 'staging', 'identity', 'core', 'marts', 'public'])
        expect(schemas).toContain(s);
      const cols = (
        await wh.all<{ c: string }>(
          "SELECT column_name c FROM information_schema.columns WHERE table_schema='meta' AND table_name='run_steps' ORDER BY ordinal_position",
        )
      ).map((x) => x.c);
      expect(cols).toEqual(
        expect.arrayContaining([
          'run_id',
          'step',
          'source',
          'status',
          'rows_in',
          'rows_out',
          'rows_rejected',
          'started_at',
          'finished_at',
          'error',
        ]),
      );
      for (const t of ['runs', 'loads', 'source_state', 'rejected_rows'])
        expect(await wh.tableExists('meta', t)).toBe(true);
      // A second migrate is a no-op.
      expect((await migrate(wh)).applied).toEqual([]);
    } finally {
      wh.close();
    }
  });

  it('migrates a file written by an older version and keeps its data', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const file = path.join(dir, 'old.duckdb');
    const old = await Warehouse.open(file);
    await migrate(
      old,
      shippedMigrations().filter((m) => m.version === 1),
    );
    await old.run(
      "INSERT INTO meta.rejected_rows (run_id, source, source_table, reason, raw) VALUES ('r1', 'pos', 'sales', 'wrong column count', 'a;b')",
    );
    expect(await currentVersion(old)).toBe(1);
    old.close();

    const wh = await Warehouse.open(file);
    try {
      const r = await migrate(wh);
      expect(r.from).toBe(1);
      expect(r.applied.length).toBe(shippedMigrations().length - 1);
      expect(await currentVersion(wh)).toBe(latestVersion());
      const row = await wh.one<{ reason: string; stage: string }>(
        'SELECT reason, stage FROM meta.rejected_rows',
      );
      expect(row).toEqual({ reason: 'wrong column count', stage: 'extract' });
    } finally {
      wh.close();
    }
  });

  it('applies a migration whose number was left free and filled later, not only higher ones', async () => {
    const wh = await Warehouse.open(':memory:');
    try {
      const shipped = shippedMigrations();
      await migrate(wh, shipped);
      const filled = [
        ...shipped,
        { version: 4, name: 'filled_later', sql: 'CREATE TABLE meta.filled_later (x INTEGER)' },
      ];
      expect(shipped.some((m) => m.version === 4)).toBe(false);
      const r = await migrate(wh, filled);
      expect(r.applied).toEqual(['004_filled_later']);
      expect(await wh.tableExists('meta', 'filled_later')).toBe(true);
    } finally {
      wh.close();
    }
  });

  it('refuses a warehouse written by a newer cdw, saying what to do', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const file = path.join(dir, 'new.duckdb');
    const wh = await Warehouse.open(file);
    await migrate(wh);
    await wh.run(
      "INSERT INTO meta.schema_version VALUES (999, 'from the future', current_timestamp)",
    );
    await expect(migrate(wh)).rejects.toThrow(WarehouseError);
    await expect(migrate(wh)).rejects.toThrow(
      /schema version 999, written by a newer cdw.*Upgrade cdw/,
    );
    wh.close();
  });
});
