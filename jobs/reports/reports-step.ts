import path from 'node:path';
import type { PipelineStep } from '../../foundation/step.ts';
import type { StepResult } from '../../foundation/ledger.ts';
import { REPORTS, exportReport } from './report-catalog.ts';
import { writeOverview } from './html/write-overview.ts';

/** The overview's file name in the reports folder. */
export const OVERVIEW_FILE = 'overview.html';

/**
 * Pipeline step "reports": writes every mart report into `reports.dir` in each configured
 * format, and the HTML overview when `reports.html` is on. One unit per report.
 */
export const reportsStep: PipelineStep = {
  name: 'reports',
  description: 'write report files and the HTML overview',
  async run(ctx) {
    const { dir, formats, html } = ctx.config.reports;
    const results: StepResult[] = [];
    ctx.progress.start('reports', REPORTS.length + (html ? 1 : 0));
    for (const def of REPORTS) {
      results.push(
        await ctx.unit(def.name, async () => {
          let rows = 0;
          for (const format of formats) rows = (await exportReport(ctx.wh, def, dir, format)).rows;
          return { rowsIn: null, rowsOut: rows, rowsRejected: null };
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
