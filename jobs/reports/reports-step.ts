import path from 'node:path';
import type { PipelineStep } from '../../foundation/step.ts';
import type { StepResult } from '../../foundation/ledger.ts';
import { REPORTS } from './report-catalog.ts';
import { exportReportIfChanged, martColumns } from './report-if-changed.ts';
import { writeOverview } from './html/write-overview.ts';

/** The overview's file name in the reports folder. */
export const OVERVIEW_FILE = 'overview.html';

/**
 * Pipeline step "reports": writes every mart report into `reports.dir` in each configured
 * format, and the HTML overview when `reports.html` is on. One unit per report. A file whose
 * mart table did not change is left as it is (report-if-changed.ts), unless `--full-refresh`.
 */
export const reportsStep: PipelineStep = {
  name: 'reports',
  description: 'write report files and the HTML overview',
  async run(ctx) {
    const { dir, formats, html } = ctx.config.reports;
    const fullRefresh = ctx.fullRefresh ?? false;
    const results: StepResult[] = [];
    ctx.progress.start('reports', REPORTS.length + (html ? 1 : 0));
    // the marts step is over: their tables and columns stay as they are while files are written
    const catalog = await martColumns(ctx.wh);
    for (const def of REPORTS) {
      results.push(
        await ctx.unit(def.name, async () => {
          let rows = 0;
          let touched = 0;
          for (const format of formats) {
            const r = await exportReportIfChanged(ctx.wh, def, dir, format, fullRefresh, catalog);
            rows = r.rows;
            if (r.written) touched += r.rows;
          }
          // `touched`: rows written to files tonight (0 when every file was unchanged)
          return {
            rowsIn: null,
            rowsOut: rows,
            rowsRejected: null,
            touched: { count: touched, what: 'rows' },
          };
        }),
      );
      ctx.progress.tick(1);
    }
    if (html) {
      results.push(
        await ctx.unit(OVERVIEW_FILE, async () => {
          await writeOverview(ctx.wh, path.join(dir, OVERVIEW_FILE), new Date(), {
            complaintDays: ctx.config.reports.complaintDays,
          });
          return { rowsIn: null, rowsOut: 1, rowsRejected: null };
        }),
      );
    }
    ctx.progress.done(`${results.length} files`);
    ctx.logger.info(`reports written to ${dir}`);
    return results;
  },
};
