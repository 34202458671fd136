import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { party } from './fixtures/party-row.ts';
import { scenario, type Scenario } from './fixtures/scenario.ts';

const SWITCHBOARD = '+15559990000';
const names = ['Ingrid', 'Bartosz', 'Caspian', 'Dolores', 'Evander', 'Philippa'];

describe('shared identifiers', () => {
  let s: Scenario;

  beforeAll(async () => {
    s = await scenario({ people: 800, seed: 3 });
    await s.put([
      // a company switchboard on six different people
      ...names.map((n, i) =>
        party(`test.erp:sw${i}`, { first: n, last: `Zwiebelmann${i}`, phone: SWITCHBOARD }),
      ),
      // junk e-mail on four different people
      ...names.slice(0, 4).map((n, i) =>
        party(`test.web:junk${i}`, {
          first: n,
          last: `Quillfeather${i}`,
          email: 'test@test.com',
        }),
      ),
      // spouses: one landline, one family e-mail, one address, different first names and birth dates
      party('test.billing:h1', {
        first: 'Harriet',
        last: 'Blomqvist',
        birth: '1971-03-09',
        phone: '+15558887777',
        email: 'blomqvistfam@example.com',
        address: '12 Fjord Rd',
        postcode: '90210',
        gender: 'F',
      }),
      party('test.billing:h2', {
        first: 'Torsten',
        last: 'Blomqvist',
        birth: '1968-11-30',
        phone: '+15558887777',
        email: 'blomqvistfam@example.com',
        address: '12 Fjord Rd',
        postcode: '90210',
        gender: 'M',
      }),
      party('test.crm:h3', { first: 'Torsten', last: 'Blomqvist', phone: '+15558887777' }),
      // one person, two cards records
      party('test.pos:k1', { first: 'Konstantin', last: 'Ravensworth', card: 'LC-0042-7777' }),
      party('test.pos:k2', {
        first: 'Kostya',
        given: 'konstantin',
        last: 'Ravensworth',
        card: 'lc00427777',
      }),
    ]);
    await s.run('n1');
  });
  afterAll(() => s?.close());

  it('a value held by more people than the limit links nobody and is listed by hash and mask', async () => {
    const customers = new Set(
      await Promise.all(names.map((_, i) => s.customerOf(`test.erp:sw${i}`))),
    );
    expect(customers.size).toBe(6);
    const row = await s.wh.one<{
      kind: string;
      value_masked: string;
      holders: number;
      records: number;
      limit_used: number;
      hash_ok: boolean;
    }>(
      "SELECT kind, value_masked, holders, records, limit_used, value_hash = sha256($1) AS hash_ok FROM identity.shared_identifiers WHERE run_id = 'n1' AND value_hash = sha256($1)",
      [SWITCHBOARD],
    );
    expect(row).toEqual({
      kind: 'phone',
      value_masked: '+1********00',
      holders: 6,
      records: 6,
      limit_used: 4,
      hash_ok: true,
    });
    const email = await s.wh.one<{ kind: string; value_masked: string }>(
      "SELECT kind, value_masked FROM identity.shared_identifiers WHERE value_hash = sha256('test@test.com')",
    );
    expect(email).toEqual({ kind: 'email', value_masked: 't***@test.com' });
    for (const i of [0, 1, 2])
      expect(await s.customerOf(`test.web:junk${i}`)).not.toBe(
        await s.customerOf(`test.web:junk${i + 1}`),
      );
  });

  it('never writes a shared value into the logs', () => {
    expect(s.logs.join('\n')).not.toContain(SWITCHBOARD);
    expect(s.logs.join('\n')).not.toContain('test@test.com');
  });

  it('a household landline and family e-mail do not merge spouses, but do link the same first name', async () => {
    const harriet = await s.customerOf('test.billing:h1');
    const torsten = await s.customerOf('test.billing:h2');
    expect(harriet).not.toBe(torsten);
    expect(await s.customerOf('test.crm:h3')).toBe(torsten);
    const hh = await s.wh.all<{ customer_id: number; household_id: number; role: string }>(
      'SELECT customer_id, household_id, role FROM core.dim_household WHERE customer_id IN ($1, $2) ORDER BY customer_id',
      [harriet, torsten],
    );
    expect(hh.map((h) => h.customer_id)).toEqual([harriet, torsten].sort((a, b) => a - b));
    expect(hh[0]!.household_id).toBe(hh[1]!.household_id);
    expect(hh[0]!.household_id).toBe(Math.min(harriet, torsten));
    expect(hh.map((h) => h.role)).toEqual(['primary', 'member']);
  });

  it('a loyalty card written two ways links one person', async () => {
    expect(await s.customerOf('test.pos:k2')).toBe(await s.customerOf('test.pos:k1'));
    expect(
      await s.wh.scalar(
        "SELECT linked_by FROM identity.links WHERE 'test.pos:k1' IN (party_uid_l, party_uid_r)",
      ),
    ).toBe('loyalty_card');
  });

  it('a higher limit from the config lets the value through (names still keep the people apart)', async () => {
    await s.run('n2', {}, { sharedIdentifierLimits: { phone: 10 } });
    expect(
      Number(
        await s.wh.scalar(
          "SELECT count(*) FROM identity.shared_identifiers WHERE run_id = 'n2' AND kind = 'phone'",
        ),
      ),
    ).toBe(0);
    const customers = new Set(
      await Promise.all(names.map((_, i) => s.customerOf(`test.erp:sw${i}`))),
    );
    expect(customers.size).toBe(6);
  });
});
