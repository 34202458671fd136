import type { SegmentRule } from '../../../foundation/config-types.ts';
import type { Warehouse } from '../../../foundation/duckdb-client.ts';
import { errorMessage } from '../../../foundation/errors.ts';
import { JobError } from '../../errors.ts';

/** A segment rule whose `where` is not one valid condition over marts.customer_segments. */
export class SegmentRuleError extends JobError {
  readonly segments: readonly string[];

  constructor(problems: readonly { segment: string; problem: string }[]) {
    super(
      'segment_invalid',
      problems.map((p) => `reports.segments "${p.segment}": ${p.problem}`).join('\n'),
    );
    this.name = 'SegmentRuleError';
    this.segments = problems.map((p) => p.segment);
  }
}

/** The query a rule selects its members with; the condition sits on lines of its own so a `--` comment in it ends there. */
function memberQuery(where: string): string {
  return `SELECT customer_id FROM marts.customer_segments WHERE (\n${where}\n)`;
}

/**
 * Checks one rule and returns what is wrong with it, or undefined. The condition must parse as
 * exactly one SELECT over marts.customer_segments with only a WHERE added (no `;`, UNION,
 * LIMIT, GROUP BY smuggled in through parentheses), and must bind and run over the columns.
 */
export async function checkSegmentRule(
  wh: Warehouse,
  rule: SegmentRule,
): Promise<string | undefined> {
  const shape = await parsedShape(wh, memberQuery(rule.where));
  if ('error' in shape) return `the where condition is not valid SQL: ${shape.error}`;
  const reference = await parsedShape(wh, memberQuery('TRUE'));
  if ('error' in reference)
    throw new JobError('segment_check', `cannot check segments: ${reference.error}`);
  if (shape.statements !== 1 || shape.withoutWhere !== reference.withoutWhere) {
    return 'the where condition must be one boolean condition over the columns of marts.customer_segments (no ";", UNION, ORDER BY, LIMIT or GROUP BY)';
  }
  try {
    await wh.all(`SELECT count(*) AS n FROM (${memberQuery(rule.where)} LIMIT 0)`);
    await wh.all(`SELECT count(*) AS n FROM (${memberQuery(rule.where)})`);
  } catch (err) {
    return `the where condition does not work over marts.customer_segments: ${firstLines(errorMessage(err))}`;
  }
  return undefined;
}

/**
 * Rebuilds `marts.segment_members(segment, customer_id)` and `marts.segments(segment,
 * description, where_sql, customers)` from the rules. Valid rules are built; when any rule is
 * invalid a SegmentRuleError names each bad segment after the good ones are written.
 */
export async function buildSegmentMembers(
  wh: Warehouse,
  rules: readonly SegmentRule[],
): Promise<number> {
  const problems: { segment: string; problem: string }[] = [];
  const valid: SegmentRule[] = [];
  for (const rule of rules) {
    const problem = await checkSegmentRule(wh, rule);
    if (problem === undefined) valid.push(rule);
    else problems.push({ segment: rule.name, problem });
  }
  await wh.transaction(async () => {
    await wh.run(
      'CREATE OR REPLACE TABLE marts.segment_members (segment VARCHAR NOT NULL, customer_id BIGINT NOT NULL)',
    );
    await wh.run(
      'CREATE OR REPLACE TABLE marts.segments (segment VARCHAR NOT NULL, description VARCHAR, where_sql VARCHAR NOT NULL, customers BIGINT, built BOOLEAN NOT NULL, problem VARCHAR)',
    );
    for (const rule of valid) {
      await wh.run(
        `INSERT INTO marts.segment_members SELECT $1, customer_id FROM (${memberQuery(rule.where)})`,
        [rule.name],
      );
    }
    for (const rule of rules) {
      const problem = problems.find((p) => p.segment === rule.name)?.problem ?? null;
      await wh.run(
        `INSERT INTO marts.segments SELECT $1, $2, $3, CASE WHEN $4 THEN (SELECT count(*) FROM marts.segment_members WHERE segment = $1) END, $4, $5`,
        [rule.name, rule.description ?? null, rule.where, problem === null, problem],
      );
    }
  });
  if (problems.length > 0) throw new SegmentRuleError(problems);
  return Number(await wh.scalar('SELECT count(*) FROM marts.segment_members'));
}

interface Shape {
  readonly statements: number;
  /** the parsed statement without its WHERE and source positions, as JSON */
  readonly withoutWhere: string;
}

async function parsedShape(wh: Warehouse, sql: string): Promise<Shape | { error: string }> {
  const text = await wh.scalar<string>('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
  const parsed = JSON.parse(String(text)) as {
    error: boolean;
    error_message?: string;
    statements?: { node: Record<string, unknown> }[];
  };
  if (parsed.error) return { error: firstLines(parsed.error_message ?? 'parse error') };
  const statements = parsed.statements ?? [];
  const node = { ...(statements[0]?.node ?? {}) };
  delete node.where_clause;
  return {
    statements: statements.length,
    withoutWhere: JSON.stringify(node, (k, v: unknown) => (k === 'query_location' ? undefined : v)),
  };
}

/** DuckDB's message without the echoed SQL (the condition is config, but keep messages short). */
function firstLines(message: string): string {
  return message
    .split('\n')
    .filter((l) => l.trim() !== '' && !/^LINE \d+:/.test(l) && !/^\s*\^\s*$/.test(l))
    .slice(0, 2)
    .join(' ');
}
