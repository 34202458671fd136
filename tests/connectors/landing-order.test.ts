import { describe, expect, it } from 'vitest';
import { insertsUnordered } from '../../connectors/core/landing.ts';

const MB = 1e6;
// 128MB as DuckDB prints it (122.0 MiB), 2 threads, 8-column rows of ~120 bytes.
const base = { threads: 2, memoryLimit: 122 * 2 ** 20, lineWidth: 120 };

describe('insert order of a batch', () => {
  it('narrow rows: the first batch, and any large batch, go unordered; a later small batch goes in order', () => {
    expect(insertsUnordered({ ...base, batchNo: 1, fileBytes: 5 * MB })).toBe(true);
    expect(insertsUnordered({ ...base, batchNo: 2, fileBytes: 30 * MB })).toBe(false); // 250k rows: its partial row groups cost more at COMMIT than it saves
    expect(insertsUnordered({ ...base, batchNo: 2, fileBytes: 60 * MB })).toBe(true); // 500k rows
    expect(insertsUnordered({ ...base, batchNo: 2, fileBytes: 121 * MB })).toBe(true); // 1M rows
    expect(insertsUnordered({ ...base, batchNo: 7, fileBytes: 400 * MB })).toBe(true);
  });

  it('wide rows (parsed log lines) or more threads than the memory limit allows for go in order', () => {
    expect(insertsUnordered({ ...base, lineWidth: 320, batchNo: 1, fileBytes: 320 * MB })).toBe(
      false,
    );
    expect(insertsUnordered({ ...base, threads: 4, batchNo: 2, fileBytes: 121 * MB })).toBe(false);
    expect(
      insertsUnordered({ ...base, memoryLimit: 64 * 2 ** 20, batchNo: 1, fileBytes: 121 * MB }),
    ).toBe(false);
  });
});
