import os from 'node:os';
import path from 'node:path';
import { evaluateIdentity } from '../identity/evaluate.ts';
import { explainPair } from '../identity/explain.ts';
import { resolveIdentities } from '../identity/resolve-identities.ts';
import { identitySettings } from '../identity/settings.ts';
import type { Logger } from '../foundation/logger.ts';
import { Warehouse } from '../foundation/duckdb-client.ts';
import { migrate } from '../foundation/migrate.ts';
import {
  createPartyRecordsTable,
  loadPartyRecordsCsv,
} from '../tests/identity/fixtures/party-records-table.ts';
import { DEFAULT_IDENTITY_CONFIG } from '../tests/identity/fixtures/scenario.ts';
import { writeSyntheticCsv } from '../tests/identity/fixtures/write-synthetic.ts';
import { tempDir } from '../tests/helpers/warehouse.ts';
import { peakRssMb, timed } from './measure.ts';

/** Party records per synthetic person (measured on the fixture: 2.27–2.29). */
const RECORDS_PER_PERSON = 2.28;

/**
 * Identity resolution on `records` synthetic party records (default 1,000,000) in a file
 * warehouse: seconds of the first night and of an unchanged second night, candidate pairs, peak
 * RSS of this process, pairwise/B-cubed F1 against the generator's truth, and seconds per stage.
 * Staging is loaded before the clock starts. Options: `records`, `seed`, `memoryLimit` (DuckDB,
 * default 3GB), `threads`.
 */
export async function run(opts: {
  records?: number;
  seed?: number;
  memoryLimit?: string;
  threads?: number;
}): Promise<Record<string, unknown>[]> {
  const records = opts.records ?? 1_000_000;
  const tmp = tempDir('cdw-bench-identity-');
  const stages: Record<string, number> = {};
  const logger: Logger = {
    debug: (m) => {
      const hit = /^identity: (.+) in ([\d.]+)s$/.exec(m);
      if (hit) stages[hit[1]!] = Number(hit[2]);
    },
    info: () => {},
    warn: (m) => process.stderr.write(`${m}\n`),
    error: (m) => process.stderr.write(`${m}\n`),
  };
  try {
    const files = writeSyntheticCsv(
      { people: Math.round(records / RECORDS_PER_PERSON), seed: opts.seed ?? 1 },
      tmp.dir,
    );
    const wh = await Warehouse.open(path.join(tmp.dir, 'w.duckdb'), {
      memoryLimit: opts.memoryLimit ?? '3GB',
      threads: opts.threads,
      tempDirectory: path.join(tmp.dir, 'spill'),
    });
    try {
      await migrate(wh);
      await createPartyRecordsTable(wh);
      await loadPartyRecordsCsv(wh, files.partyFile);
      const settings = identitySettings(DEFAULT_IDENTITY_CONFIG);
      const cpu0 = process.cpuUsage();
      const first = await timed(() =>
        resolveIdentities(wh, settings, { runId: 'bench-1', logger }),
      );
      const cpu = process.cpuUsage(cpu0);
      const firstStages = { ...stages };
      const rssFirst = peakRssMb();
      const second = await timed(() =>
        resolveIdentities(wh, settings, { runId: 'bench-2', logger }),
      );
      const secondStages = { ...stages };
      const e = await evaluateIdentity(wh, files.truthFile);
      // `cdw identity explain` of a linked and of an unlinked candidate pair, after the run
      const samples = await wh.all<{ a: string; b: string }>(
        `(SELECT party_uid_l AS a, party_uid_r AS b FROM identity.pairs WHERE match_probability >= 0.9 LIMIT 1)
         UNION ALL (SELECT party_uid_l, party_uid_r FROM identity.pairs WHERE match_probability < 0.5 LIMIT 1)`,
      );
      const explainSeconds: number[] = [];
      const explainCpu0 = process.cpuUsage();
      for (const x of samples)
        explainSeconds.push((await timed(() => explainPair(wh, x.a, x.b, settings))).seconds);
      const explainCpu = process.cpuUsage(explainCpu0);
      return [
        {
          records: first.value.records,
          seconds: first.seconds,
          // CPU time of this process during the first night (DuckDB threads included): on a busy
          // machine wall seconds overstate the work, this does not
          cpu_seconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
          load_average: os.loadavg().map((x) => Number(x.toFixed(1))),
          second_night_seconds: second.seconds,
          candidate_pairs: first.value.candidatePairs,
          accepted_links: first.value.acceptedLinks,
          customers: first.value.customers,
          second_night_new_customers: second.value.newCustomers,
          second_night_merges: second.value.merges,
          second_night_splits: second.value.splits,
          peak_rss_mb: peakRssMb(),
          peak_rss_mb_after_first_night: rssFirst,
          pairwise_precision: round(e.pairwise.precision),
          pairwise_recall: round(e.pairwise.recall),
          pairwise_f1: round(e.pairwise.f1),
          bcubed_f1: round(e.bcubed.f1),
          households_f1: e.households ? round(e.households.f1) : null,
          explain_seconds: explainSeconds,
          explain_cpu_seconds: Number(((explainCpu.user + explainCpu.system) / 1e6).toFixed(2)),
          stages_seconds: firstStages,
          second_night_stages_seconds: secondStages,
          data: 'synthetic people (tests/identity/fixtures), harsher than the demo',
        },
      ];
    } finally {
      wh.close();
    }
  } finally {
    tmp.cleanup();
  }
}

function round(x: number): number {
  return Number(x.toFixed(4));
}
