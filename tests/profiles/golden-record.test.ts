import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { resolveSurvivorship } from '../../warehouse/profiles/survivorship.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import { createUpstreamTables, setParties, type Party } from './upstream-fixture.ts';
import { playNight, profilesConfig } from './night.ts';

// Three records of one person, in three systems, saying different things.
const records: Party[] = [
  {
    customer: 1,
    source: 'billing',
    key: 'b1',
    first_name: 'Robert',
    last_name: 'Brown',
    email: 'rob@billing.example',
    address: '1 High St',
    postcode: 'A1',
    city: 'Derby',
    birth_date: '1980-05-01',
    updated_at: '2024-01-01T00:00:00Z',
  },
  {
    customer: 1,
    source: 'erp',
    key: 'e1',
    first_name: 'Bob',
    last_name: 'Brown',
    email: 'bob@erp.example',
    address: '9 Low Rd',
    city: 'Hull',
    birth_date: '1980-05-01',
    updated_at: '2024-03-01T00:00:00Z',
  },
  {
    customer: 1,
    source: 'web',
    key: 'w1',
    first_name: 'Robert',
    last_name: 'Brown',
    email: 'robert.brown@web.example',
    birth_date: '1980-01-05',
    updated_at: '2024-02-01T00:00:00Z',
  },
];

describe('golden record survivorship', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await memoryWarehouse();
    await createUpstreamTables(wh);
    await setParties(wh, records);
  });
  afterEach(() => wh.close());

  it('applies the default rules per attribute group and records lineage', async () => {
    await playNight(
      wh,
      '2024-04-01T02:00:00Z',
      profilesConfig('', { sourcePriority: ['web', 'billing'] }),
    );
    // name: most frequent (Robert ×2); address group from one record, the most recent (erp);
    // email: source priority (web first); birth date: most frequent.
    expect(
      await wh.one(
        'SELECT first_name, address, postcode, city, email, birth_date, source_count, record_count, systems FROM core.dim_customer',
      ),
    ).toEqual({
      first_name: 'Robert',
      address: '9 Low Rd',
      postcode: null,
      city: 'Hull',
      email: 'robert.brown@web.example',
      birth_date: new Date('1980-05-01T00:00:00Z'),
      source_count: 3,
      record_count: 3,
      systems: ['billing', 'erp', 'web'],
    });
    expect(
      await wh.all(
        "SELECT attribute, value, source, record_key, rule, load_id FROM core.customer_attribute_lineage WHERE attribute IN ('first_name', 'city', 'email') ORDER BY attribute",
      ),
    ).toEqual([
      {
        attribute: 'city',
        value: 'Hull',
        source: 'erp',
        record_key: 'e1',
        rule: 'most_recent',
        load_id: 'load-1',
      },
      {
        attribute: 'email',
        value: 'robert.brown@web.example',
        source: 'web',
        record_key: 'w1',
        rule: 'source_priority>most_recent',
        load_id: 'load-1',
      },
      {
        attribute: 'first_name',
        value: 'Robert',
        source: 'web',
        record_key: 'w1',
        rule: 'most_frequent>most_recent',
        load_id: 'load-1',
      },
    ]);
  });

  it('takes the rules and source priority from the config', async () => {
    const cfg = profilesConfig(
      `  survivorship:
    name: source_priority
    email: most_recent
    address: longest`,
      { sourcePriority: ['erp'] },
    );
    await playNight(wh, '2024-04-01T02:00:00Z', cfg);
    expect(await wh.one('SELECT first_name, email, address, city FROM core.dim_customer')).toEqual({
      first_name: 'Bob',
      email: 'bob@erp.example',
      address: '1 High St',
      city: 'Derby',
    });
    // Longest is measured over the whole group (address, postcode, city, country).
    const longest = profilesConfig(`  survivorship:\n    address: longest then most_recent`);
    await setParties(
      wh,
      records.map((r) => (r.key === 'e1' ? { ...r, address: '9 Low Road Trading Estate' } : r)),
    );
    await playNight(wh, '2024-04-02T02:00:00Z', longest);
    expect(await wh.one('SELECT address, postcode, city FROM core.dim_customer')).toEqual({
      address: '9 Low Road Trading Estate',
      postcode: null,
      city: 'Hull',
    });
  });

  it('names the config key when a rule or attribute is wrong', () => {
    expect(() => resolveSurvivorship({ adress: 'most_recent' })).toThrow(
      /profiles\.survivorship\.adress: not a profile attribute; did you mean "address"\?/,
    );
    expect(() => resolveSurvivorship({ email: 'most_recnt' })).toThrow(
      /profiles\.survivorship\.email: unknown rule "most_recnt"; did you mean "most_recent"\?/,
    );
    expect(() => resolveSurvivorship({ name: 'most_recent', first_name: 'longest' })).toThrow(
      /conflicts with another rule for the "name" group/,
    );
    expect(
      resolveSurvivorship({ middle_name: 'most_recent, source_priority' }).find(
        (r) => r.group.name === 'name',
      )?.label,
    ).toBe('most_recent>source_priority');
    expect(
      resolveSurvivorship({ last_name: 'longest then most_recent' }).find(
        (r) => r.group.name === 'last_name',
      )?.label,
    ).toBe('longest>most_recent');
  });

  it('keeps deceased and closed flags from all records', async () => {
    await setParties(
      wh,
      records.map((r) =>
        r.key === 'e1' ? { ...r, status: 'deceased' } : { ...r, status: 'closed' },
      ),
    );
    await playNight(wh, '2024-04-01T02:00:00Z');
    expect(await wh.one('SELECT is_deceased, is_closed FROM core.dim_customer')).toEqual({
      is_deceased: true,
      is_closed: false,
    });
  });

  it('rewrites the lineage only of customers whose values, winning records or loads changed', async () => {
    const other: Party = {
      customer: 2,
      source: 'billing',
      key: 'b2',
      last_name: 'Other',
      city: 'Ely',
    };
    await setParties(wh, [...records, other]);
    const first = await playNight(wh, '2024-04-01T02:00:00Z');
    // Night 2: only customer 1's ERP record was re-landed (a new load) with a new city.
    await setParties(wh, [
      ...records.map((r) =>
        r.key === 'e1' ? { ...r, city: 'York', updated_at: '2024-03-20T00:00:00Z' } : r,
      ),
      other,
    ]);
    await wh.run("UPDATE staging.party_records SET _load_id = 'load-2' WHERE record_key = 'e1'");
    const second = await playNight(wh, '2024-04-02T02:00:00Z');
    expect(
      await wh.all(
        'SELECT customer_id, run_id, count(*) AS n FROM core.customer_attribute_lineage GROUP BY ALL ORDER BY 1',
      ),
    ).toEqual([
      { customer_id: 1, run_id: second.runId, n: 7 },
      { customer_id: 2, run_id: first.runId, n: 3 },
    ]);
    expect(
      await wh.one(
        "SELECT value, load_id FROM core.customer_attribute_lineage WHERE customer_id = 1 AND attribute = 'city'",
      ),
    ).toEqual({ value: 'York', load_id: 'load-2' });
  });
});

