/** What the demo company sells: subscriptions billed monthly, goods ordered through the ERP. */
export interface Subscription {
  readonly product: string;
  readonly category: string;
  /** Monthly price range [min, max] in USD and RUB. */
  readonly usd: readonly [number, number];
  readonly rub: readonly [number, number];
  /** Share of the price that varies month to month (usage). */
  readonly usage: number;
}

export const SUBSCRIPTIONS: readonly Subscription[] = [
  { product: 'car insurance', category: 'insurance', usd: [85, 190], rub: [2500, 6500], usage: 0 },
  { product: 'home insurance', category: 'insurance', usd: [35, 95], rub: [900, 2600], usage: 0 },
  { product: 'mobile plan', category: 'telecom', usd: [30, 90], rub: [450, 1300], usage: 0.25 },
  { product: 'broadband', category: 'telecom', usd: [45, 95], rub: [550, 1200], usage: 0.05 },
];

export interface Good {
  readonly product: string;
  readonly usd: readonly [number, number];
  readonly rub: readonly [number, number];
}

export const GOODS: readonly Good[] = [
  { product: 'smartphone', usd: [299, 1199], rub: [15000, 110000] },
  { product: 'wifi router', usd: [59, 249], rub: [2500, 14000] },
  { product: 'tablet', usd: [199, 899], rub: [12000, 80000] },
  { product: 'smartwatch', usd: [129, 499], rub: [6000, 40000] },
  { product: 'phone case', usd: [15, 49], rub: [500, 2500] },
  { product: 'installation service', usd: [49, 149], rub: [1500, 6000] },
  { product: 'dashcam', usd: [79, 249], rub: [4000, 16000] },
];

/** What POS tills sell (amounts only matter for totals). */
export const US_STORES: readonly string[] = ['NY-014', 'NY-022', 'SF-003', 'BOS-007', 'CHI-011', 'LA-019', 'MIA-002', 'SEA-005'];
export const RU_STORES: readonly string[] = ['МСК-01', 'МСК-07', 'МСК-12', 'СПБ-03', 'СПБ-05', 'КЗН-01', 'НСК-02', 'ЕКБ-04', 'ННВ-01'];
