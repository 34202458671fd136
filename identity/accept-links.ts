import type { Warehouse } from '../foundation/duckdb-client.ts';
import { quoteLiteral } from '../foundation/sql.ts';
import { kindBit } from './deterministic.ts';
import type { IdentitySettings } from './settings.ts';
import { overridePairsSql } from './overrides.ts';

/** Both first names known and clearly different (not a nickname, typo, initial or swap). */
export const NAME_CONFLICT = 'g_first_name = 0';
/** Both birth dates known and different beyond a one-digit typo or a day/month swap. */
export const BIRTH_CONFLICT = 'g_birth_date IN (0, 1, 2)';

/** First names or birth dates that truly differ (not a nickname, typo, initial, one day or a swap). */
export const NAME_OR_BIRTH_CONFLICT = `(${NAME_CONFLICT} OR ${BIRTH_CONFLICT})`;

/**
 * The pair agrees on something personal: a first name (nickname, small typo, initial or
 * swap included), a birth date (up to a typo or a day/month swap), an e-mail address or a mobile
 * number. Surname, address, postcode and landline are shared by a household; they add weight
 * but never link two records on their own.
 */
export const PERSON_EVIDENCE =
  'g_first_name >= 2 OR g_birth_date >= 3 OR g_email = 4 OR g_phone = 4 OR g_national_id >= 1';

/** The first names agree (exactly, as nicknames, up to a small typo, an initial, or swapped). */
export const NAME_AGREEMENT = 'g_first_name >= 2';

/** `linked_by` of links an analyst made. */
export const OVERRIDE = 'override';
export const PROBABILISTIC = 'probabilistic';

/**
 * Accepted links of this run into the temp table `accepted(l, r, linked_by, priority,
 * match_weight, match_probability)`:
 * - must-link overrides (priority 0);
 * - deterministic candidates (priority = 1 + the kind's place in settings.deterministic) that
 *   no comparison speaks strongly against (no level of `strongDisagreementBits` or less): an
 *   exact identifier whose value has one holder (its records' names are all compatible: an
 *   initial, a typo, a nickname or no name at all), or, for a value several people hold (a
 *   family e-mail, a household landline), a pair whose first names agree;
 * - pairs whose probability reaches the threshold and, when `requirePersonalEvidence` is on,
 *   that agree on something personal (PERSON_EVIDENCE: never on surname + address alone). Two
 *   records that were one customer last night stay linked down to `stickyMarginBits` below
 *   the threshold's weight, so a model retrained on slightly different data does not flip ids.
 * Evidence against a link (different names, birth dates, e-mails) is weighed by the model, not
 * vetoed here; only a certain conflict (`certainConflict`: e.g. two generational suffixes or
 * national ids that differ) refuses a link. Pairs under a cannot-link override are never accepted.
 */
export async function acceptLinks(
  wh: Warehouse,
  settings: IdentitySettings,
  certainConflict: string,
): Promise<number> {
  const notCertain = `NOT coalesce(${certainConflict}, false)`;
  const whens = settings.deterministic.map((kind, i) => {
    const bit = kindBit(settings, kind);
    return `WHEN ((det_mask >> ${bit}) & 1) = 1 AND ${notCertain} AND lowest_level_weight > $3 AND (((det_shared >> ${bit}) & 1) = 0 OR ${NAME_AGREEMENT}) THEN ${quoteLiteral(kind)}::VARCHAR || '|' || ${i + 1}`;
  });
  const evidence = settings.requirePersonalEvidence ? ` AND (${PERSON_EVIDENCE})` : '';
  const probabilistic = `WHEN (match_probability >= $1 OR (was_together AND match_weight >= $2)) AND ${notCertain}${evidence} THEN '${PROBABILISTIC}|${settings.deterministic.length + 1}'`;
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE accepted AS
     WITH must AS (${overridePairsSql('must_link')}),
     cannot AS (${overridePairsSql('cannot_link')}),
     prev AS (
       SELECT r.rec_id, m.current_id AS customer_id FROM id_records r
       JOIN identity.record_map rm ON rm.party_uid = r.party_uid JOIN identity.id_map m ON m.issued_id = rm.customer_id
     ),
     decided AS (
       SELECT l, r, match_weight, match_probability, CASE ${whens.join(' ')} ${probabilistic} END AS how
       FROM (SELECT p.*, coalesce(pa.customer_id = pb.customer_id, false) AS was_together
             FROM scored_pairs p LEFT JOIN prev pa ON pa.rec_id = p.l LEFT JOIN prev pb ON pb.rec_id = p.r)
     )
     SELECT d.l, d.r, split_part(d.how, '|', 1) AS linked_by, split_part(d.how, '|', 2)::INTEGER AS priority, d.match_weight, d.match_probability
     FROM decided d
     WHERE d.how IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM cannot c WHERE c.l = d.l AND c.r = d.r)
       AND NOT EXISTS (SELECT 1 FROM must m WHERE m.l = d.l AND m.r = d.r)
     UNION ALL
     SELECT m.l, m.r, '${OVERRIDE}', 0, p.match_weight, p.match_probability
     FROM must m LEFT JOIN scored_pairs p ON p.l = m.l AND p.r = m.r`,
    [
      settings.matchThreshold,
      Math.log2(settings.matchThreshold / (1 - settings.matchThreshold)) -
        settings.stickyMarginBits,
      settings.strongDisagreementBits,
    ],
  );
  return Number(await wh.scalar('SELECT count(*) FROM accepted'));
}
