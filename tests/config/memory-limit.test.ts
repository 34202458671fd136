import { describe, expect, it } from 'vitest';
import { defaultMemoryLimit } from '../../jobs/config/resolve.ts';

describe('the default DuckDB memory limit', () => {
  it('is a fifth of the machine, between 1 and 3 GiB', () => {
    expect(defaultMemoryLimit(24 * 2 ** 30)).toBe('3072MiB');
    expect(defaultMemoryLimit(10 * 2 ** 30)).toBe('2048MiB');
    expect(defaultMemoryLimit(2 * 2 ** 30)).toBe('1024MiB');
  });
});
