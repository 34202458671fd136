import { open, rm, stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../../foundation/sql.ts';
import { readRows, type SqlParam } from '../../foundation/duckdb-client.ts';
import type { Logger } from '../../foundation/logger.ts';
import type { Batch, ColumnSpec, CsvBatch, ParquetBatch } from './batch.ts';
import { readCsvCall, readKeysCall, readParquetAsText } from './read-csv-sql.ts';
import { RawTable, isLocationColumn, isReservedColumn } from './raw-table.ts';
import { moveCsvRejects, storeRejections, type RejectTarget } from './rejects.ts';
import { landTombstones } from './tombstones.ts';
import type { SchemaContract } from './schema-contract.ts';
import { LoadClock } from './load-clock.ts';
import { errorMessage, InternalError } from '../../foundation/errors.ts';
import { warehouseCause } from '../../foundation/warehouse-errors.ts';
import { ConnectorError } from '../errors.ts';

/**
 * How landing recognises a row it already holds: by primary key (the latest landed version of
 * the key is identical), by the whole row (kinds that re-read and tables without a key), or not
 * at all (files read once by name/offset, with no key).
 */
export type DedupeKey =
  | { readonly by: 'key'; readonly columns: readonly string[] }
  | { readonly by: 'row' }
  | { readonly by: 'none' };

export interface LandingCounts {
  read: number;
  landed: number;
  skipped: number;
  rejected: number;
  tombstoned: number;
}

/** What a landing needs besides the raw table: where rejections go and the guards of its deletes. */
export interface LandingTarget extends RejectTarget {
  readonly rawTable: string;
  readonly dedupeKey: DedupeKey;
  /** Delete detection lands no tombstone when it would delete more than this share of the live keys. */
  readonly maxDeleteShare: number;
}

/**
 * Lands the batches of one load into `raw.<source>__<table>` on a connection whose transaction
 * the caller owns. Every row read is counted once: landed, skipped (already landed, identical)
 * or rejected (into `meta.rejected_rows` with its reason and location).
 */
export class Landing {
  readonly counts: LandingCounts = { read: 0, landed: 0, skipped: 0, rejected: 0, tombstoned: 0 };
  /** What needs attention although the load may commit (held deletes). */
  readonly warnings: string[] = [];
  readonly raw: RawTable;
  private dedupe = false;
  private readonly clock = new LoadClock();
  private seq = 0;
  private unordered = false;
  private snapshotKeys = false;
  private snapshotRejected = 0;

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly target: LandingTarget,
    private readonly logger: Logger,
    private readonly contract?: SchemaContract,
  ) {
    this.raw = new RawTable(conn, 'raw', target.rawTable);
  }

  /** Decides once per load whether rows must be checked against what raw already holds. */
  async begin(): Promise<void> {
    this.dedupe = this.target.dedupeKey.by !== 'none' && (await this.raw.hasRows());
    if (this.dedupe && this.target.dedupeKey.by === 'row') await this.hashUnhashed();
  }

  /**
   * Whether this load stores `_row_hash`. Only loads that compare compute it: a table's first
   * load (raw empty) compares nothing, and it is the largest load (the backfill), where the
   * hash costs about a quarter of the landing. Compares by key hash an unhashed landed row on
   * the fly (only the rows whose key is read again); compares by whole row need every landed
   * row hashed (`hashUnhashed`).
   */
  private get storesHash(): boolean {
    const by = this.target.dedupeKey.by;
    return by === 'row' || (by === 'key' && this.dedupe);
  }

  /**
   * Rows landed without a hash get it when a load must compare whole rows (no primary key),
   * once, in this load's transaction — over the raw table's source columns.
   */
  private async hashUnhashed(): Promise<void> {
    const cols = (await this.raw.sourceColumns()).sort();
    if (cols.length === 0) return;
    await this.conn.run(
      `UPDATE ${this.raw.sqlName} SET _row_hash = ${rowHash(cols)} WHERE _row_hash IS NULL AND NOT _deleted`,
    );
  }

  async land(batch: Batch): Promise<void> {
    try {
      switch (batch.kind) {
        case 'csv':
        case 'parquet':
          await this.landFile(batch);
          break;
        case 'rejects':
          await storeRejections(this.conn, this.target, batch.rejects);
          this.counts.read += batch.rejects.length;
          this.counts.rejected += batch.rejects.length;
          break;
        case 'keys':
          await this.conn.run(
            `CREATE OR REPLACE TEMP TABLE cdw_keys AS SELECT * FROM ${readKeysCall(batch.columns, batch.dialect)}`,
            [batch.path],
          );
          await this.tombstones('the source', 'cdw_keys');
          break;
        case 'snapshot-end':
          await this.endSnapshot(batch.location);
          break;
        case 'schema':
          this.contract?.check(batch);
          break;
      }
    } finally {
      if ((batch.kind === 'csv' || batch.kind === 'parquet' || batch.kind === 'keys') && batch.temp)
        await rm(batch.path, { force: true });
    }
  }

  /** Creates the raw table when no batch did (an empty first load) and it has source columns to hold. */
  async finish(columns: readonly ColumnSpec[] = []): Promise<void> {
    const source = columns.filter((c) => !isReservedColumn(c.name));
    if (source.length > 0 || (await this.raw.exists())) await this.raw.ensure(columns);
    await this.contract?.save();
  }

  private keyColumns(): readonly string[] {
    const key = this.target.dedupeKey;
    if (key.by !== 'key')
      throw new InternalError(
        `delete detection needs a primary key (${this.target.source}.${this.target.table})`,
      );
    return key.columns;
  }

  /** Tombstones for the live keys absent from `keysTable`, unless the key set looks truncated. */
  private async tombstones(what: string, keysTable: string): Promise<void> {
    const r = await landTombstones(this.conn, this.raw, keysTable, this.keyColumns(), {
      loadId: this.target.loadId,
      loadedAt: this.clock.next(),
      maxDeleteShare: this.target.maxDeleteShare,
    });
    await this.conn.run(`DROP TABLE IF EXISTS ${quoteIdent(keysTable)}`);
    if (r.held === 'empty')
      this.warnings.push(
        `${what} listed no keys while raw holds ${r.live} live keys; no deletes applied (an empty extract is not taken as "everything deleted")`,
      );
    else if (r.held === 'share')
      this.warnings.push(
        `${what} lacks ${r.absent} of ${r.live} live keys (more than extract.max_delete_share = ${this.target.maxDeleteShare}); no deletes applied — a truncated extract? raise max_delete_share if the deletes are real`,
      );
    this.counts.tombstoned += r.tombstoned;
  }

  private async endSnapshot(location: string): Promise<void> {
    this.keyColumns();
    if (!this.snapshotKeys) {
      const cols = this.keyColumns().map((c) => `${quoteIdent(c)} VARCHAR`);
      await this.conn.run(`CREATE OR REPLACE TEMP TABLE cdw_snapshot_keys (${cols.join(', ')})`);
    }
    this.snapshotKeys = false;
    if (this.snapshotRejected > 0) {
      this.warnings.push(
        `${this.snapshotRejected} rows of the snapshot ${location} were rejected; no deletes applied from it (a rejected row's key is unknown)`,
      );
      await this.conn.run('DROP TABLE IF EXISTS cdw_snapshot_keys');
      return;
    }
    await this.tombstones(`the snapshot ${location}`, 'cdw_snapshot_keys');
  }

  private async landFile(b: CsvBatch | ParquetBatch): Promise<void> {
    const t0 = performance.now();
    const constants = Object.entries(b.constants ?? {});
    const landed =
      b.kind === 'parquet' ? b.columns.map((c) => ({ ...c, type: 'VARCHAR' })) : b.columns;
    await this.raw.ensure([...landed, ...constants.map(([name]) => ({ name, type: 'VARCHAR' }))]);
    const n = ++this.seq;
    await this.insertOrder(n, b);
    const rejects = { table: `cdw_rejects_${n}`, scan: `cdw_rejects_scan_${n}` };
    const hashed = b.columns
      .map((c) => c.name)
      .filter((c) => !isLocationColumn(c))
      .sort();
    const select = [
      ...b.columns.map((c) => quoteIdent(c.name)),
      ...constants.map(([name], i) => `$${4 + i}::VARCHAR AS ${quoteIdent(name)}`),
      '$2::VARCHAR AS _load_id',
      '$3::TIMESTAMPTZ AS _loaded_at',
      `${this.storesHash ? rowHash(hashed) : 'NULL'}::VARCHAR AS _row_hash`,
      'false AS _deleted',
    ].join(', ');
    const from = b.kind === 'csv' ? readCsvCall(b, rejects) : readParquetAsText(b.columns);
    const params: SqlParam[] = [
      b.path,
      this.target.loadId,
      this.clock.next(),
      ...constants.map(([, v]) => v),
    ];
    const body = `SELECT ${select} FROM ${from}`;
    let staged: number;
    let inserted: number;
    if (!this.dedupe && b.snapshot !== true) {
      const r = await this.conn
        .run(`INSERT INTO ${this.raw.sqlName} BY NAME ${body}`, params)
        .catch((err: unknown) => Promise.reject(this.readError(b, err)));
      inserted = staged = Number(r.rowsChanged);
    } else {
      await this.conn
        .run(`CREATE OR REPLACE TEMP TABLE cdw_stage AS ${body}`, params)
        .catch((err: unknown) => Promise.reject(this.readError(b, err)));
      staged = Number(
        (await readRows<{ n: number }>(this.conn, 'SELECT count(*) AS n FROM cdw_stage'))[0]?.n ??
          0,
      );
      if (b.snapshot === true) await this.keepSnapshotKeys();
      const r = await this.conn.run(
        `INSERT INTO ${this.raw.sqlName} BY NAME SELECT s.* FROM cdw_stage s${this.dedupe ? ` WHERE ${this.notYetLanded(hashed)}` : ''}`,
      );
      inserted = Number(r.rowsChanged);
      await this.conn.run('DROP TABLE cdw_stage');
    }
    const rejected =
      b.kind === 'csv' ? await moveCsvRejects(this.conn, this.target, rejects.table, b) : 0;
    if (b.kind === 'csv')
      await this.conn.run(
        `DROP TABLE IF EXISTS temp.${quoteIdent(rejects.table)}; DROP TABLE IF EXISTS temp.${quoteIdent(rejects.scan)}`,
      );
    const own = b.kind === 'csv' ? (b.rejects ?? []) : [];
    if (own.length > 0) await storeRejections(this.conn, this.target, own);
    if (b.snapshot === true) this.snapshotRejected += rejected + own.length;
    this.counts.read += staged + rejected + own.length;
    this.counts.landed += inserted;
    this.counts.skipped += staged - inserted;
    this.counts.rejected += rejected + own.length;
    this.logger.debug(
      `${this.target.source}.${this.target.table}: batch ${n} landed ${inserted} of ${staged + rejected + own.length} rows in ${Math.round(performance.now() - t0)} ms, ${this.unordered ? 'unordered' : 'in order'} (not committed yet)`,
    );
  }

  /**
   * A file DuckDB could not read as its format fails the table's load as a bad file, said
   * without DuckDB's text (a CSV parser message quotes the line); a warehouse failure (disk
   * full, …) stays what it is.
   */
  private readError(b: CsvBatch | ParquetBatch, err: unknown): Error {
    const text = errorMessage(err);
    if (warehouseCause(err) !== undefined || /invalidated|Out of Memory|Interrupt/i.test(text))
      return err instanceof Error ? err : new Error(text);
    const where = `source ${this.target.source} table ${this.target.table}`;
    const what =
      b.kind === 'parquet'
        ? `${b.label} is not a Parquet file DuckDB can read (${/magic bytes/i.test(text) ? 'no Parquet footer: not Parquet, or cut short' : 'damaged or of an unsupported layout'})`
        : `${b.locate.label} could not be parsed as CSV with the table's delimiter, quote, escape and header (DuckDB's message is withheld: it quotes the file)`;
    return new ConnectorError(
      'bad_file',
      `${where}: ${what}; fix or remove the file — nothing of this load landed`,
      {
        cause: err,
      },
    );
  }

  /** The keys of the staged rows of a snapshot file, kept for its `snapshot-end`. */
  private async keepSnapshotKeys(): Promise<void> {
    const cols = this.keyColumns().map(quoteIdent);
    if (!this.snapshotKeys) {
      await this.conn.run(
        `CREATE OR REPLACE TEMP TABLE cdw_snapshot_keys AS SELECT ${cols.map((c) => `CAST(${c} AS VARCHAR) AS ${c}`).join(', ')} FROM cdw_stage`,
      );
      this.snapshotKeys = true;
      this.snapshotRejected = 0;
      return;
    }
    await this.conn.run(
      `INSERT INTO cdw_snapshot_keys SELECT ${cols.map((c) => `CAST(${c} AS VARCHAR)`).join(', ')} FROM cdw_stage`,
    );
  }

  /**
   * Order within a load carries no meaning (rows are told apart by key and _loaded_at), and an
   * unordered insert uses every thread: about half the time of an ordered one. But an unordered
   * insert holds a partial row group (122 880 rows) per thread until the transaction commits:
   * wide rows in many batches ran out of a 128 MB memory_limit (1M log lines, in 20 batches and
   * even in one), and small batches pay for their partial row groups at COMMIT (4 × 250k rows:
   * 1.8 s of inserts, then 1.4 s to commit). So a batch goes unordered only when its rows are
   * narrow, and either it is the load's first or it is large (see `insertsUnordered`); 20
   * batches of 1M 8-column rows inserted so stay at a flat 408 MB peak RSS and take half the
   * time of the ordered inserts.
   */
  private async insertOrder(batchNo: number, b: CsvBatch | ParquetBatch): Promise<void> {
    const unordered = b.kind === 'csv' && (await this.unorderedFits(batchNo, b.path));
    if (unordered !== this.unordered)
      await this.conn.run(`SET SESSION preserve_insertion_order = ${!unordered}`);
    this.unordered = unordered;
  }

  private async unorderedFits(batchNo: number, file: string): Promise<boolean> {
    const width = await lineWidth(file);
    if (width === undefined) return false;
    const rows = await readRows<{ m: string; t: number }>(
      this.conn,
      "SELECT current_setting('memory_limit') AS m, current_setting('threads')::INTEGER AS t",
    );
    const limit = bytesOf(rows[0]?.m ?? '');
    if (limit === undefined) return false;
    return insertsUnordered({
      batchNo,
      lineWidth: width,
      fileBytes: (await stat(file)).size,
      threads: Number(rows[0]?.t ?? 1),
      memoryLimit: limit,
    });
  }

  /**
   * Condition on staged row `s`: its key's latest landed version differs (or is a tombstone, or
   * none). A landed row without a stored hash (a first load's) is hashed here over the same
   * columns as the staged one.
   */
  private notYetLanded(hashed: readonly string[]): string {
    const key = this.target.dedupeKey;
    const raw = this.raw.sqlName;
    if (key.by !== 'key')
      return `NOT EXISTS (SELECT 1 FROM ${raw} r WHERE r._row_hash = s._row_hash)`;
    const cols = key.columns.map(quoteIdent);
    const match = (a: string, b: string) =>
      cols.map((c) => `${a}.${c} IS NOT DISTINCT FROM ${b}.${c}`).join(' AND ');
    const latest = `SELECT ${cols.map((c) => `r.${c}`).join(', ')}, coalesce(r._row_hash, ${rowHash(hashed, 'r')}) AS _row_hash, r._deleted FROM ${raw} r
      WHERE EXISTS (SELECT 1 FROM cdw_stage x WHERE ${match('x', 'r')})
      QUALIFY row_number() OVER (PARTITION BY ${cols.map((c) => `r.${c}`).join(', ')} ORDER BY r._loaded_at DESC, r._row_hash DESC) = 1`;
    return `NOT EXISTS (SELECT 1 FROM (${latest}) l WHERE ${match('l', 's')} AND l._row_hash = s._row_hash AND NOT l._deleted)`;
  }
}

