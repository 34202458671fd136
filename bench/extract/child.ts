// Runs the extract step alone for one config and prints what it did as one JSON line, so the
// bench measures the peak RSS of the process doing the extract (and nothing else).
import { loadConfig } from '../../jobs/config/load.ts';
import { runPipeline } from '../../jobs/pipeline.ts';
import { silentLogger, streamLogger } from '../../foundation/logger.ts';
import { extractStep } from '../../connectors/extract-step.ts';

const config = loadConfig(process.argv[2]!, { env: {} });
const cpu0 = process.cpuUsage();
const summary = await runPipeline(config, {
  trigger: 'bench',
  logger:
    process.env.CDW_BENCH_VERBOSE === '1'
      ? streamLogger(process.stderr, { verbose: true })
      : silentLogger,
  steps: [extractStep],
});
const unit = summary.steps.find((s) => s.step === 'extract' && s.source !== '');
process.stdout.write(
  `${JSON.stringify({
    status: unit?.status,
    error: unit?.error,
    rowsIn: unit?.rowsIn,
    rowsOut: unit?.rowsOut,
    seconds: unit?.seconds,
    cpuSeconds: (() => {
      const c = process.cpuUsage(cpu0);
      return (c.user + c.system) / 1e6;
    })(),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
