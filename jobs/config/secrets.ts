import type { ConfigIssue } from '../../foundation/errors.ts';

const FROM_ENV = /^\$\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}$/;

/**
 * Passwords written into the config in clear text (before `${VAR}` is read from the
 * environment): a `connection.url` with `user:password@`, or a `connection.password`, whose
 * password is not a whole `${VAR}`. A config is copied, committed and shown; a password belongs
 * in the environment. The password itself is never echoed.
 */
export function clearTextPasswords(raw: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const sources = (raw as { sources?: unknown } | null)?.sources;
  if (!Array.isArray(sources)) return issues;
  sources.forEach((s, i) => {
    const conn = (s as { connection?: unknown } | null)?.connection;
    if (conn === null || typeof conn !== 'object') return;
    const { url, password } = conn as { url?: unknown; password?: unknown };
    if (typeof url === 'string') {
      const pass = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/@]*?:([^@/]*)@/.exec(url)?.[1];
      if (pass !== undefined && pass !== '' && !FROM_ENV.test(pass) && !FROM_ENV.test(url))
        issues.push({
          path: `sources[${i}].connection.url`,
          message:
            'the URL holds a password in clear text; read the URL from the environment (url: ${BILLING_URL}) or give password: ${BILLING_PASSWORD} beside a URL without one',
        });
    }
    if (typeof password === 'string' && password !== '' && !FROM_ENV.test(password))
      issues.push({
        path: `sources[${i}].connection.password`,
        message:
          'a password in clear text; read it from the environment: password: ${BILLING_PASSWORD}',
      });
  });
  return issues;
}
