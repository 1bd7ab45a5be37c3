// Fused ILA (inter-frame local attention): ONE compute dispatch for a whole [G,h,w] query map.
//
// One workgroup per output position (g, y, x); its WG threads cooperate:
//   1. the query row is loaded once into workgroup memory, pre-scaled by 1/sqrt(d);
//   2. scores: the M*L*L window candidates are spread over the threads (one q.k dot each) and kept
//      in workgroup memory with their source row; candidates outside the map are masked (score
//      MASKED, so exp() gives exactly 0; their row points at the always-valid centre, so the
//      weighted sum below runs branch-free and never reads outside the map);
//   3. one tree reduction gives the row max (numerically stable softmax: exp(s - max));
//   4. weighted sum: threads = LANES channel vectors x PARTS candidate partitions; each thread sums
//      e * v and e over its candidates, partitions are combined in workgroup memory, and one
//      normalised write per channel vector finishes the softmax.
// No atomics, no CPU readback. Scores are computed in parallel into workgroup memory, so the
// single-pass (online) softmax with rescaling is not needed.
//
// Declared by ilaProgram.ts before this text (compile-time constants of one shape):
//   H, W, POSITIONS (=H*W), M, L, R (=(L-1)/2), LL (=L*L), NC (=M*LL)
//   D_VEC, T_VEC (key/value row length in KVec/VVec units), WG, LANES, PARTS, SPLIT, SCALE
//   alias KVec, VVec (vec4<f32> or f32) and fn kdot(KVec, KVec) -> f32
// Bindings (declared by tfjs): result: array<VVec>, ilaQuery/ilaKeys: array<KVec>, ilaValues: array<VVec>.

const MASKED: f32 = -3.0e38;

var<workgroup> qRow: array<KVec, D_VEC>;
var<workgroup> scores: array<f32, NC>;
var<workgroup> rows: array<i32, NC>;
var<workgroup> reduceBuf: array<f32, WG>;
var<workgroup> partial: array<VVec, WG>;
var<workgroup> partialSum: array<f32, WG>;

// Row index (in [G*M*H*W]) of candidate c for position (g, y, x), or -1 when masked.
fn candidateRow(c: i32, g: i32, y: i32, x: i32) -> i32 {
  let m = c / LL;
  let j = c - m * LL;
  let ky = y + j / L - R;
  let kx = x + (j % L) - R;
  if (ky < 0 || ky >= H || kx < 0 || kx >= W) {
    return -1;
  }
  return ((g * M + m) * H + ky) * W + kx;
}

// Tree max over reduceBuf (WG is a power of two); every thread must call it.
fn reduceMax(tid: i32) -> f32 {
  for (var stride = WG / 2; stride > 0; stride = stride / 2) {
    if (tid < stride) {
      reduceBuf[tid] = max(reduceBuf[tid], reduceBuf[tid + stride]);
    }
    workgroupBarrier();
  }
  return reduceBuf[0];
}

// PARTS == 1 (T_VEC >= WG): each thread owns whole channel vectors and sums every candidate.
fn accumulateDirect(tid: i32, item: i32, rowMax: f32, writes: bool) {
  for (var ch = tid; ch < T_VEC; ch = ch + WG) {
    var acc = VVec(0.0);
    var sum = 0.0;
    for (var c = 0; c < NC; c = c + 1) {
      let e = exp(scores[c] - rowMax);
      acc = acc + e * ilaValues[rows[c] * T_VEC + ch];
      sum = sum + e;
    }
    if (writes) {
      result[item * T_VEC + ch] = acc / sum;
    }
  }
}

// PARTS > 1: thread = (part, lane); part p sums candidates p, p+PARTS, ...; lanes then combine.
fn accumulateSplit(tid: i32, item: i32, rowMax: f32, writes: bool) {
  let lane = tid % LANES;
  let part = tid / LANES;
  var acc = VVec(0.0);
  var sum = 0.0;
  if (part < PARTS) {
    for (var c = part; c < NC; c = c + PARTS) {
      let e = exp(scores[c] - rowMax);
      acc = acc + e * ilaValues[rows[c] * T_VEC + lane];
      sum = sum + e;
    }
  }
  partial[tid] = acc;
  partialSum[tid] = sum;
  workgroupBarrier();
  if (tid < LANES) {
    var total = partial[tid];
    var totalSum = partialSum[tid];
    for (var p = 1; p < PARTS; p = p + 1) {
      total = total + partial[p * LANES + tid];
      totalSum = totalSum + partialSum[p * LANES + tid];
    }
    if (writes) {
      result[item * T_VEC + tid] = total / totalSum;
    }
  }
}

fn main(index: i32) {
  let tid = i32(localIndex);
  // Long dispatches wrap into y (ilaProgram.ts, within the per-dimension limit): linear index.
  let linear = i32(workgroupId.x + workgroupId.y * numWorkgroups.x +
                   workgroupId.z * numWorkgroups.x * numWorkgroups.y);
  // G*h*w from tfjs's uniforms (reading them also keeps the uniform binding tfjs always passes).
  let total = uniforms.outShape.x * uniforms.outShape.y * uniforms.outShape.z;
  // Surplus workgroups of the last row recompute the last item but never write; no early
  // return, so every barrier stays in uniform control flow.
  let writes = linear < total;
  let item = min(linear, total - 1);
  let g = item / POSITIONS;
  let pos = item - g * POSITIONS;
  let y = pos / W;
  let x = pos - y * W;

  for (var i = tid; i < D_VEC; i = i + WG) {
    qRow[i] = ilaQuery[item * D_VEC + i] * SCALE;
  }
  workgroupBarrier();

  var localMax = MASKED;
  for (var c = tid; c < NC; c = c + WG) {
    let row = candidateRow(c, g, y, x);
    var s = MASKED;
    if (row >= 0) {
      s = 0.0;
      for (var i = 0; i < D_VEC; i = i + 1) {
        s = s + kdot(qRow[i], ilaKeys[row * D_VEC + i]);
      }
      localMax = max(localMax, s);
    }
    scores[c] = s;
    rows[c] = select((g * M + c / LL) * POSITIONS + pos, row, row >= 0); // masked: same slot's centre
  }
  reduceBuf[tid] = localMax;
  workgroupBarrier();
  let rowMax = reduceMax(tid); // a real score: the centre candidate (delta = 0) is always valid

  if (SPLIT) {
    accumulateSplit(tid, item, rowMax, writes);
  } else {
    accumulateDirect(tid, item, rowMax, writes);
  }
}