describe('golden names in one script', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await memoryWarehouse();
    await createUpstreamTables(wh);
  });
  afterEach(() => wh.close());

  it('never mixes scripts: a Latin first name and a Cyrillic family name from another record are shown in Latin', async () => {
    await setParties(wh, [
      // two systems write her first name in Latin; the newest record has her family name in Cyrillic
      {
        customer: 1,
        source: 'billing',
        key: 'b1',
        first_name: 'Ekaterina',
        last_name: 'Volkova',
        updated_at: '2024-01-01T00:00:00Z',
      },
      {
        customer: 1,
        source: 'erp',
        key: 'e1',
        first_name: 'Ekaterina',
        updated_at: '2024-02-01T00:00:00Z',
      },
      {
        customer: 1,
        source: 'pos',
        key: 'p1',
        first_name: 'Екатерина',
        last_name: 'Волкова',
        updated_at: '2024-03-01T00:00:00Z',
      },
      // one script throughout: left as it is
      {
        customer: 2,
        source: 'pos',
        key: 'p2',
        first_name: 'Пётр',
        last_name: 'Щукин',
        updated_at: '2024-03-01T00:00:00Z',
      },
    ]);
    await playNight(wh, '2024-04-01T02:00:00Z', profilesConfig(''));
    expect(
      await wh.all(
        'SELECT customer_id, first_name, last_name, full_name FROM core.dim_customer ORDER BY customer_id',
      ),
    ).toEqual([
      {
        customer_id: 1,
        first_name: 'Ekaterina',
        last_name: 'Volkova',
        full_name: 'Ekaterina Volkova',
      },
      { customer_id: 2, first_name: 'Пётр', last_name: 'Щукин', full_name: 'Пётр Щукин' },
    ]);
  });
});
