import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { buildHouseholds } from '../../identity/households.ts';

// One record per customer: [customer_id, address_key, surname_stem, landline].
type Person = readonly [number, string | null, string | null, string | null];

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
});
afterEach(() => wh.close());

async function households(people: readonly Person[], maxSize = 12): Promise<number[][]> {
  await wh.run('CREATE OR REPLACE TEMP TABLE rec_customer (rec_id BIGINT, customer_id BIGINT)');
  await wh.run(
    'CREATE OR REPLACE TEMP TABLE id_records (rec_id BIGINT, address_key VARCHAR, surname_stem VARCHAR, phone_type VARCHAR, phone_e164 VARCHAR)',
  );
  for (const [id, key, surname, land] of people) {
    await wh.run('INSERT INTO rec_customer VALUES ($1, $1)', [id]);
    await wh.run("INSERT INTO id_records VALUES ($1, $2, $3, 'fixed_line', $4)", [
      id,
      key,
      surname,
      land,
    ]);
  }
  await buildHouseholds(wh, maxSize);
  const rows = await wh.all<{ members: number[] }>(
    'SELECT list(customer_id ORDER BY customer_id) AS members FROM households GROUP BY household_id ORDER BY min(customer_id)',
  );
  return rows.map((r) => r.members.map(Number));
}

describe('households', () => {
  it('everyone in one flat is one household, whatever their surnames', async () => {
    const flat = 'ul shkolnaya d 91 kv 188|123945';
    expect(
      await households([
        [1, flat, 'ivanov', null],
        [2, flat, 'petrov', null],
        [3, flat, 'sidorov', null],
        [4, 'ul shkolnaya d 91 kv 12|123945', 'ivanov', null],
      ]),
    ).toEqual([[1, 2, 3]]);
  });

  it('a house (no address of the building names a unit) is one dwelling; a bare block address needs a surname, a landline or only two people', async () => {
    const house = '1617 maple rd|94193';
    expect(
      await households([
        [1, house, 'barnes', null],
        [2, house, 'peterson', null],
        [3, house, 'kelly', null],
      ]),
    ).toEqual([[1, 2, 3]]);
    // 8493 Ridge Ave has flats: people giving only the building are not taken for one household.
    const block = '8493 ridge ave|60612';
    expect(
      await households([
        [1, block, 'barnes', null],
        [2, block, 'peterson', null],
        [3, block, 'barnes', null],
        [4, block, 'kelly', '+13125550100'],
        [5, block, 'moore', '+13125550100'],
        [6, '8493 ridge ave apt 1a|60612', 'lee', null],
      ]),
    ).toEqual([
      [1, 3],
      [4, 5],
    ]);
    expect(
      await households([
        [1, block, 'barnes', null],
        [2, block, 'peterson', null],
        [3, '8493 ridge ave apt 1a|60612', 'lee', null],
      ]),
    ).toEqual([[1, 2]]);
  });

  it('reads addresses one typo apart as one address, but not another street, number or postcode', async () => {
    expect(
      await households([
        [1, '7590 forest rd|78794', 'diaz', null],
        [2, '7590 forst rd|78794', 'gray', null],
      ]),
    ).toEqual([[1, 2]]);
    expect(
      await households([
        [1, 'ul molodezhnaya d 101 kv 138|198502', 'antonova', null],
        [2, 'ul moloddezhnaya d 101 kv 138|198502', 'romanov', null],
      ]),
    ).toEqual([[1, 2]]);
    expect(
      await households([
        [1, '12 oak st|10001', 'diaz', null],
        [2, '12 oak ave|10001', 'diaz', null],
        [3, '13 oak st|10001', 'diaz', null],
        [4, '12 oak st|10002', 'diaz', null],
        [5, '12 oak st apt 1|10001', 'diaz', null],
        [6, '12 oak st apt 2|10001', 'diaz', null],
      ]),
    ).toEqual([]);
  });

  it('an address shared by more customers than the limit groups nobody', async () => {
    const hall = '1 college rd|02139';
    const people: Person[] = Array.from({ length: 5 }, (_, i) => [i + 1, hall, 'student', null]);
    expect(await households(people, 4)).toEqual([]);
    expect(await households(people, 5)).toEqual([[1, 2, 3, 4, 5]]);
  });
});
