import { describe, expect, it } from 'vitest';
import { constrainedClusters } from '../../identity/constrained-clusters.ts';

const nodes = (n: number, sig = (i: number) => i) =>
  Array.from({ length: n }, (_, i) => ({ id: i + 1, sig: sig(i + 1) }));

describe('constrained clusters', () => {
  it('cuts a chain at its weakest link when its ends conflict', () => {
    // 1 - 2 - 3 - 4 with signatures 1 and 4 in conflict; the 2-3 link is the weakest
    const out = constrainedClusters({
      nodes: nodes(4),
      edges: [
        { l: 1, r: 2, priority: 1, weight: 20 },
        { l: 2, r: 3, priority: 1, weight: 4 },
        { l: 3, r: 4, priority: 1, weight: 15 },
      ],
      conflicts: new Set(['1|4']),
      cannotLinks: [],
      maxSize: 50,
    });
    expect([...out.entries()].sort()).toEqual([
      [1, 1],
      [2, 1],
      [3, 3],
      [4, 3],
    ]);
  });

  it('never puts a cannot-link pair together, not even for a must-link', () => {
    const out = constrainedClusters({
      nodes: nodes(3),
      edges: [
        { l: 1, r: 2, priority: 0, weight: null },
        { l: 2, r: 3, priority: 0, weight: null },
      ],
      conflicts: new Set(),
      cannotLinks: [[1, 3]],
      maxSize: 50,
    });
    expect(out.get(1)).toBe(1);
    expect(out.get(2)).toBe(1);
    expect(out.get(3)).toBe(3);
  });

  it('lets a must-link pass a signature conflict and the size limit', () => {
    const out = constrainedClusters({
      nodes: nodes(3),
      edges: [
        { l: 1, r: 2, priority: 2, weight: 30 },
        { l: 2, r: 3, priority: 0, weight: -5 },
      ],
      conflicts: new Set(['1|3', '2|3']),
      cannotLinks: [],
      maxSize: 1,
    });
    expect(out.get(2)).toBe(2);
    expect(out.get(3)).toBe(2);
    expect(out.get(1)).toBe(1);
  });

  it('splits an oversized component into parts no larger than the limit, strongest links first', () => {
    const edges = Array.from({ length: 9 }, (_, i) => ({
      l: i + 1,
      r: i + 2,
      priority: 1,
      weight: i === 4 ? 1 : 10 + i,
    }));
    const out = constrainedClusters({
      nodes: nodes(10),
      edges,
      conflicts: new Set(),
      cannotLinks: [],
      maxSize: 5,
    });
    const sizes = new Map<number, number>();
    for (const c of out.values()) sizes.set(c, (sizes.get(c) ?? 0) + 1);
    expect([...sizes.values()].sort()).toEqual([5, 5]);
    expect(out.get(5)).toBe(1);
    expect(out.get(6)).toBe(6);
  });

  it('records with equal signatures never conflict', () => {
    const out = constrainedClusters({
      nodes: nodes(3, (i) => (i === 3 ? 9 : 7)),
      edges: [
        { l: 1, r: 2, priority: 1, weight: 5 },
        { l: 2, r: 3, priority: 1, weight: 5 },
      ],
      conflicts: new Set(['7|9']),
      cannotLinks: [],
      maxSize: 50,
    });
    expect(out.get(2)).toBe(1);
    expect(out.get(3)).toBe(3);
  });
});
