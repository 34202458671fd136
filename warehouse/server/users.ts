import { randomBytes } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { readRows } from '../../foundation/duckdb-client.ts';
import { createScramSecret, md5Secret } from './wire/scram.ts';
import { WarehouseAccessError } from '../errors.ts';

/** What a user may do: `analyst` reads `public` and `marts`; `admin` reads and writes everything. */
export const ROLES = ['analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A row of `meta.users` (no secrets). */
export interface UserInfo {
  readonly name: string;
  readonly role: Role;
  readonly scram: boolean;
  readonly md5: boolean;
  readonly createdAt: Date;
}

/** The stored credentials of one user, as the server needs them to authenticate. */
export interface UserSecret {
  readonly name: string;
  readonly role: Role;
  readonly scramSecret: string | null;
  readonly md5Hash: string | null;
}

export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

function checkName(name: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_.@-]{0,62}$/.test(name)) {
    throw new WarehouseAccessError(
      'invalid_user',
      `user name "${name}" is not valid: use letters, digits, _ . @ - (up to 63), starting with a letter or _`,
    );
  }
}

/** A random password for generated users (demo), 20 characters, URL-safe. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}

/**
 * Adds a user, or replaces the password and role of an existing one. The password is kept only
 * as a SCRAM-SHA-256 secret (and an md5 hash when `md5` is set, for clients without SCRAM).
 */
export async function addUser(
  conn: DuckDBConnection,
  name: string,
  role: Role,
  password: string,
  opts: { md5?: boolean } = {},
): Promise<void> {
  checkName(name);
  if (!isRole(role))
    throw new WarehouseAccessError('invalid_role', `role must be one of ${ROLES.join(', ')}`);
  if (password.length < 8)
    throw new WarehouseAccessError('weak_password', 'the password must have at least 8 characters');
  await conn.run(
    `INSERT INTO meta.users (name, role, scram_secret, md5_hash, created_at) VALUES ($1, $2, $3, $4, current_timestamp)
     ON CONFLICT (name) DO UPDATE SET role = excluded.role, scram_secret = excluded.scram_secret, md5_hash = excluded.md5_hash`,
    [name, role, createScramSecret(password), opts.md5 ? md5Secret(name, password) : null],
  );
}

/** Removes a user; returns whether it existed. */
export async function removeUser(conn: DuckDBConnection, name: string): Promise<boolean> {
  const rows = await readRows(conn, 'DELETE FROM meta.users WHERE name = $1 RETURNING name', [
    name,
  ]);
  return rows.length > 0;
}

export async function listUsers(conn: DuckDBConnection): Promise<UserInfo[]> {
  const rows = await readRows<{
    name: string;
    role: Role;
    scram: boolean;
    md5: boolean;
    created_at: Date;
  }>(
    conn,
    'SELECT name, role, scram_secret IS NOT NULL AS scram, md5_hash IS NOT NULL AS md5, created_at FROM meta.users ORDER BY name',
  );
  return rows.map((r) => ({
    name: r.name,
    role: r.role,
    scram: r.scram,
    md5: r.md5,
    createdAt: r.created_at,
  }));
}

export async function findUser(
  conn: DuckDBConnection,
  name: string,
): Promise<UserSecret | undefined> {
  const rows = await readRows<{
    name: string;
    role: string;
    scram_secret: string | null;
    md5_hash: string | null;
  }>(conn, 'SELECT name, role, scram_secret, md5_hash FROM meta.users WHERE name = $1', [name]);
  const r = rows[0];
  if (!r || !isRole(r.role)) return undefined;
  return { name: r.name, role: r.role, scramSecret: r.scram_secret, md5Hash: r.md5_hash };
}
