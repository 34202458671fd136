import type { ConfigIssue } from '../../foundation/errors.ts';

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` (and `${VAR:-default}`) in every string of a parsed YAML value with the
 * environment's value. Unset variables without a default are reported by path; their values
 * are never echoed (they are usually secrets).
 */
export function interpolateEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  issues: ConfigIssue[],
  path = '',
): unknown {
  if (typeof value === 'string') {
    return value.replace(VAR, (_m, name: string, fallback: string | undefined) => {
      const v = env[name];
      if (v !== undefined) return v;
      if (fallback !== undefined) return fallback;
      issues.push({
        path,
        message: `environment variable ${name} is not set; export it or write the value in the config`,
      });
      return '';
    });
  }
  if (Array.isArray(value))
    return value.map((v, i) => interpolateEnv(v, env, issues, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = interpolateEnv(v, env, issues, path ? `${path}.${k}` : k);
    return out;
  }
  return value;
}
