import { isoDate, nightDay } from './calendar.ts';
import type { Person } from './model.ts';
import type { Outputs } from './sinks/outputs.ts';
import type { BadRow, Tally } from './tally.ts';
import type { TruthFile } from './truth.ts';
import type { NoiseModel } from './noise.ts';

/** Everything a system generator needs for one night. */
export interface NightContext {
  readonly seed: number;
  /** Customers on the first night (scales the noise: bots, anonymous sales, strangers' calls). */
  readonly customers: number;
  readonly night: number;
  /** How much the systems disagree: `harsh` adds the problems of demo/harsh/. */
  readonly noise: NoiseModel;
  /** Day number of the night's date. */
  readonly day: number;
  /** ISO date of the night, used in file names. */
  readonly date: string;
  readonly dir: string;
  readonly tally: Tally;
  readonly truth: TruthFile;
  readonly outputs: Outputs;
  readonly badRows: BadRow[];
  /** Files and tables written tonight: location → rows. */
  readonly written: Map<string, number>;
}

export function nightContext(base: Omit<NightContext, 'day' | 'date'>): NightContext {
  const day = nightDay(base.night);
  return { ...base, day, date: isoDate(day) };
}

/** One system's work for one night: called for every person in order, then once at the end. */
export interface SystemNight {
  person(p: Person): void;
  /** Events not tied to a customer (bots, strangers), then everything flushed and counted. */
  finish(): Promise<void>;
}

/** A source system of the demo company. */
export interface DemoSystem {
  readonly name: string;
  startNight(ctx: NightContext): Promise<SystemNight>;
}

/** Seconds of a time of day on a day number. */
export function at(day: number, hour: number, minute = 0, second = 0): number {
  return day * 86_400 + hour * 3600 + minute * 60 + second;
}
