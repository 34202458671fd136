import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveIdentities } from '../../identity/resolve-identities.ts';
import { identitySettings } from '../../identity/settings.ts';
import { silentLogger } from '../../foundation/logger.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import { createPartyRecordsTable } from './fixtures/party-records-table.ts';
import { DEFAULT_IDENTITY_CONFIG } from './fixtures/scenario.ts';

describe('identity on degenerate input', () => {
  let wh: Warehouse;
  const settings = identitySettings(DEFAULT_IDENTITY_CONFIG);
  beforeEach(async () => {
    wh = await memoryWarehouse();
  });
  afterEach(() => wh.close());

  it('says the transform step must come first when staging has no party table', async () => {
    await expect(
      resolveIdentities(wh, settings, { runId: 'r', logger: silentLogger }),
    ).rejects.toThrow(
      'identity: staging.party_records does not exist yet; the transform step builds it',
    );
  });

  it('an empty staging gives no customers; a single record gets id 1, linked by self', async () => {
    await createPartyRecordsTable(wh);
    expect(
      await resolveIdentities(wh, settings, { runId: 'r1', logger: silentLogger }),
    ).toMatchObject({ records: 0, customers: 0, candidatePairs: 0 });
    await wh.run(
      "INSERT INTO staging.party_records (party_uid, source, source_table, record_key, first_key, last_key) VALUES ('a.b:1', 'a', 'b', '1', 'x', 'y')",
    );
    await resolveIdentities(wh, settings, { runId: 'r2', logger: silentLogger });
    expect(
      await wh.all(
        'SELECT customer_id, party_uid, match_probability, linked_by FROM core.customer_xref',
      ),
    ).toEqual([{ customer_id: 1, party_uid: 'a.b:1', match_probability: 1, linked_by: 'self' }]);
  });

  it('refuses unknown identifier kinds in the config, naming the known ones', () => {
    expect(() =>
      identitySettings({ ...DEFAULT_IDENTITY_CONFIG, deterministic: ['email', 'passport'] }),
    ).toThrow(
      'identity.deterministic: unknown identifier kind "passport"; known kinds: email, phone, loyalty_card, web_user_id, national_id, xref',
    );
    expect(() =>
      identitySettings({ ...DEFAULT_IDENTITY_CONFIG, sharedIdentifierLimits: { fax: 2 } }),
    ).toThrow('identity.shared_identifier_limits: unknown identifier kind "fax"');
  });
});
