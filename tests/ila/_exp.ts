import { readFileSync } from 'node:fs';
import { randomInputs, caseDims, maxAbsDiff, SHIPPED_ILA_CASES } from './ilaTestUtils';
import { ilaTypedArrays } from '../../src/runtime/ila/ilaTyped';
const c = SHIPPED_ILA_CASES[1]; const inp = randomInputs(c, 7); const ref = ilaTypedArrays(inp.q, inp.k, inp.v, caseDims(c));
for (const f of process.argv.slice(2)) {
  const ex = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(f)), {}).exports as any;
  const base = (ex.heapBase() + 15) & ~15;
  const q = base, k = q + inp.q.length * 4, v = k + inp.k.length * 4, o = v + inp.v.length * 4, s = o + ref.length * 4, r = s + 4 * 162;
  const need = r + 4 * 162; ex.memory.grow(Math.ceil((need - ex.memory.buffer.byteLength) / 65536) + 1);
  const b = ex.memory.buffer;
  new Float32Array(b, q, inp.q.length).set(inp.q); new Float32Array(b, k, inp.k.length).set(inp.k); new Float32Array(b, v, inp.v.length).set(inp.v);
  const run = () => ex.ilaAttend(q, k, v, o, s, r, c.G, c.M, c.h, c.w, c.d, c.T, c.L);
  for (let i = 0; i < 3; i++) run();
  const t: number[] = [];
  for (let i = 0; i < 31; i++) { const t0 = performance.now(); run(); t.push(performance.now() - t0); }
  t.sort((a, b) => a - b);
  console.log(f, 'median', t[15].toFixed(2), 'min', t[0].toFixed(2), 'err', maxAbsDiff(new Float32Array(b, o, ref.length), ref));
}
