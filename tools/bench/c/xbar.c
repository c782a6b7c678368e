/*
 * C reference of the int16 crossbar kernels (assembly/xbar/index.ts), for `npm run bench -- xbar`.
 * tools/bench/xbar.ts compiles this file at bench time into a temp folder, twice
 * (gcc -O3 -msse4.2 and gcc -O3 -march=native), and parses the lines it prints.
 *
 * The kernels are plain loops written the way gcc vectorises best (restrict pointers, inner loop
 * over contiguous memory); there are no intrinsics: the figure is what the compiler makes of
 * straightforward C. Where two loop shapes are plausible both are timed and the bench keeps the
 * faster one, so the Wasm/C ratios never flatter Wasm.
 *
 * Semantics are those of the Wasm kernels: i32 sums wrapping modulo 2^32 (computed in uint32_t,
 * signed overflow being undefined in C), outer-product factors taken as the low 16 bits of a[r]
 * and x[c]. Inputs come from the same generator as the TypeScript side, so the checksums printed
 * here must equal those of Wasm and JS (the bench compares them).
 *
 * usage: xbar ROWS COLS MS   (MS = milliseconds per repetition; 15 repetitions after warm-up)
 * output lines: <kernel> <variant> <median ops/s> <best ops/s> <checksum (uint32, decimal)>
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int16_t i16;
typedef int32_t i32;
typedef uint32_t u32;

/* ---- kernels ---- */

/* forward, row-outer: y[c] += W[r][c] * x[r] over rows (the textbook order) */
__attribute__((noinline)) void mvm_rows(const i16 *restrict W, int rows, int cols, int stride,
                                        const i16 *restrict x, i32 *restrict y) {
  u32 *restrict acc = (u32 *)y;
  for (int c = 0; c < cols; c++) acc[c] = 0;
  for (int r = 0; r < rows; r++) {
    const i16 *restrict w = W + (size_t)r * stride;
    const i32 xr = x[r];
    for (int c = 0; c < cols; c++) acc[c] += (u32)(w[c] * xr);
  }
}

/* forward, four rows per pass over y (quarter of the y traffic) */
__attribute__((noinline)) void mvm_rows4(const i16 *restrict W, int rows, int cols, int stride,
                                         const i16 *restrict x, i32 *restrict y) {
  u32 *restrict acc = (u32 *)y;
  for (int c = 0; c < cols; c++) acc[c] = 0;
  int r = 0;
  for (; r + 4 <= rows; r += 4) {
    const i16 *restrict w0 = W + (size_t)r * stride;
    const i16 *restrict w1 = w0 + stride;
    const i16 *restrict w2 = w1 + stride;
    const i16 *restrict w3 = w2 + stride;
    const i32 x0 = x[r], x1 = x[r + 1], x2 = x[r + 2], x3 = x[r + 3];
    for (int c = 0; c < cols; c++)
      acc[c] += (u32)(w0[c] * x0) + (u32)(w1[c] * x1) + (u32)(w2[c] * x2) + (u32)(w3[c] * x3);
  }
  for (; r < rows; r++) {
    const i16 *restrict w = W + (size_t)r * stride;
    const i32 xr = x[r];
    for (int c = 0; c < cols; c++) acc[c] += (u32)(w[c] * xr);
  }
}

/* transposed: y[r] = dot(W[r][.], x); gcc turns this reduction into pmaddwd */
__attribute__((noinline)) void mvmt_dot(const i16 *restrict W, int rows, int cols, int stride,
                                        const i16 *restrict x, i32 *restrict y) {
  for (int r = 0; r < rows; r++) {
    const i16 *restrict w = W + (size_t)r * stride;
    i32 s = 0; /* int (not uint32_t): gcc only forms its dot-product pattern on int sums */
    for (int c = 0; c < cols; c++) s += w[c] * x[c];
    y[r] = s;
  }
}

/* outer-product update, factors as int32 products of the low 16 bits (exact) */
__attribute__((noinline)) void outer(i16 *restrict W, int rows, int cols, int stride,
                                     const i32 *restrict a, const i32 *restrict x, int sh, int lo,
                                     int hi) {
  const i32 bias = (i32)(1u << (sh - 1));
  for (int r = 0; r < rows; r++) {
    i16 *restrict w = W + (size_t)r * stride;
    const i32 ar = (i16)a[r];
    for (int c = 0; c < cols; c++) {
      const i32 p = ar * (i16)x[c];
      i32 s = w[c] + ((i32)((u32)p + (u32)bias) >> sh);
      s = s < lo ? lo : s;
      s = s > hi ? hi : s;
      w[c] = (i16)s;
    }
  }
}

