import { formatTable } from '../foundation/format-table.ts';
import type { Evaluation } from './evaluate.ts';
import type { PairExplanation } from './explain.ts';
import type { OverrideRow } from './overrides.ts';
import type { CustomerView } from './show-customer.ts';

const num = (x: number, d = 2) => Number(x.toFixed(d));

/** Text of `cdw identity explain`. */
export function formatExplanation(e: PairExplanation): string {
  const rows = e.fields.map((f) => [
    f.comparison,
    f.level,
    f.label,
    f.m === null ? null : num(f.m, 4),
    f.u === null ? null : Number(f.u.toPrecision(3)),
    num(f.weight),
    num(f.tfAdjustment),
  ]);
  const same = e.customerA !== null && e.customerA === e.customerB;
  return [
    `${e.a}  vs  ${e.b}   (model of run ${e.runId})`,
    '',
    formatTable(['comparison', 'level', 'meaning', 'm', 'u', 'weight', 'tf adj'], rows),
    '',
    `prior weight      ${e.priorWeight.toFixed(2)}`,
    `total weight      ${e.totalWeight.toFixed(2)}`,
    `probability       ${e.probability.toFixed(6)}   (threshold ${e.threshold})`,
    `blocked by        ${e.blockedBy.length > 0 ? e.blockedBy.join('; ') : 'no rule (scored here on the fly)'}`,
    `shared ids        ${e.identifiers.length === 0 ? 'none' : e.identifiers.map((i) => `${i.kind}${i.note ? ` (${i.note})` : ''}`).join(', ')}`,
    `override          ${e.override ?? 'none'}`,
    `decision          ${e.linked ? `MATCH — linked by ${e.linkedBy}` : 'NO MATCH'}: ${e.reason}`,
    `customers now     ${e.customerA ?? '?'} and ${e.customerB ?? '?'}${same ? ' (the same customer)' : ''}`,
    '',
  ].join('\n');
}

/** Text of `cdw identity show`. */
export function formatCustomer(v: CustomerView): string {
  const out = [
    v.requestedId === v.customerId
      ? `customer ${v.customerId}`
      : `customer ${v.customerId} (id ${v.requestedId} now means ${v.customerId})`,
    '',
  ];
  out.push(
    `records (${v.records.length})`,
    formatTable(
      ['party_uid', 'linked by', 'probability'],
      v.records.map((r) => [r.party_uid, r.linked_by, num(r.match_probability, 4)]),
    ),
    '',
  );
  out.push(
    `links holding them together (${v.links.length})`,
    v.links.length === 0
      ? '  (a single record)'
      : formatTable(
          ['record', 'record', 'linked by', 'weight', 'probability'],
          v.links.map((l) => [
            l.party_uid_l,
            l.party_uid_r,
            l.linked_by,
            l.match_weight === null ? null : num(l.match_weight),
            l.match_probability === null ? null : num(l.match_probability, 4),
          ]),
        ),
    '',
  );
  if (v.history.length > 0) {
    out.push(
      'id history',
      formatTable(
        ['old id', 'new id', 'event', 'run', 'reason'],
        v.history.map((h) => [h.old_id, h.new_id, h.event, h.run_id, h.reason]),
      ),
      '',
    );
  }
  if (v.household)
    out.push(
      `household ${v.household.household_id} (${v.household.role}, ${v.household.members} customers)`,
      '',
    );
  return out.join('\n');
}

export function formatOverrides(rows: readonly OverrideRow[]): string {
  if (rows.length === 0) return 'no overrides\n';
  return `${formatTable(
    ['record', 'record', 'kind', 'reason', 'by', 'created'],
    rows.map((o) => [o.party_uid_a, o.party_uid_b, o.kind, o.reason, o.created_by, o.created_at]),
  )}\n`;
}

/** Text of `cdw identity evaluate`. */
export function formatEvaluation(e: Evaluation): string {
  const p = (x: number) => x.toFixed(4);
  const out = [
    `records evaluated        ${e.records}`,
    `clusters                 truth ${e.clusters.truth}, predicted ${e.clusters.predicted}`,
    `pairwise                 precision ${p(e.pairwise.precision)}  recall ${p(e.pairwise.recall)}  F1 ${p(e.pairwise.f1)}   (${e.pairwise.truePositives} of ${e.pairwise.predictedPairs} predicted pairs right, ${e.pairwise.truePairs} true pairs)`,
    `B-cubed                  precision ${p(e.bcubed.precision)}  recall ${p(e.bcubed.recall)}  F1 ${p(e.bcubed.f1)}`,
  ];
  if (e.households)
    out.push(
      `households (people)      precision ${p(e.households.precision)}  recall ${p(e.households.recall)}  F1 ${p(e.households.f1)}`,
    );
  if (e.blocking.rules.length > 0) {
    const share = (n: number) =>
      e.blocking.truePairs === 0 ? '-' : `${((100 * n) / e.blocking.truePairs).toFixed(1)} %`;
    out.push(
      '',
      `blocking rules of the last run: ${e.blocking.truePairsPaired} of ${e.blocking.truePairs} true pairs paired by some rule (${share(e.blocking.truePairsPaired)})`,
      formatTable(
        ['rule', 'status', 'pairs', 'new pairs', 'true pairs found', 'share'],
        e.blocking.rules.map((r) => [
          r.rule,
          r.status,
          r.pairs,
          r.pairsNew,
          r.truePairsFound,
          share(r.truePairsFound),
        ]),
      ),
    );
  }
  out.push('', 'worst false merges (customers holding several true people)');
  out.push(
    e.worstMerges.length === 0
      ? '  none'
      : formatTable(
          ['customer', 'records', 'people', 'records (first 6)'],
          e.worstMerges.map((m) => [m.customer_id, m.records, m.people, m.party_uids.join(' ')]),
        ),
  );
  out.push('', 'worst splits (true people spread over several customers)');
  out.push(
    e.worstSplits.length === 0
      ? '  none'
      : formatTable(
          ['person', 'records', 'customers', 'records (first 6)'],
          e.worstSplits.map((s) => [s.person, s.records, s.customers, s.party_uids.join(' ')]),
        ),
  );
  return `${out.join('\n')}\n`;
}
