import type { QualityCheckConfig } from '../../foundation/config-types.ts';
import type { Logger } from '../../foundation/logger.ts';
import { runNamed } from '../../foundation/run-sql.ts';
import { readSql } from '../../foundation/sql-template.ts';
import { CHECK_KINDS, type CheckEnv, type CheckOutcome } from './check-kinds.ts';

/** One row of `meta.dq_results`, as a value. */
export interface CheckResult extends CheckOutcome {
  readonly name: string;
  readonly kind: QualityCheckConfig['check'];
  readonly severity: 'warn' | 'error';
  readonly passed: boolean;
}

/**
 * Runs the configured data-quality checks over the published staging tables and records
 * every outcome in `meta.dq_results`. Returns all results; the caller decides what fails.
 */
export async function runQualityChecks(
  env: CheckEnv & { readonly runId: string; readonly logger: Logger },
  checks: readonly QualityCheckConfig[],
): Promise<CheckResult[]> {
  const insert = readSql(import.meta.url, 'record-result.sql');
  const results: CheckResult[] = [];
  for (const check of checks) {
    for (const o of await CHECK_KINDS[check.check](env, check)) {
      const passed = o.failedRows === 0 && o.broken !== true;
      const r: CheckResult = {
        ...o,
        name: check.name,
        kind: check.check,
        severity: check.severity,
        passed,
      };
      results.push(r);
      await runNamed(env.wh.conn, insert, {
        run_id: env.runId,
        check_name: r.name,
        check_kind: r.kind,
        target: r.target,
        severity: r.severity,
        status: passed ? 'passed' : 'failed',
        failed_rows: r.failedRows,
        detail: r.detail,
      });
      if (!passed)
        env.logger.warn(
          `data-quality check ${r.name} (${r.kind}, ${r.severity}) on ${r.target}: ${r.detail ?? 'failed'}`,
        );
    }
  }
  return results;
}

/** "check x (not_null on staging.party_records.email) failed: 3 rows broke it; …" for the failed error checks. */
export function describeFailures(results: readonly CheckResult[]): string | undefined {
  const errors = results.filter((r) => !r.passed && r.severity === 'error');
  if (errors.length === 0) return undefined;
  const parts = errors.map((r) =>
    r.broken === true
      ? `check ${r.name} (${r.kind} on ${r.target}) ${r.detail ?? 'cannot run'}`
      : `check ${r.name} (${r.kind} on ${r.target}) failed: ${r.failedRows} ${r.unit ?? 'row'}${r.failedRows === 1 ? '' : 's'} broke it (${r.detail ?? ''})`,
  );
  return `${errors.length} data-quality error check${errors.length === 1 ? '' : 's'} failed: ${parts.join('; ')}`;
}
