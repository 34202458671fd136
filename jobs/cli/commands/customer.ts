import type { Command } from 'commander';
import { lookupCustomer, type CustomerView } from '../../../warehouse/profiles/customer-lookup.ts';
import { formatTable } from '../../../foundation/format-table.ts';
import { readConfig, type CliIO, type GlobalOptions } from '../context.ts';
import { JobError } from '../../errors.ts';
import { isoDate } from '../arg-parsers.ts';
import { openForReading } from '../read-access.ts';
import { registerCustomerErase } from './customer-erase.ts';

const PROFILE_FIELDS = [
  'title',
  'first_name',
  'middle_name',
  'last_name',
  'full_name',
  'company',
  'email',
  'phone',
  'mobile',
  'address',
  'postcode',
  'city',
  'country',
  'birth_date',
  'gender',
  'loyalty_card',
  'web_user_id',
  'consent_email',
  'consent_phone',
  'consent_sms',
  'is_closed',
  'is_deceased',
  'is_deleted',
  'household_id',
  'systems',
  'record_count',
  'first_seen_at',
  'last_seen_at',
  'valid_from',
  'valid_to',
];

/** `cdw customer show <id> [--as-of DATE] [--json]`: profile, history and records of one customer. */
export function registerCustomer(program: Command, io: CliIO): void {
  const customer = program.command('customer');
  registerCustomerErase(customer, io);
  customer
    .command('show <id>')
    .description(
      'print the profile, its history and its source records; any id ever issued works (merged ids show the survivor)',
    )
    .option(
      '--as-of <date>',
      'show the profile as it stood at the end of this day (YYYY-MM-DD)',
      isoDate,
    )
    .option('--json', 'print JSON instead of tables')
    .action(async (idText: string, opts: { asOf?: string; json?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      if (!/^\d{1,18}$/.test(idText))
        throw new JobError('usage', `customer id must be a whole number, got "${idText}"`);
      const config = readConfig(io, g);
      const access = (await openForReading(config.warehouse.path))!;
      const wh = access.wh;
      try {
        if (!(await wh.tableExists('core', 'dim_customer_history')))
          throw new JobError(
            'no_profiles',
            'the warehouse has no customer profiles yet; run "cdw run" first',
          );
        const view = await lookupCustomer(wh, Number(idText), opts.asOf);
        if (view === undefined) {
          throw new JobError(
            'customer_not_found',
            `no customer with id ${idText} (not issued, or not yet through a profiles run)`,
          );
        }
        const erasure = (await wh.tableExists('meta', 'erasures'))
          ? await wh.one<{ erasure_id: string; requested_at: Date; lifted_at: Date | null }>(
              `SELECT erasure_id, requested_at, lifted_at FROM meta.erasures
               WHERE list_contains(customer_ids, $1::BIGINT) ORDER BY requested_at DESC LIMIT 1`,
              [view.customerId],
            )
          : undefined;
        io.out.write(
          opts.json
            ? `${JSON.stringify({ ...view, erasure: erasure ?? null }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`
            : `${erasure ? `${erasedNote(erasure)}\n` : ''}${render(view)}`,
        );
      } finally {
        await access.close();
      }
    });
}

function render(v: CustomerView): string {
  const out: string[] = [];
  const head = `customer ${v.customerId}`;
  if (v.requestedId !== v.customerId)
    out.push(
      `${head} (id ${v.requestedId} was merged into ${v.customerId}${v.mergedAt ? ` on ${day(v.mergedAt)}` : ''})`,
    );
  else out.push(head);
  if (v.mergedIds.length > 0) out.push(`also recorded under merged ids: ${v.mergedIds.join(', ')}`);

  out.push('', v.asOf === null ? 'profile (now)' : `profile as of the end of ${v.asOf}`);
  if (v.profile.length === 0)
    out.push(
      v.asOf === null
        ? '  (no current profile)'
        : '  (the customer was not known yet on that date)',
    );
  for (const p of v.profile) {
    if (v.profile.length > 1) out.push(`  as id ${String(p.customer_id)}:`);
    const lineage = new Map(v.lineage.map((l) => [String(l.attribute), l]));
    const rows = PROFILE_FIELDS.filter(
      (f) => f in p && p[f] !== null && !(Array.isArray(p[f]) && (p[f] as unknown[]).length === 0),
    ).map((f) => {
      const l = lineage.get(f);
      return [
        f,
        p[f],
        l ? `${String(l.source)}.${String(l.source_table)}:${String(l.record_key)}` : '',
        l ? l.rule : '',
      ];
    });
    out.push(indent(formatTable(['attribute', 'value', 'from record', 'rule'], rows)));
  }

  out.push('', `history (${v.history.length} version${v.history.length === 1 ? '' : 's'})`);
  out.push(
    indent(
      formatTable(
        [
          'valid from',
          'valid to',
          'reason',
          'changed',
          'by',
          'name',
          'address',
          'city',
          'email',
          'phone',
          'recorded as',
        ],
        v.history.map((h) => [
          h.valid_from,
          farToBlank(h.valid_to),
          `${String(h.change_reason)}${h.merged_into === null ? '' : ` → merged into ${String(h.merged_into as number | string)}`}`,
          Array.isArray(h.changed_attributes) ? (h.changed_attributes as string[]).join(',') : '',
          h.changed_by,
          h.full_name,
          h.address,
          h.city,
          h.email,
          h.phone,
          h.recorded_as === v.customerId ? '' : h.recorded_as,
        ]),
      ),
    ),
  );

  out.push('', `source records now (${v.records.length})`);
  out.push(
    indent(
      formatTable(
        [
          'system',
          'source',
          'table',
          'key',
          'linked by',
          'p(match)',
          'name',
          'email',
          'phone',
          'city',
          'created',
          'updated',
        ],
        v.records.map((r) => [
          r.system,
          r.source,
          r.source_table,
          r.record_key,
          r.linked_by,
          r.match_probability,
          r.name,
          r.email,
          r.phone,
          r.city,
          r.created_at,
          r.updated_at,
        ]),
      ),
    ),
  );

  if (v.campaigns.length > 0) {
    out.push('', `campaigns (${v.campaigns.length})`);
    out.push(
      indent(
        formatTable(
          [
            'sent',
            'campaign',
            'channel',
            'variant',
            'region',
            'delivered',
            'responded',
            'complained',
            'unsubscribed',
          ],
          v.campaigns.map((c) => [
            c.sent_at,
            c.campaign ?? c.campaign_uid,
            c.channel,
            c.is_control === true ? 'control group' : c.variant,
            c.region,
            c.is_control === true ? '' : c.delivered === true ? 'yes' : 'no',
            c.responded === true
              ? `yes (${String(c.response_kind)})`
              : c.responded === false
                ? 'no'
                : '',
            c.complained_at,
            c.unsubscribed_at,
          ]),
        ),
      ),
    );
  }

  const a = v.activity;
  out.push(
    '',
    `activity: ${n(a.transactions)} transactions (amount ${Number(a.amount ?? 0).toFixed(2)}), ${n(a.interactions)} interactions (${n(a.complaints)} complaints), ${n(a.web_sessions)} web sessions, ${n(a.page_views)} page views`,
    '',
  );
  return out.join('\n');
}

function erasedNote(e: { erasure_id: string; requested_at: Date; lifted_at: Date | null }): string {
  return `personal data erased on request on ${day(new Date(e.requested_at))} (${e.erasure_id})${
    e.lifted_at
      ? `; erasure lifted on ${day(new Date(e.lifted_at))}: later loads come in again`
      : ''
  }`;
}

const n = (x: unknown) => Number(x ?? 0).toLocaleString('en-US');
const day = (d: Date) => d.toISOString().slice(0, 10);
const indent = (s: string) =>
  s
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
function farToBlank(d: unknown): unknown {
  return d instanceof Date && d.getUTCFullYear() >= 9999 ? '' : d;
}
