import { loadConfig } from './jobs/config/load.ts';
import { runPipeline } from './jobs/pipeline.ts';
import { pipelineSteps } from './jobs/steps.ts';
import { silentLogger } from './foundation/logger.ts';
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const config = loadConfig(process.argv[2]!);
for (let i = 0; i < Number(process.argv[3] ?? 2); i++) {
  const per: Record<string, string> = {};
  const steps = pipelineSteps().map((s) => ({ ...s, async run(ctx: Parameters<typeof s.run>[0]) { const c0 = cpu(); try { return await s.run(ctx); } finally { per[s.name] = (cpu() - c0).toFixed(2); } } }));
  const c0 = cpu();
  const sum = await runPipeline(config, { trigger: 'bench', logger: silentLogger, steps });
  console.log(sum.status, 'total', (cpu() - c0).toFixed(2), JSON.stringify(per));
  const units = sum.steps.filter((s) => ['profiles','marts','reports'].includes(s.step) && s.source !== '').map((s) => `${s.step}/${s.source}:${s.seconds?.toFixed?.(2) ?? ''}`);
  console.log(units.join(' '));
}
