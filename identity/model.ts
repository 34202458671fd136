/** m and u of one comparison level; weight = log2(m / u). */
export interface LevelParams {
  readonly comparison: string;
  readonly level: number;
  readonly label: string;
  readonly m: number;
  readonly u: number;
  /** `em` when trained on this run's pairs, `prior` when EM saw too little of the level. */
  readonly mSource: 'em' | 'prior';
  readonly tfAdjusted: boolean;
}

/** The trained Fellegi–Sunter model of a run. */
export interface Model {
  /** Probability that two records drawn at random are the same person. */
  readonly prior: number;
  readonly params: readonly LevelParams[];
  readonly emIterations: number;
  readonly emConverged: boolean;
}

export function levelWeight(p: Pick<LevelParams, 'm' | 'u'>): number {
  return Math.log2(p.m / p.u);
}

export function priorWeight(prior: number): number {
  return Math.log2(prior / (1 - prior));
}

export function probabilityOf(weight: number): number {
  return 1 / (1 + Math.pow(2, -weight));
}
