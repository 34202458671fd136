import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainPair } from '../../identity/explain.ts';
import { formatExplanation } from '../../identity/format.ts';
import { COMPARISONS } from '../../identity/comparisons.ts';
import { identitySettings } from '../../identity/settings.ts';
import { party } from './fixtures/party-row.ts';
import { DEFAULT_IDENTITY_CONFIG, scenario, type Scenario } from './fixtures/scenario.ts';

const SETTINGS = identitySettings(DEFAULT_IDENTITY_CONFIG);

describe('cdw identity explain', () => {
  let s: Scenario;

  beforeAll(async () => {
    s = await scenario({ people: 800, seed: 5 });
    await s.put([
      party('test.crm:m1', {
        first: 'Wilhelmina',
        last: 'Fairweather',
        birth: '1983-07-21',
        email: 'wfair@example.net',
        mobile: '+15551230001',
        address: '3 Birch Ct',
        postcode: '90100',
      }),
      party('test.web:m2', {
        first: 'Mina',
        given: 'wilhelmina',
        last: 'Fairweather',
        birth: '1983-07-21',
        mobile: '+15551230001',
      }),
      party('test.pos:u1', {
        first: 'Octavius',
        last: 'Pemberton-Lisle',
        birth: '1950-01-02',
        address: '77 Cedar Ln',
        postcode: '97000',
      }),
    ]);
    await s.run('e1');
  });
  afterAll(() => s?.close());

  it('explains a matched pair: levels, weights adding up to the total, and the link', async () => {
    const e = await explainPair(s.wh, 'test.crm:m1', 'test.web:m2', SETTINGS);
    expect(e.fields.map((f) => f.comparison)).toEqual(COMPARISONS.map((c) => c.name));
    const by = Object.fromEntries(e.fields.map((f) => [f.comparison, f]));
    expect(by.first_name).toMatchObject({ level: 4, label: 'same name group (nickname)' });
    expect(by.last_name).toMatchObject({ level: 4, label: 'exact (or first/last swapped)' });
    expect(by.birth_date).toMatchObject({ level: 6, label: 'exact' });
    expect(by.phone).toMatchObject({
      level: 4,
      label: 'same personal number (a mobile, or one that may be)',
    });
    expect(by.email).toMatchObject({ level: -1, weight: 0 });
    expect(by.birth_date!.weight).toBeGreaterThan(5);
    expect(e.totalWeight).toBeCloseTo(
      e.priorWeight + e.fields.reduce((x, f) => x + f.weight + f.tfAdjustment, 0),
      9,
    );
    expect(e.probability).toBeGreaterThan(0.99);
    expect(e.blockedBy).toEqual([
      'unnest(phones)',
      'unnest(phone_heads)',
      'unnest(phone_tails)',
      'given_key & last_sk',
      'birth_date & last_initial',
      'last_sk & birth_date',
    ]);
    expect(e.linked).toBe(true);
    expect(e.linkedBy).toBe('phone');
    expect(e.customerA).toBe(e.customerB);
    const text = formatExplanation(e);
    expect(text).toContain('MATCH — linked by phone');
    expect(text).toContain('blocked by        unnest(phones); unnest(phone_heads);');
    expect(text).toMatch(/birth_date\s+6\s+exact/);
    expect(text).not.toContain('+15551230001');
  });

  it('explains a pair no blocking rule ever paired, computed on the fly', async () => {
    const e = await explainPair(s.wh, 'test.crm:m1', 'test.pos:u1', SETTINGS);
    expect(e.blockedBy).toEqual([]);
    expect(e.linked).toBe(false);
    expect(e.reason).toMatch(/^probability 0\.0+ is below the threshold 0\.9$/);
    const by = Object.fromEntries(e.fields.map((f) => [f.comparison, f]));
    expect(by.first_name).toMatchObject({ level: 0, label: 'different' });
    expect(by.first_name!.weight).toBeLessThan(0);
    expect(by.birth_date).toMatchObject({ level: 0 });
    expect(e.probability).toBeLessThan(0.001);
    expect(e.customerA).not.toBe(e.customerB);
    expect(formatExplanation(e)).toContain('NO MATCH: probability 0.0000 is below the threshold');
  });

  it('names a record the last run did not see', async () => {
    await expect(explainPair(s.wh, 'test.crm:m1', 'test.crm:nope', SETTINGS)).rejects.toThrow(
      'record test.crm:nope is not in staging.party_records',
    );
  });
});
