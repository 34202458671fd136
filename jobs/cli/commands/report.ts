import type { Command } from 'commander';
import { isoDate, oneOf } from '../arg-parsers.ts';
import { businessDate, endOfDay } from '../../reports/business-date.ts';
import path from 'node:path';
import type { Queryable } from '../../../foundation/duckdb-client.ts';
import { openForReading } from '../read-access.ts';
import type { CdwConfig } from '../../../foundation/config-types.ts';
import { formatTable } from '../../../foundation/format-table.ts';
import { readConfig, type CliIO, type GlobalOptions } from '../context.ts';
import { REPORTS, exportReport } from '../../reports/report-catalog.ts';
import {
  REPORT_FORMATS,
  copyToFile,
  formatOfFile,
  type ReportFormat,
} from '../../reports/files/export.ts';
import { writeOverview } from '../../reports/html/write-overview.ts';
import { OVERVIEW_FILE } from '../../reports/reports-step.ts';
import {
  CAMPAIGN_CHANNELS,
  CAMPAIGN_EXCLUSIONS_QUERY,
  EXCLUSION_REASONS,
  buildCampaign,
  campaignListQuery,
  type CampaignChannel,
} from '../../reports/lists/campaign.ts';
import {
  PROSPECT_CHECKED_QUERY,
  PROSPECT_LIST_QUERY,
  checkProspects,
  readNumbersFile,
} from '../../reports/lists/prospects.ts';
import { CROSS_SELL_LIST_QUERY, buildCrossSell } from '../../reports/lists/cross-sell.ts';

/**
 * Opens the warehouse for one report command and closes it: the file read-only, or a read
 * session in the `cdw serve` that owns it (the files are then written by the server's process).
 */
async function withWarehouse<T>(
  io: CliIO,
  cmd: Command,
  fn: (wh: Queryable, config: CdwConfig) => Promise<T>,
): Promise<T> {
  const config = readConfig(io, cmd.optsWithGlobals<GlobalOptions>());
  const access = (await openForReading(config.warehouse.path, { session: true }))!;
  try {
    return await fn(access.wh, config);
  } finally {
    await access.close();
  }
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '') || 'all';

