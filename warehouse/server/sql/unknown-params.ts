import { cast, constant, isNode, str, type AstNode } from './ast.ts';

/** Binary operators whose operands DuckDB cannot type when one is an untyped parameter. */
const ARITHMETIC = new Set(['+', '-', '*', '/', '//', '%', '^', '**']);

function isBareParameter(n: unknown): n is AstNode {
  return isNode(n) && n.class === 'PARAMETER';
}

/**
 * `other`, evaluated never, giving its type to `param`: DuckDB unifies the branches of a CASE,
 * so the untyped parameter is cast to the type of the other operand (which is only known once
 * DuckDB binds the statement: a column, an expression). The dead branch is folded away.
 */
function sameTypeAs(param: AstNode, other: AstNode): AstNode {
  return {
    class: 'CASE',
    type: 'CASE_EXPR',
    alias: '',
    query_location: 0,
    case_checks: [{ when_expr: constant(false), then_expr: other }],
    else_expr: param,
  };
}

/** The type an untyped operand takes beside a constant: PostgreSQL's int4 / numeric. */
function constantType(c: AstNode): string | undefined {
  const value = isNode(c.value) ? c.value : undefined;
  const type = isNode(value?.type) ? str(value.type.id) : '';
  if (value?.is_null === true) return undefined;
  if (type === 'INTEGER' || type === 'BIGINT' || type === 'HUGEINT') return type;
  // PostgreSQL's numeric has no fixed width; DuckDB's literal 2.5 is DECIMAL(2,1), too narrow
  // for most values a client sends, so the operand is read as a double.
  if (type === 'DECIMAL' || type === 'DOUBLE' || type === 'FLOAT') return 'DOUBLE';
  return undefined;
}

/**
 * An arithmetic operator with one operand an untyped parameter (`$1 + 1`, `x > $1 - 5`):
 * PostgreSQL assumes the unknown operand has the other operand's type; DuckDB reads a text
 * value bound there as a string literal and cannot choose between `+(DATE, INTEGER)` and
 * `+(INTEGER, INTEGER)`. Returns the operands with the parameter typed, or undefined when the
 * operator is not such a case (two untyped parameters stay ambiguous, as in PostgreSQL).
 */
export function typeUnknownOperand(
  name: string,
  isOperator: boolean,
  children: readonly AstNode[],
): AstNode[] | undefined {
  if (!isOperator || !ARITHMETIC.has(name) || children.length !== 2) return undefined;
  const [a, b] = children as [AstNode, AstNode];
  const pa = isBareParameter(a);
  const pb = isBareParameter(b);
  if (pa === pb) return undefined;
  const [param, other] = pa ? [a, b] : [b, a];
  const typed =
    other.class === 'CONSTANT'
      ? ((t) => (t ? cast(param, t) : undefined))(constantType(other))
      : sameTypeAs(param, other);
  if (!typed) return undefined;
  return pa ? [typed, other] : [other, typed];
}
