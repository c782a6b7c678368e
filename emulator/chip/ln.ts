// The natural logarithm the chip's random draws use (outer.sr's thinned rows), in IEEE double
// operations only (+ - * / and bit moves, each exactly rounded), so that every engine, and the
// Wasm core (assembly/chip/ln.ts, the same steps), computes the same bits. Math.log is not
// specified to the last bit and engines differ. The algorithm is fdlibm's e_log.c (Sun
// Microsystems, 1993): x = 2^k (1 + f) with sqrt(2)/2 < 1 + f < sqrt(2), s = f / (2 + f),
// ln(1 + f) = 2s + s R(s^2) with a degree-14 minimax polynomial R; error below 1 ulp.

const LN2_HI = 6.93147180369123816490e-1; // 0x3fe62e42_fee00000
const LN2_LO = 1.90821492927058770002e-10; // 0x3dea39ef_35793c76
const TWO54 = 1.8014398509481984e16;
const LG1 = 6.666666666666735130e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// the high word of a double in u32 (little-endian platforms: every engine that runs Wasm)
const HI = 1;
const LO = 0;

export function ln(x: number): number {
  f64[0] = x;
  let hx = u32[HI]! | 0;
  const lx = u32[LO]!;
  let k = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity; // ln(+-0)
    if (hx < 0) return NaN; // ln(negative)
    k -= 54; // subnormal: scale up
    f64[0] = x * TWO54;
    hx = u32[HI]! | 0;
  }
  if (hx >= 0x7ff00000) return f64[0]! + f64[0]!; // inf or NaN
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  u32[HI] = hx | (i ^ 0x3ff00000); // normalise x or x/2
  k += i >> 20;
  const f = f64[0]! - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    // -2^-20 <= f < 2^-20
    if (f === 0) return k === 0 ? 0 : k * LN2_HI + k * LN2_LO;
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - r : k * LN2_HI - (r - k * LN2_LO - f);
  }
  const s = f / (2.0 + f);
  const dk = k;
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + r)) : dk * LN2_HI - (hfsq - (s * (hfsq + r) + dk * LN2_LO) - f);
  }
  return k === 0 ? f - s * (f - r) : dk * LN2_HI - (s * (f - r) - dk * LN2_LO - f);
}
