import { Worker } from 'node:worker_threads';
import type { PartyStdInput, PartyStdParts } from './party-std-parts.ts';

type Answer = { id: number; parts?: PartyStdParts[]; error?: string };

/**
 * A worker on `party-std-worker`: the compiled .js in dist/; from the TypeScript sources (tsx,
 * vitest) a small bootstrap registers tsx's loader in the thread first (a worker does not
 * inherit the loader hooks of the thread that starts it).
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./party-std-worker.js', import.meta.url));
  const entry = new URL('./party-std-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
}

/**
 * Worker threads running `partyStdParts` on batches of party inputs, so the standardisers use
 * every core while the main thread reads inputs from DuckDB and appends answers. Each batch
 * goes to the least busy worker; answers come back in the order asked for by `run`'s promise.
 */
export class PartyStdPool {
  private readonly workers: Worker[];
  private readonly busy: number[];
  private readonly waiting = new Map<
    number,
    { resolve: (p: PartyStdParts[]) => void; reject: (e: Error) => void; worker: number }
  >();
  private next = 0;
  private failure: Error | undefined;

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => startWorker());
    this.busy = this.workers.map(() => 0);
    this.workers.forEach((w, i) => {
      w.on('message', (a: Answer) => this.answer(i, a));
      w.on('error', (err) =>
        this.fail(new Error('a standardisation worker thread failed', { cause: err })),
      );
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a standardisation worker thread exited (${code})`));
      });
    });
  }

  /** Standardised parts of `rows`, in their order (`sqlDone`: see `partyStdParts`). */
  run(rows: PartyStdInput[], sqlDone: number[]): Promise<PartyStdParts[]> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = ++this.next;
    let worker = 0;
    for (let i = 1; i < this.busy.length; i++) if (this.busy[i]! < this.busy[worker]!) worker = i;
    this.busy[worker]!++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, worker });
      this.workers[worker]!.postMessage({ id, rows, sqlDone });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private answer(worker: number, a: Answer): void {
    const w = this.waiting.get(a.id);
    if (w === undefined) return;
    this.waiting.delete(a.id);
    this.busy[worker]!--;
    if (a.parts !== undefined) w.resolve(a.parts);
    else w.reject(new Error(a.error ?? 'a standardisation worker thread failed'));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}

/**
 * One pool for a whole transform step, started on first use (a night with few new party inputs
 * starts none): a worker pays its start-up and JIT warm-up once, not once per table. The step
 * closes it in `finally` (live workers keep the process running).
 */
export class StepStdPool {
  private pool: PartyStdPool | undefined;
  constructor(readonly size: number) {}

  get(): PartyStdPool {
    this.pool ??= new PartyStdPool(this.size);
    return this.pool;
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }
}
