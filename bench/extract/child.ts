// Runs the extract step alone for one config and prints what it did as one JSON line, so the
// bench measures the peak RSS of the process doing the extract (and nothing else). With
// `transform` as the second argument, the transform step runs after it in the same process (with
// the config given third, if any: the same warehouse, another memory limit), and
// its time and CPU are printed beside the extract's (the peak RSS is then the larger of both).
import { loadConfig } from '../../jobs/config/load.ts';
import { runPipeline } from '../../jobs/pipeline.ts';
import { silentLogger, streamLogger } from '../../foundation/logger.ts';
import { extractStep } from '../../connectors/extract-step.ts';
import { transformStep } from '../../transforms/transform-step.ts';

const config = loadConfig(process.argv[2]!, { env: {} });
const logger =
  process.env.CDW_BENCH_VERBOSE === '1'
    ? streamLogger(process.stderr, { verbose: true })
    : silentLogger;
const cpuSince = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};
const cpu0 = process.cpuUsage();
const summary = await runPipeline(config, { trigger: 'bench', logger, steps: [extractStep] });
const unit = summary.steps.find((s) => s.step === 'extract' && s.source !== '');
const cpuSeconds = cpuSince(cpu0);
let transform: Record<string, unknown> | undefined;
if (process.argv[3] === 'transform') {
  const cpu1 = process.cpuUsage();
  const t0 = performance.now();
  const transformConfig = loadConfig(process.argv[4] ?? process.argv[2]!, { env: {} });
  const t = await runPipeline(transformConfig, {
    trigger: 'bench',
    logger,
    steps: [transformStep],
  });
  const staged = t.steps.find((s) => s.step === 'transform' && s.source !== '');
  transform = {
    status: t.status,
    error: t.steps.find((s) => s.error !== null)?.error ?? null,
    seconds: (performance.now() - t0) / 1000,
    cpuSeconds: cpuSince(cpu1),
    unitSeconds: staged?.seconds,
    rowsOut: staged?.rowsOut,
    rowsRejected: staged?.rowsRejected,
  };
}
process.stdout.write(
  `${JSON.stringify({
    status: unit?.status,
    error: unit?.error,
    rowsIn: unit?.rowsIn,
    rowsOut: unit?.rowsOut,
    seconds: unit?.seconds,
    cpuSeconds,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(transform === undefined ? {} : { transform }),
  })}\n`,
);
