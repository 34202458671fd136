import { describe, expect, it } from 'vitest';
import { evaluateIdentity } from '../../identity/evaluate.ts';
import { scenario } from './fixtures/scenario.ts';

/**
 * Match quality on synthetic people with typos, nicknames, initials, swapped names, moves,
 * married names, shared landlines and family e-mails, namesakes and twins. The fixture is
 * harsher than the demo (a third of records carry little more than a name and one contact).
 */
describe.each([1, 2])('match quality on synthetic people (seed %i)', (seed) => {
  it('keeps pairwise precision at 0.985 and recall at 0.92 or better', async () => {
    const s = await scenario({ people: 2500, seed });
    try {
      const r = await s.run('q');
      // EM settles on this data (a likelihood that no longer improves), within the iterations
      expect(r.model.emConverged).toBe(true);
      const e = await evaluateIdentity(s.wh, s.truthFile);
      expect(e.records).toBe(
        Number(await s.wh.scalar('SELECT count(*) FROM staging.party_records')),
      );
      expect(e.pairwise.precision).toBeGreaterThanOrEqual(0.985);
      expect(e.pairwise.recall).toBeGreaterThanOrEqual(0.92);
      expect(e.pairwise.f1).toBeGreaterThanOrEqual(0.95);
      expect(e.bcubed.f1).toBeGreaterThanOrEqual(0.97);
      expect(e.households!.precision).toBeGreaterThanOrEqual(0.95);
    } finally {
      s.close();
    }
  });
});
