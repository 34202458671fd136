/** A component the guards must re-cluster: its records, its accepted links and what may not meet. */
export interface GuardedComponent {
  /** Records with their signature (records with equal names and birth date share one). */
  readonly nodes: readonly { readonly id: number; readonly sig: number }[];
  /** Accepted links; `priority` 0 is an analyst's must-link (taken first), others by weight. */
  readonly edges: readonly {
    readonly l: number;
    readonly r: number;
    readonly priority: number;
    readonly weight: number | null;
  }[];
  /** Signatures that may not sit in one cluster (different first names or birth dates), as `a|b`, a < b. */
  readonly conflicts: ReadonlySet<string>;
  readonly cannotLinks: readonly (readonly [number, number])[];
  readonly maxSize: number;
}

interface Group {
  members: number[];
  sigs: Set<number>;
}

/**
 * Rebuilds a component from its strongest links down (analysts' must-links first, then by
 * match weight), refusing a link that would put records with different first names or birth
 * dates, or a cannot-link pair, in one cluster, or grow it past `maxSize` (a must-link passes
 * the name, date and size checks, never a cannot-link). The component thus splits at its
 * weakest links. Returns node → cluster (its smallest node).
 */
export function constrainedClusters(c: GuardedComponent): Map<number, number> {
  const parent = new Map<number, number>();
  const groups = new Map<number, Group>();
  for (const n of c.nodes) {
    parent.set(n.id, n.id);
    groups.set(n.id, { members: [n.id], sigs: new Set([n.sig]) });
  }
  const cannot = new Map<number, number[]>();
  for (const [a, b] of c.cannotLinks) {
    cannot.set(a, [...(cannot.get(a) ?? []), b]);
    cannot.set(b, [...(cannot.get(b) ?? []), a]);
  }
  const find = (x: number): number => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    let cur = x;
    while (cur !== root) {
      const next = parent.get(cur)!;
      parent.set(cur, root);
      cur = next;
    }
    return root;
  };
  const rank = (e: GuardedComponent['edges'][number]) => (e.priority === 0 ? 0 : 1);
  const edges = [...c.edges].sort(
    (x, y) =>
      rank(x) - rank(y) ||
      (y.weight ?? Infinity) - (x.weight ?? Infinity) ||
      x.l - y.l ||
      x.r - y.r,
  );
  for (const e of edges) {
    if (!parent.has(e.l) || !parent.has(e.r)) continue;
    const ra = find(e.l);
    const rb = find(e.r);
    if (ra === rb) continue;
    const ga = groups.get(ra)!;
    const gb = groups.get(rb)!;
    const override = e.priority === 0;
    if (!override && ga.members.length + gb.members.length > c.maxSize) continue;
    if (!override && sigsConflict(ga.sigs, gb.sigs, c.conflicts)) continue;
    if (cannotMeet(ga, rb, cannot, find)) continue;
    const [big, small, bigRoot, smallRoot] =
      ga.members.length >= gb.members.length ? [ga, gb, ra, rb] : [gb, ga, rb, ra];
    parent.set(smallRoot, bigRoot);
    for (const m of small.members) big.members.push(m);
    for (const d of small.sigs) big.sigs.add(d);
    groups.delete(smallRoot);
  }
  const out = new Map<number, number>();
  for (const g of groups.values()) {
    const id = g.members.reduce((m, x) => (x < m ? x : m), Infinity);
    for (const m of g.members) out.set(m, id);
  }
  return out;
}

function sigsConflict(
  a: ReadonlySet<number>,
  b: ReadonlySet<number>,
  conflicts: ReadonlySet<string>,
): boolean {
  for (const x of a)
    for (const y of b) if (x !== y && conflicts.has(x < y ? `${x}|${y}` : `${y}|${x}`)) return true;
  return false;
}

function cannotMeet(
  g: Group,
  otherRoot: number,
  cannot: ReadonlyMap<number, number[]>,
  find: (x: number) => number,
): boolean {
  for (const m of g.members)
    for (const other of cannot.get(m) ?? []) if (find(other) === otherRoot) return true;
  return false;
}
