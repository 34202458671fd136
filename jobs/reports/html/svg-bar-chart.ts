import { clip, esc, formatCount, niceTicks, svgOpen, toneClass } from './svg-common.ts';

/** One bar. `note` is printed after the value (e.g. a share). */
export interface Bar {
  readonly label: string;
  readonly value: number;
  /** a tone of overview.css (`p0`…`p9`, `muted`, `good`, `stage-new`, …) */
  readonly tone?: string;
  readonly note?: string;
}

export interface BarChartOptions {
  readonly title: string;
  readonly width?: number;
  readonly format?: (v: number) => string;
  readonly labelWidth?: number;
}

/** Horizontal bars, one per row: label left, bar, value at its end. */
export function horizontalBars(bars: readonly Bar[], opts: BarChartOptions): string {
  const width = opts.width ?? 520;
  const labelWidth = opts.labelWidth ?? 150;
  const row = 26;
  const top = 6;
  const valueRoom = Math.min(
    260,
    Math.max(110, ...bars.map((b) => 60 + (b.note?.length ?? 0) * 6.5)),
  );
  const height = top * 2 + Math.max(1, bars.length) * row;
  const plot = width - labelWidth - valueRoom;
  const max = Math.max(0, ...bars.map((b) => b.value));
  const fmt = opts.format ?? formatCount;
  const parts = [svgOpen(width, height, opts.title)];
  if (bars.length === 0)
    parts.push(
      `<text x="${width / 2}" y="${height / 2 + 4}" class="empty" text-anchor="middle">no data yet</text>`,
    );
  bars.forEach((b, i) => {
    const y = top + i * row;
    const w = max > 0 ? Math.max(b.value > 0 ? 2 : 0, (b.value / max) * plot) : 0;
    parts.push(
      `<g class="bar"><title>${esc(b.label)}: ${esc(fmt(b.value))}${b.note ? ` (${esc(b.note)})` : ''}</title>`,
      `<text x="${labelWidth - 8}" y="${y + row / 2 + 4}" text-anchor="end" class="label">${esc(clip(b.label, 22))}</text>`,
      `<rect x="${labelWidth}" y="${y + 4}" width="${w.toFixed(1)}" height="${row - 8}" rx="3" ${toneClass(b.tone ?? 'p0')}/>`,
      `<text x="${labelWidth + w + 6}" y="${y + row / 2 + 4}" class="value">${esc(fmt(b.value))}${b.note ? ` <tspan class="note">${esc(b.note)}</tspan>` : ''}</text></g>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Vertical bars with a value axis: for small ordered categories (1, 2, 3… systems). */
export function verticalBars(
  bars: readonly Bar[],
  opts: BarChartOptions & { readonly height?: number; readonly axisLabel?: string },
): string {
  const width = opts.width ?? 520;
  const height = opts.height ?? 240;
  const left = 56;
  const bottom = opts.axisLabel ? 44 : 28;
  const top = 18;
  const plotW = width - left - 12;
  const plotH = height - top - bottom;
  const fmt = opts.format ?? formatCount;
  const ticks = niceTicks(Math.max(0, ...bars.map((b) => b.value)));
  const max = ticks[ticks.length - 1] ?? 1;
  const slot = plotW / Math.max(1, bars.length);
  const barW = Math.min(64, slot * 0.62);
  const parts = [svgOpen(width, height, opts.title)];
  for (const t of ticks) {
    const y = top + plotH - (t / max) * plotH;
    parts.push(
      `<line x1="${left}" x2="${width - 12}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" class="grid"/>`,
      `<text x="${left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" class="tick">${esc(formatCount(t))}</text>`,
    );
  }
  bars.forEach((b, i) => {
    const h = (b.value / max) * plotH;
    const x = left + i * slot + (slot - barW) / 2;
    const y = top + plotH - h;
    parts.push(
      `<g class="bar"><title>${esc(b.label)}: ${esc(fmt(b.value))}${b.note ? ` (${esc(b.note)})` : ''}</title>`,
      `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.max(h, b.value > 0 ? 1 : 0).toFixed(1)}" rx="3" ${toneClass(b.tone ?? 'p0')}/>`,
      `<text x="${(x + barW / 2).toFixed(1)}" y="${(y - 5).toFixed(1)}" text-anchor="middle" class="value">${esc(fmt(b.value))}</text>`,
      `<text x="${(x + barW / 2).toFixed(1)}" y="${top + plotH + 16}" text-anchor="middle" class="label">${esc(clip(b.label, 14))}</text></g>`,
    );
  });
  if (opts.axisLabel)
    parts.push(
      `<text x="${left + plotW / 2}" y="${height - 6}" text-anchor="middle" class="axis-label">${esc(opts.axisLabel)}</text>`,
    );
  if (bars.length === 0)
    parts.push(
      `<text x="${width / 2}" y="${height / 2}" class="empty" text-anchor="middle">no data yet</text>`,
    );
  parts.push('</svg>');
  return parts.join('');
}
