import { esc, formatCount, svgOpen } from './svg-common.ts';

export interface HeatmapOptions {
  readonly title: string;
  readonly rowTitle: string;
  readonly colTitle: string;
  readonly rows: readonly string[];
  readonly cols: readonly string[];
  /** value at (row, col) */
  readonly value: (row: number, col: number) => number;
  readonly cell?: number;
}

/** A grid of cells shaded by value (RFM: recency × frequency), count printed in each. */
export function heatmap(opts: HeatmapOptions): string {
  const cell = opts.cell ?? 54;
  const left = 64;
  const top = 34;
  const width = left + cell * opts.cols.length + 12;
  const height = top + cell * opts.rows.length + 8;
  let max = 0;
  opts.rows.forEach((_, r) =>
    opts.cols.forEach((_c, c) => (max = Math.max(max, opts.value(r, c)))),
  );
  const parts = [svgOpen(width, height, opts.title)];
  parts.push(
    `<text x="${left + (cell * opts.cols.length) / 2}" y="14" text-anchor="middle" class="axis-label">${esc(opts.colTitle)}</text>`,
  );
  parts.push(
    `<text x="14" y="${top + (cell * opts.rows.length) / 2}" text-anchor="middle" class="axis-label" transform="rotate(-90 14 ${top + (cell * opts.rows.length) / 2})">${esc(opts.rowTitle)}</text>`,
  );
  opts.cols.forEach((c, ci) =>
    parts.push(
      `<text x="${left + ci * cell + cell / 2}" y="${top - 6}" text-anchor="middle" class="tick">${esc(c)}</text>`,
    ),
  );
  opts.rows.forEach((r, ri) => {
    parts.push(
      `<text x="${left - 8}" y="${top + ri * cell + cell / 2 + 4}" text-anchor="end" class="tick">${esc(r)}</text>`,
    );
    opts.cols.forEach((c, ci) => {
      const v = opts.value(ri, ci);
      const t = max > 0 ? v / max : 0;
      // the heat tone of overview.css, stronger with the count
      const shade =
        v > 0
          ? `class="tone t-heat" fill-opacity="${(0.08 + 0.85 * Math.sqrt(t)).toFixed(3)}"`
          : 'class="tone t-none"';
      parts.push(
        `<g><title>${esc(opts.rowTitle)} ${esc(r)}, ${esc(opts.colTitle)} ${esc(c)}: ${esc(formatCount(v))} customers</title>`,
        `<rect x="${left + ci * cell + 1}" y="${top + ri * cell + 1}" width="${cell - 2}" height="${cell - 2}" rx="4" ${shade}/>`,
        `<text x="${left + ci * cell + cell / 2}" y="${top + ri * cell + cell / 2 + 4}" text-anchor="middle" class="${t > 0.45 ? 'cell-dark' : 'cell'}">${v > 0 ? esc(formatCount(v)) : ''}</text></g>`,
      );
    });
  });
  parts.push('</svg>');
  return parts.join('');
}
