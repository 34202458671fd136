import type { ColumnSpec } from '../../../connectors/types.ts';
import type { LineFile, LineParser } from '../../../connectors/core/files/line-files.ts';
import type { Line } from '../../../connectors/core/files/line-reader.ts';
import { isReservedColumn } from '../../../connectors/core/raw-table.ts';
import { idReader } from './ids.ts';
import { BUILT_IN, compileFormat, type LogFormat } from '../../../connectors/weblog/log-format.ts';
import { LogTimeParser, TIME_FIELDS } from './log-time.ts';
import type { WeblogOptions } from '../../../connectors/weblog/options.ts';

const URL_FIELDS = ['url', 'request_uri', 'uri'];

/**
 * The JavaScript log line parser cdw used before lines were landed whole and split in SQL
 * (connectors/weblog/log-sql.ts), kept as the reference the SQL split is compared with.
 * Access-log lines → rows. Columns: `hit_key` (file identity + byte offset: unique, and the same
 * after the file is rotated), every field of the format as logged (`-` read as NULL), `method`,
 * `url`, `protocol` split from `$request`, `ts` (request time, ISO-8601 UTC), `visitor_id` and
 * `user_id` from where the config says. A line that does not match, or whose time is not a
 * real time, is rejected.
 */
export class LogLineParser implements LineParser {
  readonly columns: readonly ColumnSpec[];
  readonly growing = false;
  private readonly format: LogFormat;
  private readonly formatName: string;
  private readonly requestAt: number;
  private readonly urlAt: number;
  private readonly timeAt: number;
  private readonly timeField: string | undefined;
  private readonly derive: boolean;
  private readonly addTs: boolean;
  private readonly addVisitor: boolean;
  private readonly addUser: boolean;
  private readonly time = new LogTimeParser();
  private readonly visitor;
  private readonly user;

  constructor(o: WeblogOptions) {
    if (o.format === 'pattern' && o.pattern === undefined)
      throw new Error(
        'format: pattern needs pattern: (a $field template or a ^regex with named groups)',
      );
    this.formatName = o.format === 'pattern' ? 'configured' : o.format;
    this.format = compileFormat(o.format === 'pattern' ? o.pattern! : BUILT_IN[o.format]);
    const fields = this.format.fields;
    const clash = fields.find((f) => isReservedColumn(f) || f === 'hit_key');
    if (clash !== undefined)
      throw new Error(`field ${clash} is a name cdw uses itself; rename it in the pattern`);
    this.requestAt = fields.indexOf('request');
    this.derive =
      this.requestAt >= 0 && !fields.some((f) => ['method', 'url', 'protocol'].includes(f));
    this.urlAt = fields.findIndex((f) => URL_FIELDS.includes(f));
    this.timeField = TIME_FIELDS.find((f) => fields.includes(f));
    this.timeAt = this.timeField === undefined ? -1 : fields.indexOf(this.timeField);
    this.visitor = idReader(o.visitor_id, fields);
    this.user = idReader(o.user_id, fields);
    this.addTs = !fields.includes('ts');
    this.addVisitor = !fields.includes('visitor_id');
    this.addUser = !fields.includes('user_id');
    const extra = [
      ...(this.derive ? ['method', 'url', 'protocol'] : []),
      'ts',
      'visitor_id',
      'user_id',
    ].filter((n) => !fields.includes(n));
    this.columns = ['hit_key', ...fields, ...extra].map((name) => ({ name, type: 'VARCHAR' }));
  }

  parse(text: string, line: Line, file: LineFile): (string | null)[] | string {
    const m = this.format.match(text);
    if (m === undefined) return `line does not match the ${this.formatName} log format`;
    // row = [hit_key, ...fields, ...derived]; field i is at row[i + 1].
    const row: (string | null)[] = [`${file.id}:${line.offset}`];
    for (const v of m) row.push(v === undefined || v === '-' ? null : v);
    let url: string | null = this.urlAt >= 0 ? (row[this.urlAt + 1] ?? null) : null;
    if (this.derive) {
      const request = row[this.requestAt + 1] ?? '';
      const a = request.indexOf(' ');
      const b = a < 0 ? -1 : request.indexOf(' ', a + 1);
      const ok = a > 0 && b > a && request.indexOf(' ', b + 1) < 0;
      url = ok ? request.slice(a + 1, b) : null;
      row.push(ok ? request.slice(0, a) : null, url, ok ? request.slice(b + 1) : null);
    }
    let ts: string | null = null;
    const time = this.timeAt >= 0 ? row[this.timeAt + 1] : null;
    if (time !== null && time !== undefined) {
      const t = this.time.parse(this.timeField!, time);
      if (t === undefined) return `unparseable time in ${this.timeField}`;
      ts = t;
    }
    if (this.addTs) row.push(ts);
    if (this.addVisitor) row.push(this.visitor?.(row, url) ?? null);
    if (this.addUser) row.push(this.user?.(row, url) ?? null);
    return row;
  }
}
