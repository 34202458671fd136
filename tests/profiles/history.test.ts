import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import { createUpstreamTables, setParties, type Party } from './upstream-fixture.ts';
import { playNight } from './night.ts';

const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : String(d));

async function versions(wh: Warehouse, id: number) {
  const rows = await wh.all(
    'SELECT * FROM core.dim_customer_history WHERE customer_id = $1 ORDER BY valid_from',
    [id],
  );
  return rows.map((r): Record<string, unknown> => ({
    ...r,
    valid_from: iso(r.valid_from),
    valid_to: iso(r.valid_to),
  }));
}

const FAR = '9999-12-31T00:00:00.000Z';

describe('customer history across nights', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await memoryWarehouse();
    await createUpstreamTables(wh);
  });
  afterEach(() => wh.close());

  const base: Party[] = [
    {
      customer: 1,
      source: 'billing',
      key: 'b1',
      first_name: 'Mark',
      last_name: 'Mover',
      address: '1 Old Street',
      postcode: 'N1 1AA',
      city: 'London',
      updated_at: '2024-01-01T00:00:00Z',
    },
    {
      customer: 2,
      source: 'billing',
      key: 'b2',
      first_name: 'Anna',
      last_name: 'Smith',
      email: 'anna@example.com',
      updated_at: '2024-01-01T00:00:00Z',
    },
    {
      customer: 2,
      source: 'erp',
      key: 'e2',
      first_name: 'Anna',
      last_name: 'Smith',
      updated_at: '2023-06-01T00:00:00Z',
    },
    // The loyalty card keeps the maiden name for ever: two systems out of three will say Smith.
    {
      customer: 2,
      source: 'pos',
      key: 'p2',
      first_name: 'Anna',
      last_name: 'Smith',
      updated_at: '2022-06-01T00:00:00Z',
    },
    {
      customer: 3,
      source: 'billing',
      key: 'b3',
      first_name: 'Stan',
      last_name: 'Still',
      city: 'Leeds',
      updated_at: '2022-01-01T00:00:00Z',
    },
    {
      customer: 4,
      source: 'erp',
      key: 'e4',
      first_name: 'Gone',
      last_name: 'Soon',
      updated_at: '2022-01-01T00:00:00Z',
    },
    // More ERP customers, so that losing one record is no shrink of the source.
    ...[10, 11, 12, 13].map((n) => ({
      customer: n,
      source: 'erp',
      key: `e${n}`,
      first_name: 'Filler',
      last_name: `No${n}`,
    })),
  ];

  it('a mover, a marriage, an unchanged person, a deleted account and a rerun', async () => {
    await setParties(wh, base);
    await playNight(wh, '2024-03-01T02:00:00Z');
    expect(Number(await wh.scalar('SELECT count(*) FROM core.dim_customer_history'))).toBe(8);
    expect(
      await wh.one('SELECT full_name, record_count FROM core.dim_customer WHERE customer_id = 2'),
    ).toEqual({ full_name: 'Anna Smith', record_count: 3 });

    const night2 = base
      .filter((p) => p.customer !== 4)
      .map((p) => {
        if (p.key === 'b1')
          return {
            ...p,
            address: '2 New Road',
            postcode: 'E2 2BB',
            updated_at: '2024-06-01T00:00:00Z',
          };
        if (p.key === 'b2') return { ...p, last_name: 'Jones', updated_at: '2024-05-10T00:00:00Z' };
        return p;
      });
    await setParties(wh, night2);
    await playNight(wh, '2024-07-01T02:00:00Z');

    const mover = await versions(wh, 1);
    expect(mover.map((v) => [v.address, v.valid_from, v.valid_to, v.is_current])).toEqual([
      ['1 Old Street', '2020-01-01T00:00:00.000Z', '2024-06-01T00:00:00.000Z', false],
      ['2 New Road', '2024-06-01T00:00:00.000Z', FAR, true],
    ]);
    expect(mover[1]).toMatchObject({
      change_reason: 'change',
      changed_attributes: ['address'],
      changed_by: 'billing.customers',
    });

    const married = await versions(wh, 2);
    expect(await wh.one('SELECT full_name FROM core.dim_customer WHERE customer_id = 2')).toEqual({
      full_name: 'Anna Jones',
    });
    expect(married.map((v) => [v.last_name, v.valid_from, v.valid_to])).toEqual([
      ['Smith', '2020-01-01T00:00:00.000Z', '2024-05-10T00:00:00.000Z'],
      ['Jones', '2024-05-10T00:00:00.000Z', FAR],
    ]);

    expect((await versions(wh, 3)).map((v) => [v.last_name, v.valid_to])).toEqual([['Still', FAR]]);

    const gone = await versions(wh, 4);
    expect(gone.map((v) => [v.is_deleted, v.is_current, v.valid_from, v.valid_to])).toEqual([
      [false, false, '2020-01-01T00:00:00.000Z', '2024-07-01T02:00:00.000Z'],
      [true, true, '2024-07-01T02:00:00.000Z', FAR],
    ]);
    expect(
      await wh.one(
        'SELECT is_deleted, last_name, record_count FROM core.dim_customer WHERE customer_id = 4',
      ),
    ).toEqual({ is_deleted: true, last_name: 'Soon', record_count: 0 });

    const before = await wh.all(
      'SELECT * FROM core.dim_customer_history ORDER BY customer_id, valid_from',
    );
    await playNight(wh, '2024-07-01T03:00:00Z');
    expect(
      await wh.all('SELECT * FROM core.dim_customer_history ORDER BY customer_id, valid_from'),
    ).toEqual(before);

    // Validity never overlaps and leaves no gaps within a recorded id.
    const overlaps = await wh.scalar(`
      SELECT count(*) FROM (
        SELECT valid_to, lead(valid_from) OVER (PARTITION BY customer_id ORDER BY valid_from) AS next_from
        FROM core.dim_customer_history) WHERE next_from IS NOT NULL AND next_from <> valid_to`);
    expect(Number(overlaps)).toBe(0);
    expect(
      Number(
        await wh.scalar(
          'SELECT count(*) FROM core.dim_customer_history WHERE is_current GROUP BY customer_id ORDER BY 1 DESC LIMIT 1',
        ),
      ),
    ).toBe(1);
  });

  it('a customer who comes back after being deleted gets a restored version', async () => {
    await setParties(wh, base);
    await playNight(wh, '2024-03-01T02:00:00Z');
    await setParties(
      wh,
      base.filter((p) => p.customer !== 4),
    );
    await playNight(wh, '2024-04-01T02:00:00Z');
    await setParties(wh, base);
    await playNight(wh, '2024-05-01T02:00:00Z');
    expect(
      (await versions(wh, 4)).map((v) => [v.is_deleted, v.change_reason, v.valid_from]),
    ).toEqual([
      [false, 'new', '2020-01-01T00:00:00.000Z'],
      [true, 'deleted', '2024-04-01T02:00:00.000Z'],
      [false, 'restored', '2024-05-01T02:00:00.000Z'],
    ]);
  });

  it('a changed hash formula with unchanged attributes re-hashes in place instead of adding versions', async () => {
    await setParties(wh, base);
    await playNight(wh, '2024-03-01T02:00:00Z');
    const hashes = await wh.all(
      'SELECT customer_id, row_hash FROM core.dim_customer_history ORDER BY customer_id',
    );
    await wh.run("UPDATE core.dim_customer_history SET row_hash = 'from-an-older-cdw'");
    await playNight(wh, '2024-03-02T02:00:00Z');
    expect(
      await wh.all(
        'SELECT customer_id, row_hash FROM core.dim_customer_history ORDER BY customer_id',
      ),
    ).toEqual(hashes);
  });

  it('the same address written differently by another system is no change', async () => {
    const bil: Party = {
      customer: 9,
      source: 'billing',
      key: 'b9',
      first_name: 'Ivan',
      last_name: 'Petrov',
      address: 'prosp. Kutuzovskiy, d. 51',
      address_key: 'kutuzovskii 51',
      updated_at: '2024-01-01T00:00:00Z',
    };
    const erp: Party = {
      customer: 9,
      source: 'erp',
      key: 'e9',
      first_name: 'Иван',
      last_name: 'Петров',
      first_key: 'ivan',
      last_key: 'petrov',
      address: 'пр-т Кутузовский, д. 51',
      address_key: 'kutuzovskii 51',
      updated_at: '2023-01-01T00:00:00Z',
    };
    await setParties(wh, [...base, bil, erp]);
    await playNight(wh, '2024-03-01T02:00:00Z');
    // Night 2: the ERP record changes (a new e-mail) and so becomes the most recent one.
    await setParties(wh, [
      ...base,
      bil,
      { ...erp, email: 'ivan@example.com', updated_at: '2024-02-15T00:00:00Z' },
    ]);
    await playNight(wh, '2024-03-02T02:00:00Z');
    expect(
      (await versions(wh, 9)).map((v) => [v.address, v.first_name, v.email, v.changed_attributes]),
    ).toEqual([
      ['prosp. Kutuzovskiy, d. 51', 'Ivan', null, null],
      ['prosp. Kutuzovskiy, d. 51', 'Ivan', 'ivan@example.com', ['email']],
    ]);
  });
});
