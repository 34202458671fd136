import path from 'node:path';
import { Option, type Command } from 'commander';
import { wholeNumber } from '../arg-parsers.ts';
import { generateDemo, type DemoResult } from '../../../demo/generate-demo.ts';
import { loadConfig } from '../../config/load.ts';
import { runPipeline, type RunSummary } from '../../pipeline.ts';
import { cliProgress, cliLogger, type CliIO, type GlobalOptions } from '../context.ts';
import { MYSQL_URL_VAR, PG_URL_VAR, hasPassword } from '../../../demo/config-yaml.ts';
import { EXIT, exitCodeFor, printSummary } from './run.ts';
import { createDemoAnalyst, DEMO_ANALYST } from '../../../demo/analyst-user.ts';
import { DEFAULT_NOISE, NOISE_MODELS, type NoiseModel } from '../../../demo/noise.ts';
import { writeDemoCampaignList } from './demo-campaign-list.ts';
import { campaignListPath, LIST_SEGMENT } from '../../../demo/marketing-lists.ts';

interface DemoCliOptions {
  dir: string;
  customers: number;
  nights: number;
  seed: number;
  noise: NoiseModel;
  pg?: string;
  mysql?: string;
  run: boolean;
}

export function registerDemo(program: Command, io: CliIO): void {
  program
    .command('demo')
    .option(
      '--dir <dir>',
      'folder for the demo company (created; an earlier demo there is replaced)',
      'cdw-demo',
    )
    .option(
      '--customers <n>',
      'people in the company on the first night',
      wholeNumber(1, 10_000_000),
      2000,
    )
    .option(
      '--nights <k>',
      'nights to generate and run, each the same company a day later',
      wholeNumber(1, 366),
      1,
    )
    .option(
      '--seed <s>',
      'random seed: the same seed gives byte-identical files',
      wholeNumber(0, 4294967295),
      42,
    )
    .addOption(
      new Option(
        '--noise <model>',
        'how much the systems disagree: standard, or harsh (initials, Jr/Sr, first-letter typos, name-less web sign-ups, foreign phones, shared mailboxes and switchboards, shifted birth dates)',
      )
        .choices(NOISE_MODELS)
        .default(DEFAULT_NOISE),
    )
    .option(
      '--pg <url>',
      'put billing into this PostgreSQL (schema cdw_demo, dropped and recreated)',
    )
    .option(
      '--mysql <url>',
      'put the ERP into this MySQL/MariaDB (tables demo_erp_*, dropped and recreated)',
    )
    .option('--no-run', 'only generate; do not run the nightly job')
    .action(async (opts: DemoCliOptions, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const logger = cliLogger(io, g);
      let last: RunSummary | undefined;
      // A URL with a password is read from the environment by cdw.yaml; the demo's own runs get it here.
      const env = { [PG_URL_VAR]: opts.pg, [MYSQL_URL_VAR]: opts.mysql, ...io.env };
      const result = await generateDemo({
        dir: opts.dir,
        customers: opts.customers,
        nights: opts.nights,
        seed: opts.seed,
        noise: opts.noise,
        pg: opts.pg,
        mysql: opts.mysql,
        logger,
        progress: cliProgress(io),
        onNight: opts.run
          ? async (night) => {
              const config = loadConfig(path.join(path.resolve(opts.dir), 'cdw.yaml'), { env });
              io.out.write(`\nnight ${night.night} (${night.date}): running the nightly job\n`);
              last = await runPipeline(config, {
                trigger: 'demo',
                logger,
                progress: cliProgress(io),
              });
              printSummary(io, last);
              // the marketing system sends its next campaign to the list cdw produced tonight
              await writeDemoCampaignList(
                config,
                campaignListPath(path.resolve(opts.dir), night.night),
                LIST_SEGMENT,
                logger,
              );
            }
          : undefined,
      });
      const config = loadConfig(path.join(path.resolve(opts.dir), 'cdw.yaml'), { env });
      // --no-run leaves no warehouse behind, so the analyst user comes with the first run.
      const password = opts.run ? await createDemoAnalyst(config.warehouse.path) : undefined;
      printNextSteps(io, result, opts, { password, port: config.server.port });
      io.exitCode = last === undefined ? EXIT.ok : exitCodeFor(last);
    });
}

/** Commands with their notes aligned in a column. */
function steps(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.filter(([, note]) => note !== '').map(([cmd]) => cmd.length));
  return rows.map(([cmd, note]) => (note === '' ? `  ${cmd}` : `  ${cmd.padEnd(width)}  ${note}`));
}

function printNextSteps(
  io: CliIO,
  r: DemoResult,
  opts: DemoCliOptions,
  analyst: { password: string | undefined; port: number },
): void {
  const rel = path.relative(process.cwd(), r.dir) || '.';
  const cfg = path.join(rel, 'cdw.yaml');
  const first = r.nights[0];
  const last = r.nights[r.nights.length - 1];
  const records = r.nights.reduce((s, n) => s + n.truthRows, 0);
  const bad = r.nights.reduce((s, n) => s + n.badRows.length, 0);
  const storage = `billing in ${opts.pg ? 'PostgreSQL' : 'CSV files'}, ERP in ${opts.mysql ? 'MySQL' : 'CSV files'}`;
  io.out.write(
    [
      '',
      `demo company in ${rel}: ${r.persons.toLocaleString('en-US')} people in ${r.households.toLocaleString('en-US')} households, ` +
        `${r.nights.length} night${r.nights.length === 1 ? '' : 's'} (${first?.date}${last && last !== first ? ` to ${last.date}` : ''}); ${storage}`,
      `ground truth: ${path.join(rel, 'truth.csv')} (${records.toLocaleString('en-US')} party records); ` +
        `what was put into the data, night by night: ${path.join(rel, 'nights')}/ (${bad} deliberately bad rows)`,
      ...[
        [opts.pg, PG_URL_VAR],
        [opts.mysql, MYSQL_URL_VAR],
      ]
        .filter(([url]) => url !== undefined && hasPassword(url))
        .map(
          ([, v]) =>
            `cdw.yaml reads the database URL from ${v} (it holds a password): set it before running cdw against this config`,
        ),
      '',
      'what to try next:',
      ...steps([
        [`npx cdw --config ${cfg} status`, 'the runs and their steps'],
        [`npx cdw --config ${cfg} sql -c "select * from public.customers limit 10"`, ''],
        [
          `npx cdw --config ${cfg} report campaign --segment high_value`,
          'an e-mail/phone list minus complaints, open tickets, opt-outs',
        ],
        [`npx cdw --config ${cfg} serve`, 'PostgreSQL protocol for psql, DBeaver, Metabase'],
        [
          `PGPASSWORD=${analyst.password} psql -h 127.0.0.1 -p ${analyst.port} -U ${DEMO_ANALYST} cdw`,
          `then, as the read-only user "${DEMO_ANALYST}"`,
        ],
        [
          `npx cdw --config ${cfg} run`,
          opts.run
            ? 'run the nightly job again: nothing lands twice'
            : 'run the nightly job on it (generated with --no-run)',
        ],
        ['npx cdw demo --nights 3', 'three nights: people move, marry, join; invoices get paid'],
      ]),
      '',
    ].join('\n'),
  );
}
