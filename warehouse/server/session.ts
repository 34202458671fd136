import {
  DuckDBTypeId,
  StatementType,
  type DuckDBConnection,
  type DuckDBPreparedStatement,
  type DuckDBType,
} from '@duckdb/node-api';
import type { Socket } from 'node:net';
import { msg, RowWriter, type FieldDescription } from './wire/backend-messages.ts';
import { parseBind, parseExecute, parseParse, parseTarget } from './wire/frontend-messages.ts';
import { PgError } from './pg-error.ts';
import { decodeParams, type BoundParam } from './decode-params.ts';
import { Portal, describeColumns } from './portal.ts';
import { OID, pgColumnType } from './pg-types.ts';
import { splitStatements } from './sql/lexer.ts';
import { planStatement, type PlannedStatement } from './sql/plan-statement.ts';
import { ddlTag, hasReturning, type SessionCommand } from './sql/session-command.ts';
import { copyLineWriter, type CopyOut } from './sql/copy-command.ts';
import { SERVER_VERSION, SessionSettings, DISPLAY_NAME } from './sql/settings.ts';
import { ANALYST_SCHEMAS } from './sql/access-policy.ts';
import {
  IDLE,
  IMPLICIT,
  explicitOnSnapshot,
  explicitOwn,
  failedIn,
  released,
  rolledBackTo,
  ownTransactionOpen,
  pinnedSnapshot,
  readyStatus,
  type TxState,
} from './transaction-state.ts';
import type { ServerContext } from './server-context.ts';
import { hasGrant } from '../privacy/grants.ts';
import { maskedSchema } from '../privacy/masked-views.ts';
import type { UserSecret } from './users.ts';
import { TransactionCalls, type TransactionCall } from './transaction-calls.ts';

/** What Describe tells of a prepared statement: read from DuckDB once per prepared statement. */
interface PreparedShape {
  readonly statementType: StatementType;
  /** Parameter types as PostgreSQL OIDs (text where DuckDB could not infer one). */
  readonly paramOids: readonly number[];
  readonly names: readonly string[];
  /** null: a column whose type depends on an untyped parameter. */
  readonly types: readonly (DuckDBType | null)[];
}

const shapes = new WeakMap<DuckDBPreparedStatement, PreparedShape>();

/**
 * The shape of a prepared statement. Prepared statements are reused across executions, and
 * reading types from DuckDB is a native call and a type object per column each time.
 */
function shapeOf(p: DuckDBPreparedStatement): PreparedShape {
  let shape = shapes.get(p);
  if (shape) return shape;
  const paramOids: number[] = [];
  for (let i = 1; i <= p.parameterCount; i++)
    paramOids.push(
      p.parameterTypeId(i) === DuckDBTypeId.INVALID
        ? OID.text
        : pgColumnType(p.parameterType(i)).oid,
    );
  const names: string[] = [];
  const types: (DuckDBType | null)[] = [];
  for (let i = 0; i < p.columnCount; i++) {
    names.push(p.columnName(i));
    types.push(p.columnTypeId(i) === DuckDBTypeId.INVALID ? null : p.columnType(i));
  }
  shape = { statementType: p.statementType, paramOids, names, types };
  shapes.set(p, shape);
  return shape;
}

/** Bytes a session may leave queued in its socket before it waits for 'drain'. */
const SOCKET_ROOM = 1024 * 1024;

interface Statement {
  readonly plan: PlannedStatement;
  readonly paramTypes: readonly number[];
  readonly prepared: Map<DuckDBConnection, DuckDBPreparedStatement>;
}

interface BoundPortal {
  readonly statement: Statement;
  readonly params: (BoundParam | null)[];
  readonly formats: number[];
  running?: Portal;
  /** Session commands answer at Execute; this holds their result. */
  described?: FieldDescription[] | null;
}

/**
 * One client connection after authentication: the simple and extended query protocols,
 * transactions, session settings. Runs on its own DuckDB connection; reads during a load go to
 * the pinned snapshot (see SnapshotRouter).
 */
export class Session {
  private readonly statements = new Map<string, Statement>();
  private readonly portals = new Map<string, BoundPortal>();
  readonly settings: SessionSettings;
  /** The transaction, in one of the states `TxState` lists (transitions in this class only). */
  private tx: TxState = IDLE;
  /** Protocol, not transaction: after an error in the extended protocol, skip until Sync. */
  private skipUntilSync = false;
  private active: DuckDBConnection | undefined;
  private readonly appliedSearchPath = new Map<DuckDBConnection, string>();
  /** BEGIN/COMMIT/ROLLBACK on the own connection, prepared once. */
  private readonly txCalls: TransactionCalls;

