import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../jobs/cli/main.ts';
import type { PipelineStep } from '../../foundation/step.ts';
import { captureIO } from '../helpers/cli.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { startServed } from '../server/server-fixture.ts';

/** A local HTTP receiver that keeps every JSON body posted to it. */
async function receiver() {
  const got: { path: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[] =
    [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString('utf8')));
    req.on('end', () => {
      got.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(data) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { got, url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let tmp: { dir: string; cleanup: () => void };
let hook: Awaited<ReturnType<typeof receiver>>;
beforeEach(async () => {
  tmp = tempDir('cdw-notify-');
  hook = await receiver();
});
afterEach(async () => {
  await hook.close();
  tmp.cleanup();
});

// A csv source whose folder is missing: its extract fails, the run ends partial.
const brokenSource = `sources:
  - name: shop
    kind: csv
    connection: { dir: no-such-folder }
    tables:
      - { name: sales, entity: transaction, mapping: { record_key: id }, path: "*.csv" }
`;

describe('notify', () => {
  it('posts a run that ended partial to the webhook, without customer data, and runs the command', async () => {
    const cfg = path.join(tmp.dir, 'cdw.yaml');
    writeFileSync(
      cfg,
      `warehouse: { path: wh.duckdb }
${brokenSource}notify:
  webhook: { url: "${hook.url}", headers: { x-team: data } }
  command: "cat > notice.json"
`,
    );
    const io = captureIO();
    const code = await main(['node', 'cdw', '-c', cfg, 'run', '--trigger', 'cron'], io);
    expect(code).toBe(2);
    expect(hook.got).toHaveLength(1);
    const n = hook.got[0]!;
    expect(n.headers['content-type']).toBe('application/json');
    expect(n.headers['x-team']).toBe('data');
    expect(n.body).toMatchObject({
      event: 'cdw.run',
      status: 'partial',
      trigger: 'cron',
      failed: [{ step: 'extract', source: 'shop.sales' }],
    });
    expect(n.body.run_id).toMatch(/^r/);
    expect(n.body.text).toMatch(/partial \(failed: extract shop\.sales\)/);
    expect(JSON.parse(readFileSync(path.join(tmp.dir, 'notice.json'), 'utf8'))).toEqual(n.body);
  });

  it('says nothing of a successful run unless asked to', async () => {
    const cfg = path.join(tmp.dir, 'cdw.yaml');
    writeFileSync(
      cfg,
      `warehouse: { path: wh.duckdb }\nnotify:\n  webhook: { url: "${hook.url}" }\n`,
    );
    expect(await main(['node', 'cdw', '-c', cfg, 'run'], captureIO())).toBe(0);
    expect(hook.got).toHaveLength(0);
    writeFileSync(
      cfg,
      `warehouse: { path: wh.duckdb }\nnotify:\n  on: [succeeded]\n  webhook: { url: "${hook.url}" }\n`,
    );
    expect(await main(['node', 'cdw', '-c', cfg, 'run'], captureIO())).toBe(0);
    expect(hook.got.map((g) => g.body.status)).toEqual(['succeeded']);
  });

  it('a failing webhook or command is logged and never changes the outcome', async () => {
    const cfg = path.join(tmp.dir, 'cdw.yaml');
    writeFileSync(
      cfg,
      `warehouse: { path: wh.duckdb }\n${brokenSource}notify:\n  webhook: { url: "http://127.0.0.1:1/x", timeout_ms: 2000 }\n  command: "exit 3"\n`,
    );
    const io = captureIO();
    expect(await main(['node', 'cdw', '-c', cfg, 'run'], io)).toBe(2);
    expect(io.errText()).toMatch(/notify: webhook 127\.0\.0\.1:1 failed/);
    expect(io.errText()).toMatch(/notify: command failed: exit 3/);
    expect(existsSync(path.join(tmp.dir, 'wh.duckdb'))).toBe(true);
  });

  it('notifies a failed scheduled run in cdw serve', async () => {
    const boom: PipelineStep = {
      name: 'boom',
      description: 'fails',
      async run() {
        throw new Error('the step broke');
      },
    };
    const s = await startServed({
      steps: [boom],
      configText: `notify:\n  webhook: { url: "${hook.url}" }\n`,
    });
    try {
      const summary = await s.serving.runner.run('schedule');
      expect(summary.status).toBe('failed');
    } finally {
      await s.close();
    }
    expect(hook.got.map((g) => g.body)).toMatchObject([
      {
        status: 'failed',
        trigger: 'schedule',
        failed: [{ step: 'boom', error: 'the step broke' }],
      },
    ]);
  });
});
