/**
 * How much the demo's sources disagree about a person. `standard` is the demo as it has always
 * been (its files stay byte-identical); `harsh` adds the problems real multi-system customer
 * data has on top (demo/harsh/), drawn after each record's standard draws from the record's own
 * rng, and from streams of their own for person facts and sign-ups.
 */
export const NOISE_MODELS = ['standard', 'harsh'] as const;
export type NoiseModel = (typeof NOISE_MODELS)[number];

export const DEFAULT_NOISE: NoiseModel = 'standard';
