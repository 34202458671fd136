/** Escapes text for HTML and SVG (element content and attribute values). */
export function esc(text: string | number | null | undefined): string {
  return String(text ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** 1234 → "1,234"; 1234567 → "1.23M"; null → "–". */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (a >= 1e5) return `${(n / 1e3).toFixed(0)}k`;
  return Math.round(n).toLocaleString('en-US');
}

export function formatPercent(share: number | null | undefined, digits = 1): string {
  if (share === null || share === undefined || Number.isNaN(share)) return '–';
  return `${(share * 100).toFixed(digits)}%`;
}

export function formatMoney(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return n.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

/** Round tick values from 0 to at least `max` (about `count` of them). */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(
    max >= 1 ? 1 : 0,
    [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw,
  );
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/**
 * Colours live in overview.css: a chart element carries the class `tone t-<name>` and the CSS
 * gives each tone its colour. `p0`…`p9` are the palette for series without a meaning of their
 * own; named tones (`muted`, `good`, `stage-new`, `tier-top`, …) say what the colour means.
 */
export function toneAt(i: number): string {
  return `p${i % 10}`;
}

/** The class attribute of a shape drawn in a tone. */
export function toneClass(tone: string, extra = ''): string {
  return `class="tone t-${tone}${extra ? ` ${extra}` : ''}"`;
}

/** The opening tag of a chart: fixed drawing size, scales down with its card. */
export function svgOpen(width: number, height: number, label: string): string {
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(label)}"><title>${esc(label)}</title>`;
}

/** Shortens a label to fit `max` characters. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