  constructor(
    private readonly socket: Socket,
    private readonly ctx: ServerContext,
    readonly user: UserSecret,
    readonly database: string,
    readonly pid: number,
    private readonly conn: DuckDBConnection,
    private readonly parser: DuckDBConnection,
    startup: Record<string, string>,
    defaults: { readonly statementTimeoutMs: number } = { statementTimeoutMs: 0 },
  ) {
    const admin = user.role === 'admin';
    this.txCalls = new TransactionCalls(conn);
    this.settings = new SessionSettings(
      {
        is_superuser: admin ? 'on' : 'off',
        session_authorization: user.name,
        default_transaction_read_only: admin ? 'off' : 'on',
        transaction_read_only: admin ? 'off' : 'on',
      },
      Object.fromEntries(
        Object.entries(startup).filter(
          ([k]) => !['user', 'database', 'options', 'replication'].includes(k),
        ),
      ),
      defaults.statementTimeoutMs > 0
        ? { statement_timeout: String(defaults.statementTimeoutMs) }
        : {},
    );
  }

  private maskPii: boolean | undefined;

  get analyst(): boolean {
    return this.user.role !== 'admin';
  }

  /** The ParameterStatus messages sent after authentication. */
  startupStatus(): Buffer[] {
    const names = [
      'server_version',
      'server_encoding',
      'client_encoding',
      'DateStyle',
      'IntervalStyle',
      'TimeZone',
      'integer_datetimes',
      'standard_conforming_strings',
      'application_name',
      'is_superuser',
      'session_authorization',
      'default_transaction_read_only',
      'in_hot_standby',
    ];
    return names.map((n) => msg.parameterStatus(n, this.settings.get(n) ?? ''));
  }

  private outbox: Buffer[] = [];
  private outboxBytes = 0;

  /** Queues a message; small ones are sent together by `flush` (one packet per round trip). */
  private send(b: Buffer): Promise<void> {
    this.outbox.push(b);
    this.outboxBytes += b.length;
    return this.outboxBytes > 64 * 1024 ? this.flush() : Promise.resolve();
  }

