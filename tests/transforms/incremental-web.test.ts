import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import { configWith, rawTable, runTransform, source, table } from './fixtures.ts';
import { snapshotStaging, stagingDifferences } from './staging-snapshot.ts';

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
});
afterEach(() => wh.close());

const HITS = ['hit', 'ts', 'cookie', 'uid', 'url', 'ua'];
const UA = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0';
// sessions end after 30 minutes without a hit (the default timeout)
const config = configWith([
  source('web', [
    table('web', 'access', 'web_hit', {
      record_key: 'hit',
      occurred_at: 'ts',
      cookie_id: 'cookie',
      user_id: 'uid',
      url: 'url',
      user_agent: 'ua',
    }),
  ]),
]);

let night = 0;
type Hit = [key: string, at: string, cookie: string | null, user: string | null];

/** Loads `hits` as tonight's raw rows, runs the transform and returns the hits it replaced or added. */
async function nightOf(hits: Hit[]): Promise<string[]> {
  night += 1;
  const load = {
    load: `r${night}/web.access`,
    at: `2024-03-${String(night).padStart(2, '0')}T02:00:00Z`,
  };
  await rawTable(
    wh,
    'web__access',
    HITS,
    hits.map(([key, at, cookie, user]) => ({
      ...load,
      values: [key, at, cookie, user, `/${key}`, UA],
    })),
    { append: night > 1 },
  );
  await wh.run(`DELETE FROM meta.staging_changes`).catch(() => undefined);
  const r = await runTransform(wh, config);
  expect(r.status).toBe('succeeded');
  const rows = await wh.all<{ uid: string | null }>(
    `SELECT uid FROM meta.staging_changes WHERE model = 'web_hits' ORDER BY uid`,
  );
  return rows.map((x) => (x.uid === null ? 'all' : x.uid.replace('web.access:', '')));
}

/** Tonight's staging equals what a full refresh of the same raw rows gives. */
async function expectSameAsFullRefresh(): Promise<void> {
  await wh.run(`DROP SCHEMA IF EXISTS incremental CASCADE`);
  await snapshotStaging(wh, 'incremental');
  const full = await runTransform(wh, config, { fullRefresh: true });
  expect(full.status).toBe('succeeded');
  expect(await stagingDifferences(wh, { schema: 'incremental' })).toEqual({});
}

const sessions = () =>
  wh.all(
    `SELECT cookie_id, user_id, user_id_from, strftime(started_at, '%d %H:%M') AS started, hits
     FROM staging.web_sessions ORDER BY cookie_id, started_at`,
  );

