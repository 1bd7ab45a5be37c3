// Rounding bounds for the ILA tests (no tfjs import: the e2e spec uses them too).

/** float32 unit roundoff (half an ulp of 1). */
export const F32_EPS = 2 ** -24;

/**
 * Bound for an ILA output computed in float32 against the float64 naive loop, on randomInputs (|q|, |k| <= 3,
 * |v| <= 1). A score is a d-term dot product over sqrt(d): accumulated rounding grows like sqrt(d + 2) * eps
 * times sum|q_i k_i| / sqrt(d) <= 9 sqrt(d); a softmax output moves by at most 2 * max|score error| * max|v|.
 * For the widest case (d = 64) that is 2 * sqrt(66) * 2^-24 * 72 = 7e-5; WGSL's exp (3 + 2|x| ulp) stays
 * inside it for these score ranges. One bound for every case and backend: 1e-4.
 */
export const ILA_F32_BOUND = 1e-4;

/**
 * Bound for an ILA computed with float64 scores, softmax and sums from the same float32 inputs as the float64
 * naive loop (the typed-array kernel): the output's one rounding to float32 (eps * max|v|, |v| <= 1), plus the
 * float64 rounding of both, ~1e-13 here. Twice eps covers both.
 */
export const ILA_F64_SUMS_BOUND = 2 * F32_EPS;

/**
 * Per-case form of the ILA_F32_BOUND argument, for an ILA computed in float32 (the SIMD kernel) against the
 * float64 naive loop on randomInputs (|q|, |k| <= 3, |v| <= 1): score error sqrt(d + 2) * eps * 9 sqrt(d), moving
 * an output by at most twice that; plus the float32 exp and the n-candidate weighted average's own roundings
 * (averageRounding). Shipped sizes (d = 24, n = 2 * 81): 2.7e-5 + 9.8e-6 = 3.7e-5.
 */
export function ilaF32CaseBound(d: number, candidates: number): number {
  return 2 * Math.sqrt(d + 2) * F32_EPS * 9 * Math.sqrt(d) + averageRounding(candidates, F32_EPS);
}

/** Rounding of an n-term weighted average of values <= maxAbs: (n + 2) roundings of eps each, at most. */
export function averageRounding(n: number, eps: number, maxAbs = 1): number {
  return (n + 2) * eps * maxAbs;
}
