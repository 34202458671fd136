import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYST, run, startServed, type Served } from './server-fixture.ts';
import { testPort } from '../helpers/ports.ts';

let s: Served;
beforeAll(async () => {
  s = await startServed({ port: testPort(50) });
});
afterAll(async () => {
  await s?.close();
});

/** Runs a Python script against the server as the analyst; its last line of output is JSON. */
async function python(body: string): Promise<Record<string, unknown>> {
  const script = `
import json, sqlalchemy as sa, pandas as pd
from sqlalchemy.orm import Session, declarative_base
e = sa.create_engine('postgresql+psycopg2://${ANALYST.user}:${ANALYST.password}@127.0.0.1:${s.port}/cdw')
out = {}
${body}
print(json.dumps(out, default=str))`;
  const { stdout } = await run('/usr/bin/python3', ['-c', script], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

describe('SQLAlchemy beyond reflection', () => {
  it('Core select with bound parameters, text() with parameters, an ORM query on a mapped view', async () => {
    const out = await python(`
md = sa.MetaData()
customers = sa.Table('customers', md, autoload_with=e)
with e.connect() as conn:
    q = (sa.select(customers.c.id, customers.c.name, customers.c.amount)
         .where(customers.c.id >= sa.bindparam('lo'), customers.c.name.in_(['Ann', 'Bob']))
         .order_by(customers.c.id.desc()))
    out['core'] = [list(r) for r in conn.execute(q, {'lo': 1})]
    out['text'] = [list(r) for r in conn.execute(
        sa.text('SELECT name, created_at FROM customers WHERE id = :id AND name LIKE :p'), {'id': 1, 'p': 'A%'})]
    out['count'] = conn.execute(sa.select(sa.func.count()).select_from(customers).where(customers.c.amount > 5)).scalar()
Base = declarative_base()
class CustomerName(Base):
    __tablename__ = 'customer_names'
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String)
with Session(e) as session:
    out['orm'] = [[c.id, c.name] for c in session.query(CustomerName).filter(CustomerName.name != 'nobody').order_by(CustomerName.id)]
    out['orm_get'] = session.get(CustomerName, 2).name
`);
    expect(out.core).toEqual([
      [2, 'Bob', '3.00'],
      [1, 'Ann', '10.50'],
    ]);
    expect(out.text).toEqual([['Ann', '2024-01-02 03:04:05+00:00']]);
    expect(out.count).toBe(1);
    expect(out.orm).toEqual([
      [1, 'Ann'],
      [2, 'Bob'],
    ]);
    expect(out.orm_get).toBe('Bob');
  });
});

describe('pandas', () => {
  it('read_sql with chunksize reads through a server-side cursor, chunk by chunk', async () => {
    const out = await python(`
with e.connect().execution_options(stream_results=True) as conn:
    chunks = list(pd.read_sql(sa.text('SELECT g.n, c.name FROM generate_series(0, 9) AS g(n), customer_names c WHERE c.id = 1 ORDER BY g.n'), conn, chunksize=4))
    out['sizes'] = [len(c) for c in chunks]
    out['n'] = [int(x) for c in chunks for x in c['n']]
    out['names'] = sorted(set(x for c in chunks for x in c['name']))
    # stream_results makes psycopg2 use a named cursor: DECLARE … CURSOR, then FETCH FORWARD n
    r = conn.execute(sa.text('SELECT id FROM customers ORDER BY id'))
    out['cursor_named'] = r.cursor.name is not None
    out['streamed'] = [row[0] for row in r.fetchmany(1)] + [row[0] for row in r.fetchmany(5)]
df = pd.read_sql(sa.text('SELECT id, amount FROM customers WHERE id = :id'), e, params={'id': 1})
out['params'] = df.to_dict('records')
`);
    expect(out.sizes).toEqual([4, 4, 2]);
    expect(out.n).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(out.names).toEqual(['Ann']);
    expect(out.cursor_named).toBe(true);
    expect(out.streamed).toEqual([1, 2]);
    // pandas reads numeric as float (coerce_float), as it does from PostgreSQL
    expect(out.params).toEqual([{ id: 1, amount: 10.5 }]);
  });
});