/** `cdw report …`: mart reports as files, the HTML overview, campaign, prospect and cross-sell lists. */
export function registerReport(program: Command, io: CliIO): void {
  const report = program.command('report');

  // one subcommand per mart report, so each takes its own --format and --out
  for (const def of REPORTS) {
    const cmd = report
      .command(def.name)
      .description(def.description)
      .option('--format <format>', 'csv or parquet', oneOf('--format', REPORT_FORMATS), 'csv')
      .option('--out <dir>', 'folder to write into (default: reports.dir of the config)');
    if (def.byCampaign === true)
      cmd.option('--campaign <campaign>', 'only this campaign (its key, source.table:key or name)');
    cmd.action(
      async (opts: { format: ReportFormat; out?: string; campaign?: string }, c: Command) => {
        await withWarehouse(io, c, async (wh, config) => {
          const { file, rows } = await exportReport(
            wh,
            def,
            path.resolve(opts.out ?? config.reports.dir),
            opts.format,
            { campaign: opts.campaign },
          );
          io.out.write(`${file}  (${rows.toLocaleString('en-US')} rows)\n`);
        });
      },
    );
    // hyphenated aliases, except where a list command has the name (cross-sell takes --product)
    if (def.name.includes('_') && def.name !== 'cross_sell')
      cmd.alias(def.name.replaceAll('_', '-'));
  }

  report
    .command('overview')
    .description('the self-contained HTML overview (overview.html)')
    .option('--out <dir>', 'folder to write into (default: reports.dir of the config)')
    .action(async (opts: { out?: string }, c: Command) => {
      await withWarehouse(io, c, async (wh, config) => {
        const file = path.join(path.resolve(opts.out ?? config.reports.dir), OVERVIEW_FILE);
        await writeOverview(wh, file, new Date(), {
          complaintDays: config.reports.complaintDays,
        });
        io.out.write(`${file}\n`);
      });
    });

  report
    .command('list')
    .description('the reports there are')
    .action(() => {
      const rows = [
        ...REPORTS.map((r) => [r.name, r.description]),
        ['overview', 'the HTML overview (overview.html)'],
      ];
      io.out.write(`${formatTable(['report', 'what it holds'], rows)}\n`);
    });

  report
    .command('campaign')
    .description(
      'a campaign list: members of a segment minus recent complaints, open tickets, opt-outs, deceased and closed accounts',
    )
    .requiredOption('--segment <name>', 'segment from reports.segments')
    .option('--channel <channel>', 'email or phone', oneOf('--channel', CAMPAIGN_CHANNELS))
    .option('--out <file>', 'list file (.csv or .parquet)')
    .option('--exclusions <file>', 'also write who was left out and why')
    .option(
      '--as-of <date>',
      'business date the list is for (default: that of the last run, the latest event in the data)',
      isoDate,
    )
    .action(
      async (
        opts: {
          segment: string;
          channel?: CampaignChannel;
          out?: string;
          exclusions?: string;
          asOf?: string;
        },
        cmd: Command,
      ) => {
        await withWarehouse(io, cmd, async (wh, config) => {
          const r = await buildCampaign(wh, {
            segment: opts.segment,
            channel: opts.channel,
            complaintDays: config.reports.complaintDays,
            asOf: opts.asOf === undefined ? undefined : endOfDay(opts.asOf),
          });
          const file = path.resolve(
            opts.out ??
              path.join(config.reports.dir, `campaign_${slug(opts.segment)}_${r.channel}.csv`),
          );
          await copyToFile(wh, campaignListQuery(opts.channel), file, formatOfFile(file));
          if (opts.exclusions)
            await copyToFile(
              wh,
              CAMPAIGN_EXCLUSIONS_QUERY,
              path.resolve(opts.exclusions),
              formatOfFile(opts.exclusions),
            );
          io.out.write(
            `${file}\n\nsegment ${r.segment}, channel ${r.channel}, as of ${businessDate(r.asOf)}: ${r.members} members, ${r.included} on the list, ${r.excluded} left out\n`,
          );
          const rows = EXCLUSION_REASONS.map((reason) => [reason, r.byReason[reason]]);
          io.out.write(
            `${formatTable(['excluded because', 'customers'], rows)}\n(a customer left out for several reasons counts under each; complaints of the last ${config.reports.complaintDays} days, open complaints and tickets whatever their age)\n`,
          );
        });
      },
    );

  report
    .command('prospects')
    .description(
      'a cold-call list: a purchased list of numbers minus every number that belongs to an existing customer',
    )
    .requiredOption('--numbers <file>', 'one number per line, or a CSV with a phone/number column')
    .option(
      '--country <code>',
      "country for numbers written without +code (default: the sources' default country)",
    )
    .option('--out <file>', 'call list file (.csv or .parquet)')
    .option('--checked <file>', 'also write every input line with what happened to it')
    .action(
      async (
        opts: { numbers: string; country?: string; out?: string; checked?: string },
        cmd: Command,
      ) => {
        await withWarehouse(io, cmd, async (wh, config) => {
          const country = (opts.country ?? config.sources[0]?.defaultCountry ?? 'US').toUpperCase();
          const r = await checkProspects(wh, readNumbersFile(opts.numbers), country);
          const file = path.resolve(
            opts.out ??
              path.join(config.reports.dir, `prospects_${slug(path.parse(opts.numbers).name)}.csv`),
          );
          await copyToFile(wh, PROSPECT_LIST_QUERY, file, formatOfFile(file));
          if (opts.checked)
            await copyToFile(
              wh,
              PROSPECT_CHECKED_QUERY,
              path.resolve(opts.checked),
              formatOfFile(opts.checked),
            );
          io.out.write(`${file}\n\n`);
          const rows = [
            ['read', r.read],
            ['existing customer', r.existingCustomer],
            ['invalid number', r.invalid],
            ['duplicate in the list', r.duplicate],
            ['kept for calling', r.kept],
          ];
          io.out.write(`${formatTable(['numbers', 'count'], rows)}\n`);
        });
      },
    );

  report
    .command('cross-sell')
    .description('households where one member holds a product and another does not')
    .option('--product <product>', 'only this product (or product category)')
    .option('--out <file>', 'list file (.csv or .parquet)')
    .action(async (opts: { product?: string; out?: string }, cmd: Command) => {
      await withWarehouse(io, cmd, async (wh, config) => {
        const r = await buildCrossSell(wh, opts.product);
        const file = path.resolve(
          opts.out ??
            path.join(
              config.reports.dir,
              `cross_sell${opts.product ? `_${slug(opts.product)}` : ''}.csv`,
            ),
        );
        await copyToFile(wh, CROSS_SELL_LIST_QUERY, file, formatOfFile(file));
        io.out.write(
          `${file}\n\n${r.rows} offers to household members in ${r.households} households\n`,
        );
      });
    });
}
