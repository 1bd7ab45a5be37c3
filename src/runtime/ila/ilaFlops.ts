// FLOPs of one ILA call (one query map, one task) for the cost model: multiply-adds counted as 2.
// Counts the full M x L x L window at every position (border masking ignored: an upper bound that
// is exact away from the border); the softmax's exp/max/sum are a lower-order term and not counted.

export function ilaFlops(h: number, w: number, d: number, T: number, M: number, L: number): number {
  for (const [name, v] of [['h', h], ['w', w], ['d', d], ['T', T], ['M', M], ['L', L]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`ilaFlops: ${name} must be a positive integer, got ${v}`);
  }
  if (L % 2 !== 1) throw new RangeError(`ilaFlops: window L must be odd, got ${L}`);
  const candidates = h * w * M * L * L;
  return 2 * candidates * (d + T); // scores q.k (d MACs) + weighted sum of values (T MACs)
}
