// The cosine of the chip's Box-Muller draws (fixed-pattern mismatch, random.ts), in IEEE double
// operations only (+ - * / and bit moves, each exactly rounded), so that every engine computes
// the same bits. Math.cos is not specified to the last bit and engines differ (V8 alone has used
// fdlibm, glibc's and LLVM libc's code in different builds and versions). The algorithm is
// fdlibm's s_cos.c with k_cos.c, k_sin.c and the medium-range part of e_rem_pio2.c (Sun
// Microsystems, 1993), in the form of V8's src/base/ieee754.cc, so that it equals Node 20's
// Math.cos bit for bit: x is reduced to x - n pi/2 = y0 + y1 (a double-double, pi/2 split into
// 33-bit pieces so that n * piece is exact) with |y0 + y1| <= pi/4, then cos or sin of the
// remainder (chosen and signed by n mod 4) by minimax polynomials in y^2; error below 1 ulp.
// Arguments of magnitude above about 2^20 pi/2 (1.65e6) would need fdlibm's long reduction by a
// table of 2/pi bits (k_rem_pio2.c), which the draws never need: portableCos throws there instead.

// pi/2 in pieces: PIO2_1 + PIO2_1T (PIO2_1 has 33 significant bits), then PIO2_1T itself split as
// PIO2_2 + PIO2_2T, and PIO2_2T as PIO2_3 + PIO2_3T, for arguments whose remainder cancels deeply
const INV_PIO2 = 6.36619772367581382433e-1; // 0x3fe45f30_6dc9c883
const PIO2_1 = 1.57079632673412561417e0; // 0x3ff921fb_54400000
const PIO2_1T = 6.07710050650619224932e-11; // 0x3dd0b461_1a626331
const PIO2_2 = 6.07710050630396597660e-11; // 0x3dd0b461_1a600000
const PIO2_2T = 2.02226624879595063154e-21; // 0x3ba3198a_2e037073
const PIO2_3 = 2.02226624871116645580e-21; // 0x3ba3198a_2e000000
const PIO2_3T = 8.47842766036889956997e-32; // 0x397b839a_252049c1

// cos(y) = 1 - y^2/2 + y^4 (C1 + y^2 C2 + ... + y^10 C6) on |y| <= pi/4
const C1 = 4.16666666666666019037e-2; // 0x3fa55555_5555554c
const C2 = -1.38888888888741095749e-3; // 0xbf56c16c_16c15177
const C3 = 2.48015872894767294178e-5; // 0x3efa01a0_19cb1590
const C4 = -2.75573143513906633035e-7; // 0xbe927e4f_809c52ad
const C5 = 2.08757232129817482790e-9; // 0x3e21ee9e_bdb4b1c4
const C6 = -1.13596475577881948265e-11; // 0xbda8fae9_be8838d4

// sin(y) = y + y^3 (S1 + y^2 S2 + ... + y^10 S6) on |y| <= pi/4
const S1 = -1.66666666666666324348e-1; // 0xbfc55555_55555549
const S2 = 8.33333333332248946124e-3; // 0x3f811111_1110f8a6
const S3 = -1.98412698298579493134e-4; // 0xbf2a01a0_19c161d5
const S4 = 2.75573137070700676789e-6; // 0x3ec71de3_57b1fe7d
const S5 = -2.50507602534068634195e-8; // 0xbe5ae5e6_8a2b9ceb
const S6 = 1.58969099521155010221e-10; // 0x3de5d93a_5acfd57c

// high words of the doubles next to n pi/2, n = 1..32: an argument whose high word is one of these
// may cancel more than the quick path of the reduction allows
const NPIO2_HW = [
  0x3ff921fb, 0x400921fb, 0x4012d97c, 0x401921fb, 0x401f6a7a, 0x4022d97c, 0x4025fdbb, 0x402921fb,
  0x402c463a, 0x402f6a7a, 0x4031475c, 0x4032d97c, 0x40346b9c, 0x4035fdbb, 0x40378fdb, 0x403921fb,
  0x403ab41b, 0x403c463a, 0x403dd85a, 0x403f6a7a, 0x40407e4c, 0x4041475c, 0x4042106c, 0x4042d97c,
  0x4043a28c, 0x40446b9c, 0x404534ac, 0x4045fdbb, 0x4046c6cb, 0x40478fdb, 0x404858eb, 0x404921fb,
];

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// the high word of a double in u32 (little-endian platforms: every engine that runs Wasm)
const HI = 1;
const LO = 0;

/** The high 32 bits of x (sign, exponent, top 20 bits of the significand), as a signed int. */
function highWord(x: number): number {
  f64[0] = x;
  return u32[HI]! | 0;
}

