import { Warehouse } from '../foundation/duckdb-client.ts';
import { migrate } from '../foundation/migrate.ts';
import { addUser, generatePassword } from '../warehouse/server/users.ts';

export const DEMO_ANALYST = 'analyst';

/**
 * Gives the demo warehouse an `analyst` user (read-only: public and marts) with a fresh random
 * password, so `cdw serve` can be tried with psql or a BI tool at once. Returns the password.
 */
export async function createDemoAnalyst(warehousePath: string): Promise<string> {
  const wh = await Warehouse.open(warehousePath);
  try {
    await migrate(wh);
    const password = generatePassword();
    await addUser(wh.conn, DEMO_ANALYST, 'analyst', password);
    return password;
  } finally {
    wh.close();
  }
}