/* outer-product update, int32 products (the same results while a and x are within int16) */
__attribute__((noinline)) void outer32(i16 *restrict W, int rows, int cols, int stride,
                                       const i32 *restrict a, const i32 *restrict x, int sh, int lo,
                                       int hi) {
  const u32 bias = 1u << (sh - 1);
  for (int r = 0; r < rows; r++) {
    i16 *restrict w = W + (size_t)r * stride;
    const u32 ar = (u32)a[r];
    for (int c = 0; c < cols; c++) {
      i32 s = w[c] + ((i32)(ar * (u32)x[c] + bias) >> sh);
      s = s < lo ? lo : s;
      s = s > hi ? hi : s;
      w[c] = (i16)s;
    }
  }
}

/* ---- inputs: the generator of tools/bench/xbar.ts (32-bit LCG, top bits) ---- */

static u32 seed;
static int32_t rnd(int32_t lo, int32_t hi) { /* uniform-ish in [lo, hi] */
  seed = seed * 1103515245u + 12345u;
  return lo + (int32_t)((seed >> 8) % (u32)(hi - lo + 1));
}

static u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; } /* FNV-1a on 32-bit words */
static u32 sum32(const i32 *y, int n) {
  u32 h = 2166136261u;
  for (int i = 0; i < n; i++) h = mix(h, (u32)y[i]);
  return h;
}
static u32 sum16(const i16 *w, int n) {
  u32 h = 2166136261u;
  for (int i = 0; i < n; i++) h = mix(h, (u32)(uint16_t)w[i]);
  return h;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}
static int cmpd(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static int R, C, S;
static i16 *W, *W0, *x16;
static i32 *y, *a32, *x32;
static volatile u32 sink;

enum { MVM_ROWS, MVM_ROWS4, MVMT_DOT, OUTER, OUTER32 };
static void run(int k) {
  switch (k) {
    case MVM_ROWS: mvm_rows(W, R, C, S, x16, y); break;
    case MVM_ROWS4: mvm_rows4(W, R, C, S, x16, y); break;
    case MVMT_DOT: mvmt_dot(W, R, C, S, x16, y); break;
    case OUTER: outer(W, R, C, S, a32, x32, 14, -2048, 2047); break;
    case OUTER32: outer32(W, R, C, S, a32, x32, 14, -2048, 2047); break;
  }
  sink += (u32)y[0] + (u32)W[0];
}

/* seconds per call: warm-up 300 ms, then 15 repetitions of about ms milliseconds */
static void timeit(int k, double ms, double *median, double *best) {
  double t0 = now();
  long calls = 0;
  while (now() - t0 < 0.3) { run(k); calls++; }
  const double per = (now() - t0) / calls;
  long n = (long)(ms * 1e-3 / per);
  if (n < 1) n = 1;
  double t[15];
  for (int i = 0; i < 15; i++) {
    t0 = now();
    for (long j = 0; j < n; j++) run(k);
    t[i] = (now() - t0) / n;
  }
  qsort(t, 15, sizeof t[0], cmpd);
  *median = t[7];
  *best = t[0];
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: xbar ROWS COLS MS\n"); return 2; }
  R = atoi(argv[1]); C = atoi(argv[2]);
  const double ms = atof(argv[3]);
  S = C;
  W = aligned_alloc(64, ((size_t)R * S * 2 + 63) / 64 * 64);
  W0 = malloc((size_t)R * S * 2);
  x16 = malloc((size_t)R * 2 + (size_t)C * 2);
  y = aligned_alloc(64, ((size_t)(R > C ? R : C) * 4 + 63) / 64 * 64);
  a32 = malloc((size_t)R * 4);
  x32 = malloc((size_t)C * 4);
  /* same order of draws as tools/bench/xbar.ts: W, x (max(R, C) codes), a, x32 */
  seed = 12345u;
  for (long i = 0; i < (long)R * S; i++) W0[i] = (i16)rnd(-4096, 4095);
  const int nx = R > C ? R : C;
  for (int i = 0; i < nx; i++) x16[i] = (i16)rnd(-256, 255);
  for (int i = 0; i < R; i++) a32[i] = rnd(-32768, 32767);
  for (int i = 0; i < C; i++) x32[i] = rnd(-32768, 32767);

  static const char *names[][2] = {{"mvm", "rows"}, {"mvm", "rows4"}, {"mvmt", "dot"}, {"outer", "i16"}, {"outer", "i32"}};
  for (int k = 0; k <= OUTER32; k++) {
    memcpy(W, W0, (size_t)R * S * 2);
    u32 check;
    if (k >= OUTER) { /* three updates from the initial W */
      for (int i = 0; i < 3; i++) run(k);
      check = sum16(W, R * S);
    } else {
      run(k);
      check = sum32(y, k == MVMT_DOT ? R : C);
    }
    double med, best;
    timeit(k, ms, &med, &best);
    const double ops = (double)R * C;
    printf("%s %s %.6g %.6g %u\n", names[k][0], names[k][1], ops / med, ops / best, check);
    fflush(stdout);
  }
  return 0;
}