/** cos(y0 + y1) for |y0 + y1| <= pi/4 (about), y1 a correction far below an ulp of y0. */
function kernelCos(y0: number, y1: number): number {
  const ix = highWord(y0) & 0x7fffffff;
  if (ix < 0x3e400000) return 1; // |y0| < 2^-27: 1 - y^2/2 rounds to 1
  const z = y0 * y0;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) return 1 - (0.5 * z - (z * r - y0 * y1)); // |y0| < 0.3
  // cos = (1 - q) - ((z/2 - q) - (z r - y0 y1)) with a short q (1 - q exact) near z/2, so that the
  // big subtraction 1 - z/2 loses less
  let q: number;
  if (ix > 0x3fe90000) {
    q = 0.28125; // |y0| > 0.78125
  } else {
    u32[HI] = ix - 0x00200000; // |y0| / 4 with its low word cleared
    u32[LO] = 0;
    q = f64[0]!;
  }
  const hz = 0.5 * z - q;
  const a = 1 - q;
  return a - (hz - (z * r - y0 * y1));
}

/** sin(y0 + y1) for |y0 + y1| <= pi/4 (about), y1 a correction far below an ulp of y0. */
function kernelSin(y0: number, y1: number): number {
  const ix = highWord(y0) & 0x7fffffff;
  if (ix < 0x3e400000) return y0; // |y0| < 2^-27
  const z = y0 * y0;
  const v = z * y0;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  return y0 - ((z * (0.5 * y1 - v * r) - y1) - v * S1);
}

// the remainder y0 + y1 of the last reduce()
let red0 = 0;
let red1 = 0;

/**
 * x - n pi/2 = red0 + red1 with |red0 + red1| <= pi/4 (about); returns n. For pi/4 < |x| <= about
 * 2^20 pi/2 (high word up to 0x413921fb).
 */
function reduce(x: number, hx: number, ix: number): number {
  if (ix < 0x4002d97c) {
    // |x| < 3 pi/4: n = +-1
    const s = hx > 0 ? 1 : -1;
    let z = x - s * PIO2_1;
    if (ix !== 0x3ff921fb) {
      red0 = z - s * PIO2_1T;
      red1 = z - red0 - s * PIO2_1T;
    } else {
      // x within 2^-20 relative of pi/2: the remainder cancels 33 bits more
      z -= s * PIO2_2;
      red0 = z - s * PIO2_2T;
      red1 = z - red0 - s * PIO2_2T;
    }
    return s;
  }
  const t = Math.abs(x);
  const n = Math.trunc(t * INV_PIO2 + 0.5);
  let r = t - n * PIO2_1; // exact: n <= 2^20 and PIO2_1 has 33 bits
  let w = n * PIO2_1T;
  red0 = r - w;
  if (n >= 32 || ix === NPIO2_HW[n - 1]) {
    // the quick path may cancel too much: count the bits lost and refine while needed
    const e = ix >> 20;
    if (e - ((highWord(red0) >> 20) & 0x7ff) > 16) {
      let u = r;
      w = n * PIO2_2;
      r = u - w;
      w = n * PIO2_2T - (u - r - w);
      red0 = r - w;
      if (e - ((highWord(red0) >> 20) & 0x7ff) > 49) {
        u = r;
        w = n * PIO2_3;
        r = u - w;
        w = n * PIO2_3T - (u - r - w);
        red0 = r - w;
      }
    }
  }
  red1 = r - red0 - w;
  if (hx < 0) {
    red0 = -red0;
    red1 = -red1;
    return -n;
  }
  return n;
}

/**
 * cos(x), the same bits on every engine (and equal to Node 20's Math.cos). NaN for an infinite or
 * NaN argument; throws for a finite |x| above about 2^20 pi/2 (1 647 100), which needs the long
 * reduction not implemented here. The chip calls it only on 2 pi u, u in [0, 1).
 */
export function portableCos(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelCos(x, 0); // |x| <= pi/4 (about)
  if (ix >= 0x7ff00000) return NaN; // inf or NaN
  if (ix > 0x413921fb) throw new Error(`portableCos: |x| = ${Math.abs(x)} is beyond the implemented range (|x| <= about 2^20 pi/2)`);
  const n = reduce(x, hx, ix);
  switch (n & 3) {
    case 0:
      return kernelCos(red0, red1);
    case 1:
      return -kernelSin(red0, red1);
    case 2:
      return -kernelCos(red0, red1);
    default:
      return kernelSin(red0, red1);
  }
}
