import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import { COMPARISONS } from '../../identity/comparisons.ts';
import { gammaSql } from '../../identity/comparison-sql.ts';

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
});
afterEach(() => wh.close());

/** The e-mail comparison's level for two addresses of records without names. */
async function emailLevel(a: string, b: string): Promise<number> {
  const email = COMPARISONS.find((c) => c.name === 'email')!;
  const side = (e: string) =>
    `SELECT '${e}' AS email_key, split_part('${e}', '@', 1) AS email_user, split_part('${e}', '@', 2) AS email_domain,
       NULL::VARCHAR AS first_key, NULL::VARCHAR AS given_key, NULL::VARCHAR AS first_initial, NULL::INTEGER AS first_n,
       NULL::VARCHAR AS last_key, NULL::VARCHAR AS last_initial, NULL::VARCHAR AS last_given`;
  return Number(await wh.scalar(`SELECT ${gammaSql(email)} FROM (${side(a)}) l, (${side(b)}) r`));
}

describe('e-mail comparison levels', () => {
  it('one typo anywhere is level 1, even early in the address where jaro-winkler says 0.91', async () => {
    expect(
      await emailLevel('vrronika.medvedeva16977@mail.ru', 'veronika.medvedeva16977@mail.ru'),
    ).toBe(1);
    expect(
      await emailLevel('veronika.medvedeva16977@mail.ru', 'veronika.medvedeva16977@mail.ru'),
    ).toBe(4);
    expect(
      await emailLevel('veronika.medvedeva16977@mail.ru', 'veronika.medvedeva16977@yandex.ru'),
    ).toBe(2);
    expect(await emailLevel('igormedvedev16976@bk.ru', 'veronika.medvedeva16977@mail.ru')).toBe(0);
  });
});
