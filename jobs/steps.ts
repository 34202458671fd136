import type { PipelineStep } from '../foundation/step.ts';
import { extractStep } from '../connectors/extract-step.ts';
import { transformStep } from '../transforms/transform-step.ts';
import { identityStep } from '../identity/identity-step.ts';
import { profilesStep } from '../warehouse/profiles/profiles-step.ts';
import { martsStep } from './reports/marts-step.ts';
import { reportsStep } from './reports/reports-step.ts';
import { privacyStep } from './privacy/arrival-step.ts';
import { maskingStep } from './privacy/masking-step.ts';

/** The nightly pipeline, in order. Each step lives with its layer; this is the only list. */
export function pipelineSteps(): PipelineStep[] {
  return [
    extractStep,
    privacyStep,
    transformStep,
    identityStep,
    profilesStep,
    martsStep,
    maskingStep,
    reportsStep,
  ];
}
