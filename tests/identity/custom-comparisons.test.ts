import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../jobs/cli/main.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { captureIO } from '../helpers/cli.ts';
import { tempDir } from '../helpers/warehouse.ts';

const FIRST = ['anna', 'boris', 'clara', 'dmitri', 'elena', 'fyodor', 'galina', 'hugo', 'irina'];
const LAST = ['abbot', 'bauer', 'cohen', 'dorn', 'eliot', 'faulk', 'grimm', 'holt', 'ivers'];
const JOBS = ['baker', 'carpenter', 'nurse', 'teacher', 'pilot', 'welder', 'tailor', 'clerk'];
const PLACES = ['leeds', 'york', 'hull', 'bath', 'ely', 'wells'];

/** 120 people, a third of them twice (the second with a typo in the occupation). */
function peopleCsv(): string {
  const rows = ['id,given,surname,born,job,place'];
  for (let i = 0; i < 120; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    const born = `19${String(50 + (i % 40)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`;
    const job = JOBS[(i * 7) % JOBS.length]!;
    const place = PLACES[(i * 5) % PLACES.length]!;
    rows.push(`p${i},${first},${last},${born},${job},${place}`);
    if (i % 3 === 0) rows.push(`p${i}b,${first},${last},,${job.slice(0, -1)}x,${place}`);
  }
  return `${rows.join('\n')}\n`;
}

describe('comparisons the config adds over mapped attributes', () => {
  const t = tempDir('cdw-custom-cmp-');
  const cfg = path.join(t.dir, 'cdw.yaml');
  const cdw = async (...args: string[]) => {
    const io = captureIO();
    const code = await main(['node', 'cdw', '-c', cfg, ...args], io);
    return { code, out: io.outText(), err: io.errText() };
  };

  beforeAll(() => {
    writeFileSync(path.join(t.dir, 'people.csv'), peopleCsv());
    writeFileSync(
      cfg,
      [
        'warehouse:',
        '  path: w.duckdb',
        'sources:',
        '  - name: hr',
        '    kind: csv',
        '    connection: { dir: . }',
        '    tables:',
        '      - name: people',
        '        entity: party',
        '        path: people.csv',
        '        primary_key: id',
        '        mapping:',
        '          record_key: id',
        '          first_name: given',
        '          last_name: surname',
        '          birth_date: born',
        '          attributes.occupation: job',
        '          attributes.birth_place: place',
        'identity:',
        '  comparisons:',
        '    - { name: occupation, field: attributes.occupation, type: fuzzy_text, tf: true }',
        '    - { name: birth_place, field: attributes.birth_place, type: exact }',
        '  blocking_rules: ["cx_birth_place & first_initial"]',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => t.cleanup());

  it('stages the attributes, trains the comparisons with EM and explains them', async () => {
    const run = await cdw('run');
    expect(run.code, run.err).toBe(0);
    const wh = await Warehouse.open(path.join(t.dir, 'w.duckdb'), { readOnly: true });
    try {
      expect(
        await wh.one(
          "SELECT attributes['occupation'] AS job, attributes['birth_place'] AS place FROM staging.party_records WHERE record_key = 'p3b'",
        ),
      ).toEqual({ job: 'weldex', place: 'bath' });
      const levels = await wh.all<{ comparison: string; level: number; m_source: string }>(
        "SELECT comparison, level, m_source FROM identity.model_params WHERE comparison IN ('occupation', 'birth_place') ORDER BY 1, 2",
      );
      expect(levels.map((l) => `${l.comparison}:${l.level}`)).toEqual([
        'birth_place:0',
        'birth_place:1',
        'occupation:0',
        'occupation:1',
        'occupation:2',
        'occupation:3',
      ]);
      // EM saw enough of the exact levels to own them
      expect(levels.find((l) => l.comparison === 'birth_place' && l.level === 1)!.m_source).toBe(
        'em',
      );
      const rules = await wh.all<{ rule: string }>('SELECT rule FROM identity.blocking_stats');
      expect(rules.map((r) => r.rule)).toContain('cx_birth_place & first_initial');
      expect(rules.map((r) => r.rule)).toContain('names_key'); // the defaults stay
    } finally {
      wh.close();
    }
    const e = await cdw('identity', 'explain', 'hr.people:p3', 'hr.people:p3b');
    expect(e.code, e.err).toBe(0);
    expect(e.out).toMatch(/occupation\s+2\s+one typo/);
    expect(e.out).toMatch(/birth_place\s+1\s+exact/);
    expect(e.out).toContain('MATCH');
  });
});