  /** Writes what is queued; resolves when the socket can take more. */
  flush(): Promise<void> {
    if (this.outbox.length === 0 || this.socket.destroyed) return Promise.resolve();
    const parts = this.outbox;
    this.outbox = [];
    this.outboxBytes = 0;
    // Several buffers go out in one writev (no copy into one buffer: rows come in large blocks).
    let ok = true;
    if (parts.length === 1) ok = this.socket.write(parts[0]!);
    else {
      this.socket.cork();
      for (const p of parts) ok = this.socket.write(p);
      this.socket.uncork();
    }
    // Back-pressure with some room: rows keep being read from DuckDB while up to a few
    // hundred KB wait in the socket, so reading and sending overlap; beyond that, wait.
    if (ok || this.socket.writableLength < SOCKET_ROOM) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('close', done);
        this.socket.off('drain', done);
        resolve();
      };
      this.socket.once('drain', done);
      this.socket.once('close', done);
    });
  }

  private readyStatus(): 'I' | 'T' | 'E' {
    return readyStatus(this.tx);
  }

  /** Interrupts the running statement (CancelRequest). */
  cancel(): void {
    this.active?.interrupt();
  }

  /**
   * Runs one statement's work under statement_timeout: when it passes, the DuckDB query is
   * interrupted and the statement fails with 57014 as in PostgreSQL.
   */
  private async underTimeout<T>(work: () => Promise<T>): Promise<T> {
    const ms = this.settings.durationMs('statement_timeout');
    if (ms <= 0) return work();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.active?.interrupt();
    }, ms);
    try {
      return await work();
    } catch (err) {
      if (timedOut) throw new PgError('57014', 'canceling statement due to statement timeout');
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    for (const p of this.portals.values()) p.running?.close();
    this.portals.clear();
    const tx = this.tx;
    this.tx = IDLE;
    pinnedSnapshot(tx)?.release();
    for (const s of this.statements.values()) for (const p of s.prepared.values()) p.destroySync();
    this.statements.clear();
    for (const p of this.prepared.values()) p.destroySync();
    this.prepared.clear();
    try {
      await this.endPrebegun();
      if (ownTransactionOpen(tx)) await this.txCalls.run('ROLLBACK');
    } catch {
      // the connection is closed next anyway
    }
    await this.txCalls.close();
    this.committedWrites();
    this.conn.closeSync();
    this.parser.closeSync();
  }

  async handle(type: string, body: Buffer): Promise<void> {
    if (this.skipUntilSync && type !== 'S' && type !== 'X') return;
    if (type === 'Q' || type === 'P' || type === 'B' || type === 'D' || type === 'E')
      this.beginSoon();
    try {
      switch (type) {
        case 'Q':
          return await this.simpleQuery(body.toString('utf8', 0, body.length - 1));
        case 'P':
          return await this.parse(body);
        case 'B':
          return await this.bind(body);
        case 'D':
          return await this.describe(body);
        case 'E':
          return await this.execute(body);
        case 'C':
          return this.closeTarget(body);
        case 'S':
          return await this.sync();
        case 'H':
          return;
        default:
          throw new PgError('0A000', `protocol message '${type}' is not supported`);
      }
    } catch (err) {
      await this.fail(err);
      if (type !== 'Q' && type !== 'S') this.skipUntilSync = true;
    }
  }

  private async fail(err: unknown): Promise<void> {
    const e = PgError.from(err);
    this.ctx.logger.debug(`session ${this.pid}: error ${e.code}`);
    if (this.tx.kind === 'explicit') this.tx = failedIn(this.tx);
    else await this.endImplicit(false);
    await this.send(
      msg.error({
        severity: 'ERROR',
        code: e.code,
        message: e.message,
        detail: e.detail,
        hint: e.hint,
      }),
    );
  }

  // ---------------------------------------------------------------- simple query protocol

  private async simpleQuery(sql: string): Promise<void> {
    const parts = splitStatements(sql);
    if (parts.length === 0) await this.send(msg.emptyQuery());
    for (const text of parts) {
      try {
        const st = await this.makeStatement(text, []);
        const p: BoundPortal = { statement: st, params: [], formats: [] };
        await this.runPortal(p, 0, true);
      } catch (err) {
        await this.fail(err);
        break;
      }
    }
    await this.endImplicit(true);
    this.endUnusedBegin();
    this.committedWrites();
    // Cursors and named portals live until the end of an explicit transaction.
    if (this.tx.kind !== 'explicit') this.closeAllPortals();
    await this.send(msg.readyForQuery(this.readyStatus()));
  }

  // ---------------------------------------------------------------- extended query protocol

  private async parse(body: Buffer): Promise<void> {
    const { name, sql, paramTypes } = parseParse(body);
    const parts = splitStatements(sql);
    if (parts.length > 1)
      throw new PgError('42601', 'cannot insert multiple commands into a prepared statement');
    if (name !== '' && this.statements.has(name))
      throw new PgError('42P05', `prepared statement "${name}" already exists`);
    this.dropStatement(name);
    this.statements.set(name, await this.makeStatement(parts[0] ?? '', paramTypes));
    await this.send(msg.parseComplete());
  }

  private async bind(body: Buffer): Promise<void> {
    const b = parseBind(body);
    const st = this.statements.get(b.statement);
    if (!st) throw new PgError('26000', `prepared statement "${b.statement}" does not exist`);
    const oids = await this.paramOids(st);
    const old = this.portals.get(b.portal);
    old?.running?.close();
    this.portals.set(b.portal, {
      statement: st,
      params: decodeParams(b.params, b.paramFormats, oids),
      formats: b.resultFormats,
    });
    await this.send(msg.bindComplete());
  }

  private async describe(body: Buffer): Promise<void> {
    const t = parseTarget(body);
    if (t.kind === 'S') {
      const st = this.statements.get(t.name);
      if (!st) throw new PgError('26000', `prepared statement "${t.name}" does not exist`);
      await this.send(msg.parameterDescription(await this.paramOids(st)));
      const fields = await this.fieldsOf(st, []);
      await this.send(fields ? msg.rowDescription(fields) : msg.noData());
      return;
    }
    const p = this.portals.get(t.name);
    if (!p) throw new PgError('34000', `portal "${t.name}" does not exist`);
    let fields = await this.fieldsOf(p.statement, p.formats);
    // Columns that depend on untyped parameters (`SELECT $1 AS v`) have neither name nor type
    // before the values are bound: run the portal now (Execute reads it) and describe its result.
    if (fields && !p.running && (await this.hasUnresolvedColumns(p.statement))) {
      const started = await this.underTimeout(() => this.startPortal(p));
      p.running = started;
      fields = started.fields.length > 0 ? started.fields : null;
    }
    p.described = fields;
    await this.send(fields ? msg.rowDescription(fields) : msg.noData());
  }

  private async execute(body: Buffer): Promise<void> {
    const { portal, maxRows } = parseExecute(body);
    const p = this.portals.get(portal);
    if (!p) throw new PgError('34000', `portal "${portal}" does not exist`);
    await this.runPortal(p, maxRows, false);
  }

  private closeTarget(body: Buffer): Promise<void> {
    const t = parseTarget(body);
    if (t.kind === 'S') this.dropStatement(t.name);
    else {
      this.portals.get(t.name)?.running?.close();
      this.portals.delete(t.name);
    }
    return this.send(msg.closeComplete());
  }

  private async sync(): Promise<void> {
    this.skipUntilSync = false;
    if (this.tx.kind !== 'explicit') {
      this.closeAllPortals();
      await this.endImplicit(true);
      this.endUnusedBegin();
      this.committedWrites();
    }
    await this.send(msg.readyForQuery(this.readyStatus()));
  }

  private dropStatement(name: string): void {
    const s = this.statements.get(name);
    if (!s) return;
    for (const p of s.prepared.values()) p.destroySync();
    this.statements.delete(name);
  }

  private closeAllPortals(): void {
    for (const p of this.portals.values()) p.running?.close();
    this.portals.clear();
  }

  // ---------------------------------------------------------------- statements

  /**
   * Plans by statement text, for clients that Parse the same text again and again (unnamed
   * statements: JDBC, node-pg, most BI tools). A plan depends on the catalog's names and the
   * session's settings (search path, current_setting constants), so both are in the key.
   */
  private readonly plans = new Map<string, PlannedStatement>();

  private async makeStatement(text: string, paramTypes: readonly number[]): Promise<Statement> {
    await this.ctx.catalog.refresh();
    // an analyst without the pii grant reads personal columns masked (warehouse/privacy/)
    this.maskPii ??=
      this.analyst && !(await hasGrant(await this.ownSettledConnection(), this.user.name, 'pii'));
    const key = `${this.ctx.catalog.generation}|${this.settings.version}|${paramTypes.join(',')}|${text}`;
    let plan = this.plans.get(key);
    if (plan) {
      this.plans.delete(key);
      this.plans.set(key, plan);
    } else {
      plan = await this.plan(text, paramTypes);
      if (this.plans.size >= 64) this.plans.delete(this.plans.keys().next().value!);
      this.plans.set(key, plan);
    }
    for (const [k, v] of plan.settings) this.applySetting(k, v);
    return { plan, paramTypes, prepared: new Map() };
  }

  private plan(text: string, paramTypes: readonly number[]): Promise<PlannedStatement> {
    return planStatement(text, {
      parser: this.parser,
      analyst: this.analyst,
      relationExists: (name) => this.ctx.catalog.analystRelationExists(name),
      tableMacroExists: (name) => this.ctx.catalog.analystTableMacroExists(name),
      tableMacros: !this.maskPii,
      rewrite: {
        shim: this.ctx.shim,
        visible: this.analyst ? ANALYST_SCHEMAS : null,
        database: this.database,
        user: this.user.name,
        admin: !this.analyst,
        searchPath: this.pgSearchPath(),
        pid: this.pid,
        serverVersion: SERVER_VERSION,
        setting: (n) => this.settings.get(n),
        settings: () => this.settings.all(),
        paramTypes,
        mainOnly: this.ctx.catalog.mainOnly(),
        masked: this.maskPii
          ? (schema, table) => maskedSchema(schema, table, this.pgSearchPath(), this.ctx.catalog)
          : undefined,
      },
    });
  }

  private pgSearchPath(): string[] {
    const sp = this.settings.searchPath();
    return sp.length > 0 ? sp : ['public'];
  }

  /** `duckSearchPath` as of a settings version and catalog generation (asked several times per statement). */
  private duckPath = { settings: -1, catalog: -1, path: '' };

  /** The DuckDB search_path for this session (public also searches DuckDB's main). */
  private duckSearchPath(): string {
    const d = this.duckPath;
    if (d.settings === this.settings.version && d.catalog === this.ctx.catalog.generation)
      return d.path;
    const path = this.readDuckSearchPath();
    this.duckPath = {
      settings: this.settings.version,
      catalog: this.ctx.catalog.generation,
      path,
    };
    return path;
  }

  private readDuckSearchPath(): string {
    const existing = this.ctx.catalog.schemas();
    const out: string[] = [];
    for (const s of this.pgSearchPath()) {
      for (const d of s === 'public' ? ['public', 'main'] : [s]) {
        if (existing.has(d) && (!this.analyst || ANALYST_SCHEMAS.includes(d)) && !out.includes(d))
          out.push(d);
      }
    }
    if (out.length === 0) out.push(existing.has('public') ? 'public' : 'main');
    return out.join(',');
  }

  private applySetting(name: string, value: string | null): void {
    const err = this.settings.set(name, value);
    if (err) throw new PgError('55P02', err);
  }

  private async paramOids(st: Statement): Promise<number[]> {
    if (st.plan.command.kind !== 'sql') return [];
    const shape = shapeOf(await this.preparedOn(st, this.conn));
    return shape.paramOids.map((oid, i) => st.paramTypes[i] || oid);
  }

  /**
   * DuckDB statements prepared on the session's own connection, by text: clients Parse the same
   * unnamed statement for every execution (JDBC, node-pg), and preparing is a round trip to
   * DuckDB's threads. The key holds what name resolution depends on (the catalog's generation
   * and the search path). Entries live for one tick of the write clock (`WriteClock`: DuckDB
   * plans with the statistics of the rows at hand), and none are kept while a load writes.
   * Dropped entries are left to the garbage collector: a portal may still read from one.
   */
  private prepared = new Map<string, DuckDBPreparedStatement>();
  private preparedAt = -1;

  private async preparedOn(
    st: Statement,
    conn: DuckDBConnection,
  ): Promise<DuckDBPreparedStatement> {
    if (conn === this.conn) return this.preparedOwn(st.plan.sql);
    // A load's pinned snapshot: its rows do not change while it lives.
    let p = st.prepared.get(conn);
    if (!p) {
      await this.applySearchPath(conn);
      p = await conn.prepare(st.plan.sql);
      st.prepared.set(conn, p);
    }
    return p;
  }

  private async preparedOwn(sql: string): Promise<DuckDBPreparedStatement> {
    const generation = this.ctx.writes.generation;
    if (this.preparedAt !== generation) {
      this.prepared = new Map();
      this.preparedAt = generation;
    }
    const key = `${this.ctx.catalog.generation}|${this.duckSearchPath()}|${sql}`;
    const cached = this.prepared.get(key);
    if (cached) {
      this.prepared.delete(key);
      this.prepared.set(key, cached);
      return cached;
    }
    await this.drainStreams();
    await this.ownConnection();
    // Preparing reads the catalog: in the begun transaction, which Sync then ends like any
    // implicit one (no snapshot stays open while the client is idle).
    if (this.tx.kind === 'idle' && this.prebegun) {
      this.prebegun = false;
      this.tx = IMPLICIT;
    }
    await this.applySearchPath(this.conn);
    const p = await this.conn.prepare(sql);
    // Rows written during a load are committed step by step, with no tick between.
    if (this.ctx.router.loading || this.ctx.writes.generation !== generation) return p;
    if (this.prepared.size >= 64) this.prepared.delete(this.prepared.keys().next().value!);
    this.prepared.set(key, p);
    return p;
  }

  private async hasUnresolvedColumns(st: Statement): Promise<boolean> {
    if (st.plan.command.kind !== 'sql') return false;
    return shapeOf(await this.preparedOn(st, this.conn)).types.includes(null);
  }

  /** RowDescription fields of a statement, or null if it returns no rows. */
  private async fieldsOf(
    st: Statement,
    formats: readonly number[],
  ): Promise<FieldDescription[] | null> {
    const c = st.plan.command;
    if (c.kind === 'show')
      return [
        {
          name: c.name === 'all' ? 'name' : c.name,
          tableOid: 0,
          columnAttr: 0,
          typeOid: OID.text,
          typeSize: -1,
          typeModifier: -1,
          format: 0,
        },
      ];
    if (c.kind === 'fetch' && !c.move) {
      const portal = await this.cursorPortal(c.name);
      return portal.fields.length > 0 ? portal.fields : null;
    }
    if (c.kind !== 'sql') return null;
    const shape = shapeOf(await this.preparedOn(st, this.conn));
    const type = shape.statementType;
    const dml =
      type === StatementType.INSERT ||
      type === StatementType.UPDATE ||
      type === StatementType.DELETE;
    if ((dml && !hasReturning(st.plan.sql)) || shape.names.length === 0) return null;
    if (
      !dml &&
      type !== StatementType.SELECT &&
      type !== StatementType.EXPLAIN &&
      type !== StatementType.PRAGMA &&
      type !== StatementType.CALL &&
      type !== StatementType.EXECUTE
    )
      return null;
    const { names, types } = shape;
    if (types.includes(null))
      return names.map((name) => ({
        name,
        tableOid: 0,
        columnAttr: 0,
        typeOid: OID.text,
        typeSize: -1,
        typeModifier: -1,
        format: 0,
      }));
    return describeColumns(names, types as DuckDBType[], formats);
  }

  /** Runs a portal: session commands here, SQL on the right DuckDB connection. */
  private async runPortal(p: BoundPortal, maxRows: number, simple: boolean): Promise<void> {
    if (this.tx.kind === 'explicit' && this.tx.failed) {
      const k = p.statement.plan.command.kind;
      if (k !== 'commit' && k !== 'rollback' && k !== 'rollback_to')
        throw new PgError(
          '25P02',
          'current transaction is aborted, commands ignored until end of transaction block',
        );
    }
    const c = p.statement.plan.command;
    if (c.kind === 'copy_out') return this.copyOut(p, c.copy);
    if (c.kind === 'declare') return this.declare(p, c);
    if (c.kind === 'fetch') return this.fetchCursor(c, simple);
    if (c.kind === 'close_cursor') {
      if (c.name === null) this.closeAllPortals();
      else {
        const cur = this.portals.get(c.name);
        if (!cur) throw new PgError('34000', `cursor "${c.name}" does not exist`);
        cur.running?.close();
        this.portals.delete(c.name);
      }
      return this.send(msg.commandComplete('CLOSE CURSOR'));
    }
    if (c.kind !== 'sql') {
      await this.runCommand(c, simple);
      return;
    }
    const r = await this.underTimeout(async () => {
      if (!p.running) {
        const portal = await this.startPortal(p);
        p.running = portal;
        if (simple && portal.fields.length > 0) await this.send(msg.rowDescription(portal.fields));
      }
      const running = p.running;
      this.active = running.conn;
      try {
        return await running.fetch(maxRows, (b) => this.send(b));
      } finally {
        this.active = undefined;
      }
    });
    if (r.state === 'suspended') await this.send(msg.portalSuspended());
    else await this.send(msg.commandComplete(r.tag));
  }

  /**
   * DECLARE … CURSOR: a named portal over the planned SELECT, read by FETCH and ended by CLOSE
   * or the end of the transaction (no WITH HOLD, forward only).
   */
  private async declare(
    p: BoundPortal,
    c: Extract<SessionCommand, { kind: 'declare' }>,
  ): Promise<void> {
    if (this.tx.kind !== 'explicit')
      throw new PgError('25P01', 'DECLARE CURSOR can only be used in transaction blocks');
    if (c.hold) throw new PgError('0A000', 'cursors WITH HOLD are not supported by cdw');
    if (this.portals.has(c.name)) throw new PgError('42P03', `cursor "${c.name}" already exists`);
    this.portals.set(c.name, { statement: p.statement, params: [], formats: c.binary ? [1] : [] });
    await this.send(msg.commandComplete('DECLARE CURSOR'));
  }

  /** The cursor's running portal, started on first use. */
  private async cursorPortal(name: string): Promise<Portal> {
    const cur = this.portals.get(name);
    if (!cur) throw new PgError('34000', `cursor "${name}" does not exist`);
    cur.running ??= await this.underTimeout(() => this.startPortal(cur));
    return cur.running;
  }

  private async fetchCursor(
    c: Extract<SessionCommand, { kind: 'fetch' }>,
    simple: boolean,
  ): Promise<void> {
    const portal = await this.cursorPortal(c.name);
    if (simple && !c.move && portal.fields.length > 0)
      await this.send(msg.rowDescription(portal.fields));
    const before = portal.rowCount;
    const sink = c.move ? () => Promise.resolve() : (b: Buffer) => this.send(b);
    this.active = portal.conn;
    try {
      // FETCH 0 reads nothing (cdw cursors have no current row to repeat); null is ALL.
      if (c.count !== 0) await this.underTimeout(() => portal.fetch(c.count ?? 0, sink));
    } finally {
      this.active = undefined;
    }
    await this.send(
      msg.commandComplete(`${c.move ? 'MOVE' : 'FETCH'} ${portal.rowCount - before}`),
    );
  }

  /** COPY … TO STDOUT: CopyOutResponse, one CopyData per row, CopyDone, `COPY n`. */
  private async copyOut(p: BoundPortal, copy: CopyOut): Promise<void> {
    const rows = await this.underTimeout(async () => {
      const portal = await this.startPortal(p);
      p.running = portal;
      const names = portal.fields.map((f) => f.name);
      await this.send(msg.copyOutResponse(names.length));
      const line = copyLineWriter(copy, names);
      if (copy.header) await this.send(msg.copyData(line(names)));
      this.active = portal.conn;
      try {
        return await portal.copyOut(line, (b) => this.send(b));
      } finally {
        this.active = undefined;
      }
    });
    p.running = undefined;
    await this.send(msg.copyDone());
    await this.send(msg.commandComplete(`COPY ${rows}`));
  }

  private async startPortal(p: BoundPortal): Promise<Portal> {
    const plan = p.statement.plan;
    const { conn, release } = await this.connectionFor(plan.select);
    try {
      await this.applySearchPath(conn);
      const prepared = await this.preparedOn(p.statement, conn);
      const type = prepared.statementType;
      const dml =
        type === StatementType.INSERT ||
        type === StatementType.UPDATE ||
        type === StatementType.DELETE;
      const tagBase =
        type === StatementType.SELECT
          ? 'SELECT'
          : dml && !hasReturning(plan.sql)
            ? 'DML'
            : ddlTag(plan.sql);
      const portal = new Portal(type, tagBase, conn, release);
      if (!plan.select && this.tx.kind === 'explicit' && !this.tx.wrote)
        this.tx = { ...this.tx, wrote: true };
      if (!plan.select) {
        this.wrote = true;
        // Its own later statements see the write before it commits (and before any tick).
        this.preparedAt = -1;
      }
      this.active = conn;
      try {
        await portal.start(prepared, p.params, p.formats);
        // A leased snapshot connection is given back as soon as possible: read it all now. A
        // write is read to its end too, so that it has committed (outside a transaction) when
        // the write clock ticks for it.
        if (conn !== this.conn || !plan.select) await portal.drain();
      } finally {
        this.active = undefined;
      }
      return portal;
    } catch (err) {
      release();
      throw err;
    }
  }

  private async applySearchPath(conn: DuckDBConnection): Promise<void> {
    const sp = this.duckSearchPath();
    const own = conn === this.conn || conn === this.parser;
    const pinned = pinnedSnapshot(this.tx) ?? this.ctx.router.snapshot();
    const current = own ? this.appliedSearchPath.get(conn) : pinned?.searchPaths.get(conn);
    if (current === sp) return;
    await conn.run(`SET search_path = '${sp.replaceAll("'", "''")}'`);
    if (own) this.appliedSearchPath.set(conn, sp);
    else pinned?.searchPaths.set(conn, sp);
  }

  /**
   * The connection a statement runs on: the pinned snapshot for reads during a load (or for the
   * whole of a transaction begun during one), otherwise the session's own connection, in a
   * READ ONLY transaction for analysts.
   */
  private async connectionFor(
    read: boolean,
  ): Promise<{ conn: DuckDBConnection; release: () => void }> {
    const pinned = pinnedSnapshot(this.tx);
    const snap = pinned ?? (this.tx.kind !== 'explicit' ? this.ctx.router.snapshot() : undefined);
    if (snap && (read || pinned)) {
      if (!read)
        throw new PgError(
          '25006',
          'this transaction began during a load and reads the state before it; it cannot write',
          undefined,
          'commit and retry after the load',
        );
      const conn = await snap.lease();
      return { conn, release: () => snap.giveBack(conn) };
    }
    await this.drainStreams();
    await this.ownConnection();
    if (this.analyst && this.tx.kind === 'idle') {
      if (this.prebegun) this.prebegun = false;
      else await this.txCalls.run('BEGIN TRANSACTION READ ONLY');
      this.tx = IMPLICIT;
    } else if (this.tx.kind === 'idle') await this.endPrebegun();
    return { conn: this.conn, release: () => undefined };
  }

  /** Reads suspended portals on the own connection into memory before it runs anything else. */
  private async drainStreams(): Promise<void> {
    for (const p of this.portals.values())
      if (p.running?.streaming && p.running.conn === this.conn) await p.running.drain();
  }

  /**
   * Ends the implicit (read-only) transaction without waiting for DuckDB: the client gets
   * ReadyForQuery at once and the COMMIT overlaps its next round trip. Whatever runs on the own
   * connection next waits for it first (`ownConnection`).
   */
  private async endImplicit(commit: boolean): Promise<void> {
    if (this.tx.kind !== 'implicit') return;
    this.tx = IDLE;
    this.closeAllPortals();
    this.ending = this.afterPending(commit ? 'COMMIT' : 'ROLLBACK').catch(() => undefined);
  }

  /**
   * An analyst's next statement has begun to arrive: its READ ONLY transaction is begun now,
   * while the rest of its messages are read, so the statement does not wait for its BEGIN.
   * Not earlier (say together with the last statement's COMMIT): DuckDB's `now()`,
   * `current_timestamp` and `current_date` are the transaction's start, which must be this
   * statement's, not the end of the last one (a connection idle in a pool would read an old
   * time). DuckDB takes the snapshot at the first read, so the begun transaction holds
   * nothing until the statement reads.
   */
  private beginSoon(): void {
    if (!this.analyst || this.tx.kind !== 'idle' || this.prebegun || this.ctx.router.loading)
      return;
    this.prebegun = true;
    const begun: Promise<void> = this.afterPending('BEGIN TRANSACTION READ ONLY').catch(() => {
      // The statement begins its own (`connectionFor`), unless another took this one's place.
      if (this.ending === begun) this.prebegun = false;
    });
    this.ending = begun;
  }

  /** A transaction begun for a message that ran nothing in it (SET, SHOW, a Close) ends. */
  private endUnusedBegin(): void {
    if (this.tx.kind !== 'idle' || !this.prebegun) return;
    this.prebegun = false;
    this.ending = this.afterPending('ROLLBACK').catch(() => undefined);
  }

  /** Runs `sql` on the own connection after what is pending there, without waiting for it. */
  private async afterPending(call: TransactionCall): Promise<void> {
    await this.ending;
    await this.txCalls.run(call);
  }

  /** A statement other than a read ran since the write clock last ticked for this session. */
  private wrote = false;

  /**
   * Ticks the write clock for what this session wrote, once it has committed: at the end of a
   * statement outside a transaction block (it autocommitted when read to its end), or at the
   * end of the transaction block.
   */
  private committedWrites(): void {
    if (!this.wrote || this.tx.kind === 'explicit') return;
    this.wrote = false;
    this.ctx.writes.tick();
  }

  /**
   * What runs on the own connection without the client waiting for it (the end of the last
   * implicit transaction, the BEGIN of the next: `beginSoon`), while DuckDB is still running it.
   */
  private ending: Promise<void> | undefined;
  /**
   * The own connection is in a READ ONLY transaction (or its BEGIN is pending in `ending`) that
   * has read nothing yet (tx is idle): the current analyst statement runs in it. Anything else
   * on the own connection ends it first (`endPrebegun`) so that no snapshot is taken outside a
   * statement.
   */
  private prebegun = false;

  private async endPrebegun(): Promise<void> {
    await this.ownConnection();
    if (!this.prebegun) return;
    this.prebegun = false;
    await this.txCalls.run('ROLLBACK').catch(() => undefined);
  }

  /** The own connection outside any transaction (for reads that are not a client's statement). */
  private async ownSettledConnection(): Promise<DuckDBConnection> {
    if (this.tx.kind === 'idle') await this.endPrebegun();
    else await this.ownConnection();
    return this.conn;
  }

  /** The session's own connection, once the last implicit transaction has ended. */
  private async ownConnection(): Promise<DuckDBConnection> {
    while (this.ending) {
      const pending = this.ending;
      await pending;
      if (this.ending === pending) this.ending = undefined;
    }
    return this.conn;
  }

  // ---------------------------------------------------------------- session commands

  private async runCommand(c: SessionCommand, simple: boolean): Promise<void> {
    switch (c.kind) {
      case 'set':
        this.applySetting(c.name, c.value);
        return this.send(msg.commandComplete('SET'));
      case 'reset':
        if (c.name === 'all') this.settings.resetAll();
        else this.applySetting(c.name, null);
        return this.send(msg.commandComplete('RESET'));
      case 'show': {
        const rows =
          c.name === 'all'
            ? this.settings.all()
            : [[DISPLAY_NAME[c.name] ?? c.name, this.settings.get(c.name)]];
        if (rows.some((r) => r[1] === undefined))
          throw new PgError('42704', `unrecognized configuration parameter "${c.name}"`);
        if (simple) {
          const fields: FieldDescription[] = (
            c.name === 'all' ? ['name', 'setting'] : [c.name]
          ).map((name) => ({
            name,
            tableOid: 0,
            columnAttr: 0,
            typeOid: OID.text,
            typeSize: -1,
            typeModifier: -1,
            format: 0,
          }));
          await this.send(msg.rowDescription(fields));
        }
        const w = new RowWriter();
        for (const r of rows) w.addRow(c.name === 'all' ? [r[0]!, r[1]!] : [r[1]!]);
        await this.send(w.take());
        return this.send(msg.commandComplete('SHOW'));
      }
      case 'begin':
        await this.begin(c.readOnly);
        return this.send(msg.commandComplete('BEGIN'));
      case 'commit':
        return this.send(
          msg.commandComplete(
            await this.endExplicit(this.tx.kind !== 'explicit' || !this.tx.failed),
          ),
        );
      case 'rollback':
        await this.endExplicit(false);
        return this.send(msg.commandComplete('ROLLBACK'));
      case 'savepoint':
      case 'release':
      case 'rollback_to':
        return this.send(msg.commandComplete(await this.savepointCommand(c)));
      case 'discard':
        if (this.tx.kind === 'explicit')
          throw new PgError('25001', 'DISCARD ALL cannot run inside a transaction block');
        this.settings.resetAll();
        for (const name of [...this.statements.keys()]) this.dropStatement(name);
        this.closeAllPortals();
        return this.send(msg.commandComplete('DISCARD ALL'));
      case 'deallocate':
        if (c.name === null)
          for (const name of [...this.statements.keys()]) this.dropStatement(name);
        else this.dropStatement(c.name);
        return this.send(msg.commandComplete('DEALLOCATE'));
      case 'noop':
        return this.send(msg.commandComplete(c.tag));
      case 'unsupported':
        throw new PgError('0A000', `${c.what} are not supported by cdw`);
      case 'sql':
      case 'copy_out':
      case 'declare':
      case 'fetch':
      case 'close_cursor':
        throw new PgError('XX000', `internal: ${c.kind} routed as a session command`);
    }
  }

  private async begin(readOnly: boolean): Promise<void> {
    if (this.tx.kind === 'explicit') {
      await this.send(
        msg.notice({
          severity: 'WARNING',
          code: '25001',
          message: 'there is already a transaction in progress',
        }),
      );
      return;
    }
    const snap = this.ctx.router.snapshot();
    if (this.tx.kind === 'idle' && snap) {
      snap.hold();
      this.tx = explicitOnSnapshot(snap);
      return;
    }
    // An implicit transaction (analysts only) is read-only already.
    const ro = this.analyst || readOnly || this.tx.kind === 'implicit';
    if (this.tx.kind === 'idle') {
      await this.drainStreams();
      await this.ownConnection();
      if (this.prebegun && ro) this.prebegun = false;
      else {
        await this.endPrebegun();
        await this.txCalls.run(ro ? 'BEGIN TRANSACTION READ ONLY' : 'BEGIN TRANSACTION');
      }
    }
    // From idle, or taking over the implicit transaction of this Sync.
    this.tx = explicitOwn(ro);
  }

  /** SAVEPOINT, RELEASE, ROLLBACK TO: names over DuckDB's savepoint-less transactions. */
  private async savepointCommand(c: {
    readonly kind: 'savepoint' | 'release' | 'rollback_to';
    readonly name: string;
  }): Promise<string> {
    const tx = this.tx;
    const word = { savepoint: 'SAVEPOINT', release: 'RELEASE', rollback_to: 'ROLLBACK' }[c.kind];
    if (tx.kind !== 'explicit')
      throw new PgError('25P01', `${word} can only be used in transaction blocks`);
    if (c.kind === 'savepoint') {
      this.tx = { ...tx, savepoints: [...tx.savepoints, c.name] };
      return word;
    }
    const next = c.kind === 'release' ? released(tx, c.name) : rolledBackTo(tx, c.name);
    if (!next) throw new PgError('3B001', `savepoint "${c.name}" does not exist`);
    if (c.kind === 'rollback_to' && tx.wrote)
      throw new PgError(
        '0A000',
        'cdw cannot roll back to a savepoint after the transaction changed data (DuckDB has no savepoints)',
        undefined,
        'ROLLBACK the whole transaction',
      );
    if (c.kind === 'rollback_to' && tx.failed && next.on === 'own') {
      // An error may have aborted DuckDB's transaction; nothing was written, so a new one
      // undoes nothing.
      this.closeAllPortals();
      await this.txCalls.run('ROLLBACK').catch(() => undefined);
      await this.txCalls.run(next.readOnly ? 'BEGIN TRANSACTION READ ONLY' : 'BEGIN TRANSACTION');
    }
    this.tx = next;
    return word;
  }

  private async endExplicit(commit: boolean): Promise<string> {
    const tx = this.tx;
    if (tx.kind !== 'explicit') {
      await this.send(
        msg.notice({
          severity: 'WARNING',
          code: '25P01',
          message: 'there is no transaction in progress',
        }),
      );
      return commit ? 'COMMIT' : 'ROLLBACK';
    }
    this.tx = IDLE;
    this.closeAllPortals();
    const committing = commit && !tx.failed;
    if (tx.on === 'snapshot') tx.snapshot.release();
    else if (committing) await this.txCalls.run('COMMIT');
    else await this.txCalls.run('ROLLBACK').catch(() => undefined);
    this.committedWrites();
    return committing ? 'COMMIT' : 'ROLLBACK';
  }
}