const ROW_GROUP_ROWS = 122_880;

/**
 * Whether a batch file is inserted unordered (all threads): its rows are narrow (threads ×
 * row group × line width within a quarter of the memory limit, the partial row groups it
 * leaves) and it is the load's first batch, or large enough (2 row groups per thread: 2 × 500k
 * rows land unordered with no cost at COMMIT, 4 × 250k pay 1.4 s there) that those partial row
 * groups are a small share of it.
 */
export function insertsUnordered(b: {
  batchNo: number;
  lineWidth: number;
  fileBytes: number;
  threads: number;
  memoryLimit: number;
}): boolean {
  const narrow = b.threads * ROW_GROUP_ROWS * b.lineWidth <= b.memoryLimit / 4;
  const large = b.fileBytes / b.lineWidth >= 2 * b.threads * ROW_GROUP_ROWS;
  return narrow && (b.batchNo === 1 || large);
}

const UNITS: Record<string, number> = {
  B: 1,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
};

/** DuckDB's printed memory_limit ('122.0 MiB') in bytes; undefined when unlimited or unknown. */
function bytesOf(setting: string): number | undefined {
  const m = /^([\d.]+)\s*([A-Za-z]+)$/.exec(setting.trim());
  const unit = m === null ? undefined : UNITS[m[2]!];
  return m === null || unit === undefined ? undefined : Number(m[1]) * unit;
}

/** Average bytes per line of a file's first 64 KiB; undefined when no line ends there. */
async function lineWidth(file: string): Promise<number | undefined> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    let lines = 0;
    let last = -1;
    for (let p = buf.indexOf(0x0a); p >= 0 && p < bytesRead; p = buf.indexOf(0x0a, p + 1)) {
      lines++;
      last = p;
    }
    return lines === 0 ? undefined : (last + 1) / lines;
  } finally {
    await fh.close();
  }
}

/** md5 of the columns (sorted by name) as a JSON array: the row's identity for the dedupe. */
function rowHash(sortedColumns: readonly string[], alias?: string): string {
  return `md5(json_array(${sortedColumns.map((c) => (alias === undefined ? quoteIdent(c) : `${alias}.${quoteIdent(c)}`)).join(', ')})::VARCHAR)`;
}
