import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import {
  checkProspects,
  PROSPECT_CHECKED_QUERY,
  PROSPECT_LIST_QUERY,
  readNumbersFile,
} from '../../jobs/reports/lists/prospects.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { builtWorld } from './fixture/built.ts';

describe('prospect call lists', () => {
  let wh: Warehouse;
  const tmp = tempDir('cdw-prospects-');
  beforeAll(async () => {
    wh = await builtWorld(new Date());
  });
  afterAll(() => {
    wh.close();
    tmp.cleanup();
  });

  it("removes an existing customer's phone written another way, a caller's number, duplicates and invalid numbers", async () => {
    const numbers = [
      '8 (495) 123-45-67', // Anna's +74951234567, national Russian form
      '+7 916 555-12-34', // nobody's
      'call me', // not a number
      '007 916 555 1234', // the same new number again, international 00 form
      '8-916-555-00-00', // a number Gus called the contact centre from
      '+1 (415) 555-0103', // Carl's US number on his billing account
    ];
    const r = await checkProspects(wh, numbers, 'RU');
    expect(r).toEqual({ read: 6, invalid: 1, existingCustomer: 3, duplicate: 1, kept: 1 });
    expect(await wh.all(PROSPECT_LIST_QUERY)).toEqual([
      { phone: '+79165551234', as_given: '+7 916 555-12-34' },
    ]);
    const checked = await wh.all(PROSPECT_CHECKED_QUERY);
    expect(checked.map((c) => c.status)).toEqual([
      'existing_customer',
      'kept',
      'invalid',
      'duplicate',
      'existing_customer',
      'existing_customer',
    ]);
    expect(checked[0]?.phone).toBe('+74951234567');
  });

  it('reads plain lists and CSV files with a phone column', () => {
    const plain = path.join(tmp.dir, 'plain.txt');
    writeFileSync(plain, '\uFEFF+7 916 555-12-34\r\n\r\n8 (495) 123-45-67\n');
    expect(readNumbersFile(plain)).toEqual(['+7 916 555-12-34', '8 (495) 123-45-67']);
    const csv = path.join(tmp.dir, 'bought.csv');
    writeFileSync(
      csv,
      'name;Phone;city\n"Smith, J";+7 916 555-12-34;Moscow\nDoe;8 (495) 123-45-67;Tver\n',
    );
    expect(readNumbersFile(csv)).toEqual(['+7 916 555-12-34', '8 (495) 123-45-67']);
  });

  it('says which country code is not known', async () => {
    await expect(checkProspects(wh, ['1'], 'XX')).rejects.toThrow(
      /--country XX is not a country code/,
    );
  });
});
