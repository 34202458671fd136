import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { party } from './fixtures/party-row.ts';
import { scenario, type Scenario } from './fixtures/scenario.ts';

/** staging.interactions with the columns identity reads, as transforms/CONTEXT.md states them. */
const INTERACTIONS = `CREATE OR REPLACE TABLE staging.interactions (
  interaction_uid VARCHAR, party_uid VARCHAR, contact_first_key VARCHAR, contact_given_key VARCHAR,
  contact_last_key VARCHAR, email_key VARCHAR, phone_e164 VARCHAR)`;

describe('interactions without a party record, matched by the model', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await scenario({ people: 800, seed: 3 });
    await s.put([
      party('test.crm:w1', {
        first: 'Wilhelmina',
        last: 'Fairweather',
        birth: '1983-07-21',
        email: 'wilhelmina.fairweather@example.net',
        mobile: '+15551230001',
      }),
      party('test.crm:h1', { first: 'Ann', last: 'Oakes', phone: '+15557770000' }),
      party('test.crm:h2', { first: 'Bob', last: 'Oakes', phone: '+15557770000' }),
    ]);
    await s.wh.run(INTERACTIONS);
    await s.wh.run(`INSERT INTO staging.interactions VALUES
      -- a ticket with the name and an e-mail one typo away: the model finds her
      ('desk.tickets:t1', NULL, 'wilhelmina', 'wilhelmina', 'fairweather', 'wilhelmina.fairweather@exmple.net', NULL),
      -- a call from the household line two customers share: nobody in particular
      ('pbx.calls:c1', NULL, NULL, NULL, NULL, NULL, '+15557770000'),
      -- a ticket with the party key set is resolved by the key, not here
      ('desk.tickets:t2', 'test.crm:w1', 'wilhelmina', 'wilhelmina', 'fairweather', NULL, NULL)`);
    await s.run('c1');
  });
  afterAll(() => s?.close());

  it('gives a ticket with a name and a mistyped e-mail the customer the model finds', async () => {
    const m = await s.wh.all<{ interaction_uid: string; customer_id: number }>(
      'SELECT interaction_uid, customer_id FROM identity.contact_matches ORDER BY 1',
    );
    expect(m).toEqual([
      { interaction_uid: 'desk.tickets:t1', customer_id: await s.customerOf('test.crm:w1') },
    ]);
  });

  it('leaves a call from a line two customers share unmatched', async () => {
    expect(await s.customerOf('test.crm:h1')).not.toBe(await s.customerOf('test.crm:h2'));
    expect(
      Number(
        await s.wh.scalar(
          "SELECT count(*) FROM identity.contact_matches WHERE interaction_uid = 'pbx.calls:c1'",
        ),
      ),
    ).toBe(0);
  });
});
