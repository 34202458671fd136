/**
 * An error to send to the client as a PostgreSQL ErrorResponse, with its SQLSTATE. DuckDB
 * errors are translated here, in one place (see `fromDuckDB`).
 */
export class PgError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly detail?: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'PgError';
  }

  /** Translates a DuckDB (or any) error into a PgError with the closest SQLSTATE. */
  static from(err: unknown): PgError {
    if (err instanceof PgError) return err;
    const text = err instanceof Error ? err.message : String(err);
    const [first = text, ...rest] = text.split('\n');
    const m = /^([A-Za-z ]+) Error: ?(.*)$/.exec(first);
    const kind = m?.[1] ?? '';
    const message = m ? m[2]! : first;
    return new PgError(
      sqlstateFor(kind, message),
      message || first,
      rest.join('\n').trim() || undefined,
    );
  }
}

function sqlstateFor(kind: string, message: string): string {
  switch (kind) {
    case 'Parser':
      return '42601';
    case 'Catalog':
      if (/Function|Macro/i.test(message)) return '42883';
      if (/Schema with name/i.test(message)) return '3F000';
      if (/already exists/i.test(message)) return '42P07';
      if (/Type with name/i.test(message)) return '42704';
      return '42P01';
    case 'Binder':
      if (/column .* not found|Referenced column|does not have a column/i.test(message))
        return '42703';
      if (/No function matches|Could not choose a best candidate function/i.test(message))
        return '42883';
      if (/must appear in the GROUP BY/i.test(message)) return '42803';
      return '42000';
    case 'Conversion':
      return '22P02';
    case 'Invalid Input':
      return '22023';
    case 'Out of Range':
      return '22003';
    case 'Constraint':
      if (/NOT NULL/i.test(message)) return '23502';
      if (/foreign key/i.test(message)) return '23503';
      if (/CHECK/i.test(message)) return '23514';
      return '23505';
    case 'TransactionContext':
      if (/read-only/i.test(message)) return '25006';
      if (/Conflict/i.test(message)) return '40001';
      return '25000';
    case 'INTERRUPT':
    case 'Interrupt':
      return '57014';
    case 'Permission':
      return '42501';
    case 'Not implemented':
      return '0A000';
    case 'Out of Memory':
      return '53200';
    case 'IO':
      return '58030';
    case 'Dependency':
      return '2BP01';
    case 'Sequence':
      return '2200H';
    default:
      return 'XX000';
  }
}
