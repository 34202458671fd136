import { esc, formatCount, niceTicks, svgOpen, toneClass } from './svg-common.ts';

export interface Series {
  readonly name: string;
  /** a tone of overview.css */
  readonly tone: string;
  readonly values: readonly number[];
  /** drawn as bars behind the lines instead of a line */
  readonly asBars?: boolean;
}

export interface LineChartOptions {
  readonly title: string;
  /** one label per x position (e.g. ISO dates) */
  readonly labels: readonly string[];
  readonly width?: number;
  readonly height?: number;
  readonly format?: (v: number) => string;
  /** x positions to mark (e.g. surge days), with a note for each */
  readonly marks?: readonly { readonly index: number; readonly note: string }[];
}

/** A time series chart: value axis, gridlines, a legend, bars and/or lines, marked days. */
export function lineChart(series: readonly Series[], opts: LineChartOptions): string {
  const width = opts.width ?? 1040;
  const height = opts.height ?? 280;
  const left = 52;
  const right = 16;
  const top = 30;
  const bottom = 34;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const n = opts.labels.length;
  const fmt = opts.format ?? formatCount;
  const ticks = niceTicks(Math.max(0, ...series.flatMap((s) => s.values)));
  const max = ticks[ticks.length - 1] ?? 1;
  const step = plotW / Math.max(1, n);
  const xAt = (i: number) => left + step * i + step / 2;
  const yAt = (v: number) => top + plotH - (v / max) * plotH;
  const parts = [svgOpen(width, height, opts.title)];

  for (const t of ticks) {
    parts.push(
      `<line x1="${left}" x2="${width - right}" y1="${yAt(t).toFixed(1)}" y2="${yAt(t).toFixed(1)}" class="grid"/>`,
    );
    parts.push(
      `<text x="${left - 6}" y="${(yAt(t) + 4).toFixed(1)}" text-anchor="end" class="tick">${esc(fmt(t))}</text>`,
    );
  }
  for (const m of opts.marks ?? []) {
    const x = left + step * m.index;
    parts.push(
      `<rect x="${x.toFixed(1)}" y="${top}" width="${Math.max(step, 2).toFixed(1)}" height="${plotH}" class="mark"><title>${esc(opts.labels[m.index] ?? '')}: ${esc(m.note)}</title></rect>`,
    );
  }
  const every = Math.max(1, Math.ceil(n / 10));
  opts.labels.forEach((l, i) => {
    if (i % every !== 0 && i !== n - 1) return;
    if (i === n - 1 && i % every !== 0 && i - Math.floor(i / every) * every < every / 2) return;
    parts.push(
      `<text x="${xAt(i).toFixed(1)}" y="${height - bottom + 18}" text-anchor="middle" class="tick">${esc(shortDate(l))}</text>`,
    );
  });
  for (const s of series.filter((x) => x.asBars)) {
    const w = Math.min(36, Math.max(1, step * 0.7));
    s.values.forEach((v, i) => {
      if (v <= 0) return;
      parts.push(
        `<rect x="${(xAt(i) - w / 2).toFixed(1)}" y="${yAt(v).toFixed(1)}" width="${w.toFixed(1)}" height="${(top + plotH - yAt(v)).toFixed(1)}" ${toneClass(s.tone, 'soft')}><title>${esc(opts.labels[i] ?? '')} · ${esc(s.name)}: ${esc(fmt(v))}</title></rect>`,
      );
    });
  }
  for (const s of series.filter((x) => !x.asBars)) {
    const pts = s.values.map((v, i) => `${xAt(i).toFixed(1)},${yAt(v).toFixed(1)}`).join(' ');
    if (s.values.length > 1) parts.push(`<polyline points="${pts}" ${toneClass(s.tone, 'line')}/>`);
    s.values.forEach((v, i) => {
      if (s.values.length <= 45 || v > 0) {
        parts.push(
          `<circle cx="${xAt(i).toFixed(1)}" cy="${yAt(v).toFixed(1)}" r="${s.values.length <= 45 ? 2.5 : 1.6}" ${toneClass(s.tone)}><title>${esc(opts.labels[i] ?? '')} · ${esc(s.name)}: ${esc(fmt(v))}</title></circle>`,
        );
      }
    });
  }
  let lx = left;
  for (const s of series) {
    parts.push(
      `<rect x="${lx}" y="8" width="12" height="12" rx="2" ${toneClass(s.tone)}/><text x="${lx + 17}" y="18" class="legend">${esc(s.name)}</text>`,
    );
    lx += 30 + s.name.length * 7;
  }
  if ((opts.marks ?? []).length > 0)
    parts.push(
      `<rect x="${lx}" y="8" width="12" height="12" class="mark"/><text x="${lx + 17}" y="18" class="legend">surge day</text>`,
    );
  if (n === 0)
    parts.push(
      `<text x="${width / 2}" y="${height / 2}" class="empty" text-anchor="middle">no data yet</text>`,
    );
  parts.push('</svg>');
  return parts.join('');
}

/** "2026-03-04" → "4 Mar". */
function shortDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const months = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ];
  return `${Number(m[3])} ${months[Number(m[2]) - 1] ?? ''}`;
}
