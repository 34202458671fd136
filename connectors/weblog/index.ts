import { z } from 'zod';
import { SourceError } from '../../foundation/errors.ts';
import type { ResolvedSource, ResolvedTable } from '../../foundation/config-types.ts';
import type { ConnectorKind } from '../types.ts';
import { checkFiles, describeFiles, fileTableColumns } from '../core/files/file-source.ts';
import { extractLineFiles } from '../core/files/line-files.ts';
import { weblogOptions, weblogTableShape } from './options.ts';
import { LogLineKeeper } from './keep-log-line.ts';
import { logLineSplit } from './log-sql.ts';

/** The columns of a log table come from its format, not its files: what a mapping may name. */
function formatColumns(table: ResolvedTable): string[] {
  return ['hit_key', ...logLineSplit(weblogOptions(table.options)).columns];
}

async function weblogColumns(_source: ResolvedSource, table: ResolvedTable): Promise<string[]> {
  return formatColumns(table);
}

/** Web server access logs (Apache/Nginx combined, common, or a pattern): new lines of growing, rotating files. */
export const weblogKind: ConnectorKind = {
  kind: 'weblog',
  description:
    'web server access logs (combined, common or a pattern): new lines only, rotation-aware; visitor cookie and user id from a cookie, query parameter or field',
  capabilities: {
    incremental: true,
    streaming: true,
    detectDeletes: false,
    snapshots: false,
    files: true,
    rereads: false,
  },
  connection: z.strictObject({ dir: z.string().min(1).optional() }),
  table: weblogTableShape,
  describe: (source) => describeFiles('weblog', source),
  check: (source, ctx) => checkFiles(source, ctx, weblogColumns),
  columns: (source, table, ctx) => fileTableColumns(source, table, ctx, weblogColumns),
  discovery: {
    filePattern: /(access[^/]*\.log|\.log)(\.\d+)?$/i,
    tableTemplate: {
      entity: 'web_hit',
      format: 'combined',
      mapping: {
        record_key: 'hit_key',
        occurred_at: 'ts',
        ip: 'remote_addr',
        method: 'method',
        url: 'url',
        status: 'status',
        bytes: 'body_bytes_sent',
        referrer: 'http_referer',
        user_agent: 'http_user_agent',
      },
    },
  },
  lineSplit: (table) => logLineSplit(weblogOptions(table.options)),
  extract(job) {
    const o = weblogOptions(job.table.options);
    let columns: string[];
    try {
      columns = formatColumns(job.table);
    } catch (err) {
      throw new SourceError(
        job.source.name,
        `source ${job.source.name} table ${job.table.name}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const keeper = new LogLineKeeper(columns.map((name) => ({ name, type: 'VARCHAR' })));
    return extractLineFiles(job, o.encoding, keeper, { warnEmpty: false });
  },
};
