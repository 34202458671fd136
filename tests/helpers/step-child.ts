// Runs one pipeline step alone (argv[5], e.g. "transform" or "profiles") on a config and
// warehouse, printing every log line; when a line contains the pause text (argv[4]) it prints
// "paused" and blocks for good, so the parent can kill -9 the process at that exact point of the
// step (the kill tests).
import { writeSync } from 'node:fs';
import { loadConfig } from '../../jobs/config/load.ts';
import { runPipeline } from '../../jobs/pipeline.ts';
import { pipelineSteps } from '../../jobs/steps.ts';
import type { Logger } from '../../foundation/logger.ts';

const [configPath, warehousePath, pauseAt, stepName] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
];
const step = pipelineSteps().find((s) => s.name === stepName);
if (step === undefined) throw new Error(`no pipeline step named ${stepName}`);
const loaded = loadConfig(configPath, { env: {} });
const config = { ...loaded, warehouse: { ...loaded.warehouse, path: warehousePath } };
const line = (level: string) => (message: string) => {
  writeSync(1, `${level}: ${message}\n`);
  if (message.includes(pauseAt)) {
    writeSync(1, 'paused\n');
    // block this thread (and so the step) until the parent kills the process
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  }
};
const logger: Logger = {
  debug: line('debug'),
  info: line('info'),
  warn: line('warn'),
  error: line('error'),
};
const summary = await runPipeline(config, { trigger: 'test-child', logger, steps: [step] });
writeSync(1, `done ${summary.status}\n`);