describe('incremental web sessions', () => {
  beforeEach(() => {
    night = 0;
  });

  it('sessionise again only the session that can still change, and land late hits as a full refresh does', async () => {
    // c1: two closed sessions on the 1st; c2: one visit; c3 no logged-in user yet
    expect(
      await nightOf([
        ['a1', '2024-03-01T08:00:00Z', 'c1', null],
        ['a2', '2024-03-01T08:20:00Z', 'c1', 'u1'],
        ['a3', '2024-03-01T10:00:00Z', 'c1', null],
        ['b1', '2024-03-01T09:00:00Z', 'c2', null],
        ['d1', '2024-03-01T07:00:00Z', 'c3', null],
        ['d2', '2024-03-01T12:00:00Z', 'c3', null],
      ]),
    ).toEqual(['all']);
    await expectSameAsFullRefresh();

    // night 2: c1 comes back within the gap of its last hit (a3 at 10:00): only that session
    // is sessionised again, not the closed one of 08:00
    expect(
      await nightOf([
        ['a4', '2024-03-01T10:25:00Z', 'c1', null],
        ['a5', '2024-03-02T09:00:00Z', 'c1', null],
      ]),
    ).toEqual(['a3', 'a4', 'a5']);
    await expectSameAsFullRefresh();

    // night 3: a hit arrives late for an old time, joining c1's two sessions of the 1st
    // (08:20 → 08:45 → 09:10 → 09:35 → 10:00: no gap over 30 minutes) and everything after
    // it is sessionised again; c2's late hit before its visit starts its session earlier
    expect(
      await nightOf([
        ['a6', '2024-03-01T08:45:00Z', 'c1', null],
        ['a7', '2024-03-01T09:10:00Z', 'c1', null],
        ['a8', '2024-03-01T09:35:00Z', 'c1', null],
        ['b0', '2024-03-01T08:40:00Z', 'c2', null],
      ]),
    ).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'b0', 'b1']);
    expect(
      (await sessions()).filter((s) => (s as { cookie_id: string }).cookie_id !== 'c3'),
    ).toEqual([
      { cookie_id: 'c1', user_id: 'u1', user_id_from: 'session', started: '01 08:00', hits: 7 },
      { cookie_id: 'c1', user_id: 'u1', user_id_from: 'cookie_link', started: '02 09:00', hits: 1 },
      { cookie_id: 'c2', user_id: null, user_id_from: null, started: '01 08:40', hits: 2 },
    ]);
    await expectSameAsFullRefresh();

    // night 4: c3 logs in as u3: its closed sessions, not sessionised again, take u3 from the
    // cookie's link
    expect(await nightOf([['d3', '2024-03-04T09:00:00Z', 'c3', 'u3']])).toEqual(['d3']);
    expect(
      (await sessions()).filter((s) => (s as { cookie_id: string }).cookie_id === 'c3'),
    ).toEqual([
      { cookie_id: 'c3', user_id: 'u3', user_id_from: 'cookie_link', started: '01 07:00', hits: 1 },
      { cookie_id: 'c3', user_id: 'u3', user_id_from: 'cookie_link', started: '01 12:00', hits: 1 },
      { cookie_id: 'c3', user_id: 'u3', user_id_from: 'session', started: '04 09:00', hits: 1 },
    ]);
    await expectSameAsFullRefresh();

    // night 5: a2 (c1's only hit with u1) is loaded again under another cookie and time: c1's
    // link to u1 goes, its sessions lose their user; the 1st's c1 session splits at 08:20
    expect(await nightOf([['a2', '2024-03-05T08:00:00Z', 'c9', 'u1']])).toEqual([
      'a1',
      'a2',
      'a3',
      'a4',
      'a5',
      'a6',
      'a7',
      'a8',
    ]);
    expect(
      await wh.all(`SELECT cookie_id, user_id, hits FROM staging.cookie_links ORDER BY ALL`),
    ).toEqual([
      { cookie_id: 'c3', user_id: 'u3', hits: 1 },
      { cookie_id: 'c9', user_id: 'u1', hits: 1 },
    ]);
    await expectSameAsFullRefresh();

    // night 6: c3 is seen again with u3 and, before it, with u4, twice (u4 then has more hits)
    await nightOf([
      ['d4', '2024-03-04T08:00:00Z', 'c3', 'u4'],
      ['d5', '2024-03-06T09:00:00Z', 'c3', 'u4'],
    ]);
    await expectSameAsFullRefresh();

    // night 7: u4's newest hit on c3 goes to another cookie: c3's link to u4 keeps one hit and
    // its last_seen is that of the hit left (08:00 on the 4th)
    await nightOf([['d5', '2024-03-06T09:00:00Z', 'c8', 'u4']]);
    expect(
      await wh.all(
        `SELECT user_id, hits, strftime(last_seen, '%d %H:%M') AS last_seen FROM staging.cookie_links WHERE cookie_id = 'c3' ORDER BY ALL`,
      ),
    ).toEqual([
      { user_id: 'u3', hits: 1, last_seen: '04 09:00' },
      { user_id: 'u4', hits: 1, last_seen: '04 08:00' },
    ]);
    await expectSameAsFullRefresh();
  }, 600_000);
});
