import { listValue } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setOverride } from '../../identity/overrides.ts';
import { party } from './fixtures/party-row.ts';
import { scenario, type Scenario } from './fixtures/scenario.ts';

const alice = {
  first: 'Alice',
  last: 'Quenneville',
  birth: '1980-05-17',
  email: 'aq.unique7@example.net',
  mobile: '+15550001111',
  address: '5 Elm St',
  postcode: '90001',
  gender: 'F',
};

describe('persistent customer ids across nights', () => {
  let s: Scenario;
  const ids: Record<string, number> = {};
  let firstNight: Map<string, number>;

  beforeAll(async () => {
    s = await scenario({ people: 1200, seed: 11 });
    await s.put([
      party('test.crm:a1', alice),
      party('test.web:a2', { first: 'Alice', last: 'Quenneville', email: alice.email }),
      party('test.pos:a3', {
        first: 'Ali',
        given: 'alice',
        last: 'Quenneville',
        mobile: alice.mobile,
        birth: alice.birth,
      }),
      // two records of one Carol that share nothing but a first name: two customers until a
      // bridge arrives (a rare full name alone is enough to link, a first name is not)
      party('test.pos:c1', {
        first: 'Carolyn',
        email: 'cvk.private@example.org',
      }),
      party('test.billing:c2', {
        first: 'Carolyn',
        last: 'Vanderkolk',
        mobile: '+15550002222',
        birth: '1975-02-02',
        address: '9 Oak Ave',
        postcode: '90002',
      }),
      party('test.crm:b1', {
        first: 'Bartholomew',
        last: 'Oyelaran',
        email: 'bo.unique@example.com',
        birth: '1969-12-01',
      }),
      party('test.crm:d1', { first: 'Desmond', last: 'Achterberg', mobile: '+15550003333' }),
    ]);
    await s.run('night-1');
    firstNight = new Map(
      (
        await s.wh.all<{ party_uid: string; customer_id: number }>(
          'SELECT party_uid, customer_id FROM core.customer_xref',
        )
      ).map((r) => [r.party_uid, r.customer_id]),
    );
    for (const uid of [
      'test.crm:a1',
      'test.pos:c1',
      'test.billing:c2',
      'test.crm:b1',
      'test.crm:d1',
    ])
      ids[uid] = await s.customerOf(uid);
  });
  afterAll(() => s?.close());

  it('gives one id per person on the first night, one xref row per record', async () => {
    expect(await s.customerOf('test.web:a2')).toBe(ids['test.crm:a1']);
    expect(await s.customerOf('test.pos:a3')).toBe(ids['test.crm:a1']);
    expect(ids['test.pos:c1']).not.toBe(ids['test.billing:c2']);
    const rows = await s.wh.one<{ n: number; uids: number; staged: number }>(
      'SELECT count(*) AS n, count(DISTINCT party_uid) AS uids, (SELECT count(*) FROM staging.party_records) AS staged FROM core.customer_xref',
    );
    expect(rows).toEqual({ n: rows!.staged, uids: rows!.staged, staged: rows!.staged });
  });

  it('keeps every id when nothing changed (night 2)', async () => {
    const r = await s.run('night-2');
    expect(r.newCustomers).toBe(0);
    expect(r.merges).toBe(0);
    expect(r.splits).toBe(0);
    const now = await s.wh.all<{ party_uid: string; customer_id: number }>(
      'SELECT party_uid, customer_id FROM core.customer_xref',
    );
    const changed = now.filter((x) => firstNight.get(x.party_uid) !== x.customer_id);
    expect(changed).toEqual([]);
    expect(Number(await s.wh.scalar('SELECT count(*) FROM identity.id_history'))).toBe(0);
  });

  // nights 3 to 5 retrain the model on changed data, so only the hand-written people are pinned
  it('a new record joins an existing customer and a bridge merges two customers into the older id (night 3)', async () => {
    await s.put([
      party('test.web:a4', {
        first: 'Alice',
        last: 'Quenneville',
        email: alice.email,
        birth: alice.birth,
      }),
      party('test.web:c3', {
        first: 'Carolyn',
        last: 'Vanderkolk',
        email: 'cvk.private@example.org',
        mobile: '+15550002222',
      }),
    ]);
    const r = await s.run('night-3');
    expect(await s.customerOf('test.web:a4')).toBe(ids['test.crm:a1']);
    const older = Math.min(ids['test.pos:c1']!, ids['test.billing:c2']!);
    const younger = Math.max(ids['test.pos:c1']!, ids['test.billing:c2']!);
    for (const uid of ['test.pos:c1', 'test.billing:c2', 'test.web:c3'])
      expect(await s.customerOf(uid)).toBe(older);
    expect(r.merges).toBeGreaterThanOrEqual(1);
    const h = await s.wh.all(
      'SELECT old_id, new_id, event, run_id FROM identity.id_history WHERE old_id IN ($1, $2)',
      [older, younger],
    );
    expect(h).toEqual([{ old_id: younger, new_id: older, event: 'merge', run_id: 'night-3' }]);
    expect(await s.wh.scalar('SELECT identity.resolve_id($1::BIGINT)', [younger])).toBe(older);
    expect(
      await s.wh.one(
        'SELECT customer_id, current_id, is_retired FROM public.customer_id_map WHERE customer_id = $1',
        [younger],
      ),
    ).toEqual({
      customer_id: younger,
      current_id: older,
      is_retired: true,
    });
    expect(
      await s.wh.one(
        'SELECT retired_run, retired_into FROM identity.customer_ids WHERE customer_id = $1',
        [younger],
      ),
    ).toEqual({ retired_run: 'night-3', retired_into: older });
  });

  it('a cannot-link splits a customer: the larger part keeps the id, history records the split (night 4)', async () => {
    const aliceId = ids['test.crm:a1']!;
    await setOverride(s.wh, 'test.crm:a1', 'test.pos:a3', 'cannot_link', {
      reason: 'different people',
    });
    const r = await s.run('night-4');
    const a1 = await s.customerOf('test.crm:a1');
    const a3 = await s.customerOf('test.pos:a3');
    expect(a1).not.toBe(a3);
    const parts = await s.wh.all<{ customer_id: number; n: number }>(
      "SELECT customer_id, count(*) AS n FROM core.customer_xref WHERE party_uid LIKE 'test.%:a%' GROUP BY 1 ORDER BY n DESC",
    );
    expect(parts.length).toBe(2);
    expect(parts[0]!.customer_id).toBe(aliceId);
    expect(parts[0]!.n).toBeGreaterThan(parts[1]!.n);
    expect(r.splits).toBeGreaterThanOrEqual(1);
    const split = await s.wh.all(
      "SELECT old_id, new_id, event, run_id, reason FROM identity.id_history WHERE event = 'split' AND old_id = $1",
      [aliceId],
    );
    expect(split).toEqual([
      {
        old_id: aliceId,
        new_id: parts[1]!.customer_id,
        event: 'split',
        run_id: 'night-4',
        reason: expect.stringMatching(/^cannot-link override/),
      },
    ]);
    const splits = await s.wh.all<{ reason: string }>(
      "SELECT reason FROM identity.cluster_splits WHERE run_id = 'night-4'",
    );
    expect(splits.map((x) => x.reason)).toContain('cannot-link');
  });

  it('a must-link joins two unrelated records, linked by override (night 5)', async () => {
    await setOverride(s.wh, 'test.crm:b1', 'test.crm:d1', 'must_link');
    await s.run('night-5');
    const b = await s.customerOf('test.crm:b1');
    expect(await s.customerOf('test.crm:d1')).toBe(b);
    expect(b).toBe(Math.min(ids['test.crm:b1']!, ids['test.crm:d1']!));
    const linked = await s.wh.all<{ linked_by: string }>(
      "SELECT linked_by FROM core.customer_xref WHERE party_uid IN ('test.crm:b1', 'test.crm:d1') ORDER BY linked_by",
    );
    expect(linked.map((x) => x.linked_by)).toEqual(['override', 'self']);
  });

  it('a record that leaves every source keeps its customer for when it comes back (nights 6 and 7)', async () => {
    const before = await s.customerOf('test.web:a4');
    const row = await s.wh.all('SELECT * FROM staging.party_records WHERE party_uid = $1', [
      'test.web:a4',
    ]);
    await s.remove(['test.web:a4']);
    await s.run('night-6');
    expect(
      Number(
        await s.wh.scalar(
          "SELECT count(*) FROM core.customer_xref WHERE party_uid = 'test.web:a4'",
        ),
      ),
    ).toBe(0);
    expect(
      await s.wh.one(
        "SELECT customer_id, present, last_run FROM identity.record_map WHERE party_uid = 'test.web:a4'",
      ),
    ).toEqual({
      customer_id: before,
      present: false,
      last_run: 'night-5',
    });
    expect(row.length).toBe(1);
    await s.put([
      party('test.web:a4', {
        first: 'Alice',
        last: 'Quenneville',
        email: alice.email,
        birth: alice.birth,
      }),
    ]);
    await s.run('night-7');
    expect(await s.customerOf('test.web:a4')).toBe(before);
  });

  it('every id issued on the first night still resolves to a live customer', async () => {
    const saved = [...new Set(firstNight.values())];
    const dead = await s.wh.all(
      `SELECT id FROM unnest($1::BIGINT[]) t(id)
       WHERE identity.resolve_id(id) IS NULL OR identity.resolve_id(id) NOT IN (SELECT customer_id FROM core.customer_xref)`,
      [listValue(saved)],
    );
    expect(dead).toEqual([]);
  });
});
