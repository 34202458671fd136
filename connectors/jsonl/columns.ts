import type { ResolvedSource, ResolvedTable } from '../../foundation/config-types.ts';
import { stat } from 'node:fs/promises';
import { fileError } from '../core/files/file-source.ts';
import { readLines } from '../core/files/line-reader.ts';
import { lastLineEnd } from '../core/files/byte-ranges.ts';
import { JsonLineParser } from './parse-json-line.ts';

const SAMPLE_FILES = 5;
const SAMPLE_BYTES = 1 << 20;

/**
 * The columns of a JSON lines table as far as its newest files' first lines show them (keys of
 * the first MiB of up to five files): JSON lines have no header, so a key no line of the sample
 * has counts as missing.
 */
export async function jsonlColumns(
  source: ResolvedSource,
  table: ResolvedTable,
  files: readonly { file: string; rel: string }[],
): Promise<string[]> {
  const parser = new JsonLineParser();
  for (const f of files.slice(0, SAMPLE_FILES)) {
    try {
      const size = (await stat(f.file)).size;
      const end = size <= SAMPLE_BYTES ? size : await lastLineEnd(f.file, 0, SAMPLE_BYTES);
      for await (const lines of readLines(f.file, 0, end, 0, 'utf-8'))
        for (const l of lines) if (l.text !== null) parser.parse(l.text);
    } catch (err) {
      throw fileError(source.name, table.name, f.file, err);
    }
  }
  return parser.columns.map((c) => c.name);
}
