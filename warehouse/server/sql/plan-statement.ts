import type { DuckDBConnection } from '@duckdb/node-api';
import { readRows } from '../../../foundation/duckdb-client.ts';
import { PgError } from '../pg-error.ts';
import { parseSerialized, type AstNode, str } from './ast.ts';
import { normalizePgSyntax, tokenize } from './lexer.ts';
import { checkAnalystSelect } from './access-policy.ts';
import { rewriteSelect, type RewriteContext } from './rewrite.ts';
import { classify, type SessionCommand } from './session-command.ts';

/** One client statement, ready to run: answered by the session, or SQL for DuckDB. */
export interface PlannedStatement {
  readonly text: string;
  readonly command: SessionCommand;
  /** What DuckDB runs (rewritten for SELECTs). */
  readonly sql: string;
  /** DuckDB parsed it as a SELECT (the only kind an analyst may run). */
  readonly select: boolean;
  /** set_config() side effects to apply to the session. */
  readonly settings: readonly [string, string][];
}

export interface PlanInput {
  /** A connection used only to parse (json_serialize_sql / json_deserialize_sql). */
  readonly parser: DuckDBConnection;
  readonly rewrite: Omit<RewriteContext, 'pgRegex'>;
  readonly analyst: boolean;
  readonly relationExists: (name: string) => boolean;
  /** Whether an unqualified table function is a table macro of the analyst's schemas. */
  readonly tableMacroExists?: (name: string) => boolean;
  /** Whether the analyst may call table macros (not when personal columns are masked for them). */
  readonly tableMacros?: boolean;
}

/**
 * Classifies a statement; for SQL, parses it with DuckDB, rewrites SELECTs to answer as
 * PostgreSQL, and applies the analyst policy to DuckDB's parse tree.
 */
export async function planStatement(text: string, input: PlanInput): Promise<PlannedStatement> {
  const command = classify(text);
  if (command.kind === 'copy_out') {
    // The rows come from a SELECT, planned (and checked for analysts) like any other.
    const inner = await planStatement(command.copy.select, input);
    if (inner.command.kind !== 'sql' || !inner.select)
      throw new PgError('42601', 'COPY (query) TO STDOUT needs a SELECT');
    return { ...inner, text, command };
  }
  if (command.kind === 'declare') {
    const inner = await planStatement(command.query, input);
    if (inner.command.kind !== 'sql' || !inner.select)
      throw new PgError('42601', 'DECLARE CURSOR needs a SELECT');
    return { ...inner, text, command };
  }
  if (command.kind !== 'sql') return { text, command, sql: text, select: false, settings: [] };
  const normalized = normalizePgSyntax(text);
  const rows = await readRows<{ j: string }>(
    input.parser,
    'SELECT json_serialize_sql($1::VARCHAR) AS j',
    [normalized],
  );
  const parsed = parseSerialized(rows[0]?.j ?? '{}');
  if (parsed.error === true) {
    const msg = str(parsed.error_message);
    if (/Only SELECT statements can be serialized/i.test(msg)) {
      if (input.analyst)
        throw new PgError(
          '42501',
          'permission denied: the analyst role can only read (SELECT)',
          undefined,
          'ask an admin to make this change',
        );
      return { text, command, sql: normalized, select: false, settings: [] };
    }
    throw new PgError('42601', msg.split('\n')[0] ?? 'syntax error');
  }
  const statements = Array.isArray(parsed.statements) ? (parsed.statements as AstNode[]) : [];
  if (statements.length !== 1)
    throw new PgError('42601', 'cannot insert multiple commands into a prepared statement');
  const pgRegex = tokenize(normalized).some(
    (t) => t.kind === 'op' && t.text.includes('~') && t.text !== '~~' && t.text !== '!~~',
  );
  const rw = rewriteSelect(statements[0]!, { ...input.rewrite, pgRegex });
  if (input.analyst)
    checkAnalystSelect(rw, input.relationExists, input.tableMacroExists, input.tableMacros ?? true);
  let sql = normalized;
  if (rw.changed) {
    const out = await readRows<{ s: string }>(
      input.parser,
      'SELECT json_deserialize_sql($1::VARCHAR) AS s',
      [JSON.stringify({ error: false, statements: [rw.root] })],
    );
    sql = out[0]?.s ?? normalized;
  }
  return { text, command, sql, select: true, settings: rw.settings };
}
