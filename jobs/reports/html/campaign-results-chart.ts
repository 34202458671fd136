import type { CampaignResultRow } from './campaign-results-data.ts';
import { clip, esc, formatCount, formatPercent, svgOpen, toneClass } from './svg-common.ts';

/**
 * Response rate per campaign variant as horizontal bars with their 95 % interval as a whisker,
 * and the failure threshold (campaigns.failure_rate) as a vertical line; a variant below it is
 * drawn in the warning tone.
 */
export function responseChart(rows: readonly CampaignResultRow[]): string {
  const width = 620;
  const labelWidth = 230;
  const valueRoom = 150;
  const row = 26;
  const top = 22;
  const height = top + Math.max(1, rows.length) * row + 8;
  const plot = width - labelWidth - valueRoom;
  const threshold = rows[0]?.threshold ?? 0.02;
  const max = Math.max(threshold * 1.5, ...rows.map((r) => r.high ?? r.rate ?? 0));
  const x = (v: number) => labelWidth + (Math.max(0, v) / max) * plot;
  const parts = [svgOpen(width, height, 'Response rate per campaign variant')];
  if (rows.length === 0)
    parts.push(
      `<text x="${width / 2}" y="${height / 2 + 4}" class="empty" text-anchor="middle">no campaigns yet</text>`,
    );
  rows.forEach((r, i) => {
    const y = top + i * row;
    const rate = r.rate ?? 0;
    const w = Math.max(rate > 0 ? 2 : 0, x(rate) - labelWidth);
    const label = `${clip(r.campaign, 22)} · ${r.label}`;
    const lift =
      r.incremental === null
        ? ''
        : ` · lift ${r.incremental >= 0 ? '+' : ''}${formatPercent(r.incremental)}`;
    parts.push(
      `<g class="bar"><title>${esc(r.campaign)}, ${esc(r.label)}: ${esc(formatPercent(r.rate))} of ${esc(formatCount(r.sent))} sent (95 % ${esc(formatPercent(r.low))}–${esc(formatPercent(r.high))})${r.controlRate === null ? '' : `, control ${esc(formatPercent(r.controlRate))}`}${r.failed ? ', below the failure line' : ''}</title>`,
      `<text x="${labelWidth - 8}" y="${y + row / 2 + 4}" text-anchor="end" class="label">${esc(label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 4}" width="${w.toFixed(1)}" height="${row - 8}" rx="3" ${toneClass(r.failed ? 'red' : 'p0')}/>`,
    );
    if (r.low !== null && r.high !== null)
      parts.push(
        `<rect x="${x(r.low).toFixed(1)}" y="${y + row / 2 - 1}" width="${Math.max(1, x(r.high) - x(r.low)).toFixed(1)}" height="2" ${toneClass('muted')}/>`,
      );
    parts.push(
      `<text x="${(Math.max(x(r.high ?? rate), x(rate)) + 6).toFixed(1)}" y="${y + row / 2 + 4}" class="value">${esc(formatPercent(r.rate))}<tspan class="note">${esc(lift)}</tspan></text></g>`,
    );
  });
  const tx = x(threshold);
  parts.push(
    `<rect x="${tx.toFixed(1)}" y="${top - 6}" width="1.5" height="${height - top}" ${toneClass('red')}/>`,
    `<text x="${tx.toFixed(1)}" y="${top - 9}" text-anchor="middle" class="note">${esc(formatPercent(threshold, 0))} failure line</text>`,
    '</svg>',
  );
  return parts.join('');
}
