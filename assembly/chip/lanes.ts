// Scans over vectors of words in v128 lanes, shared by the vector unit and the crossbar: the
// largest magnitude, and the list of nonzero entries (compacted four at a time through a table,
// without a branch per entry: which entries are zero varies from call to call).

/** for each 4-bit mask, the positions of its set bits in increasing order, as i32 lanes (the rest 0) */
const SET_BITS: usize = memory.data<i32>([0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 1, 2, 0, 0, 0, 1, 2, 0, 3, 0, 0, 0, 0, 3, 0, 0, 1, 3, 0, 0, 0, 1, 3, 0, 2, 3, 0, 0, 0, 2, 3, 0, 1, 2, 3, 0, 0, 1, 2, 3], 16);

/** max |v[i]| over the len words from v (as u32: |-2^31| = 2^31) */
export function maxAbsWords(v: usize, len: i32): u32 {
  let m = i32x4.splat(0);
  const quads = len & ~3;
  for (let i = 0; i < quads; i += 4) m = i32x4.max_u(m, i32x4.abs(v128.load(v + (<usize>i << 2))));
  let r = max<u32>(max<u32>(i32x4.extract_lane(m, 0), i32x4.extract_lane(m, 1)), max<u32>(i32x4.extract_lane(m, 2), i32x4.extract_lane(m, 3)));
  for (let i = quads; i < len; i++) r = max<u32>(r, <u32>abs<i32>(load<i32>(v + (<usize>i << 2))));
  return r;
}

/**
 * The indices i < n whose entry is nonzero, in increasing order, as i32 words at out (which must
 * hold n words); returns how many. Entries are i32 words at x, or with WIDE = i64 the i64 words
 * there whose values fit an i32 (the low halves are tested). Each step of four stores four
 * words, the ones past its nonzero entries overwritten by the next step or unused.
 */
export function nonzeroIndices<WIDE>(x: usize, n: i32, out: usize): i32 {
  const quads = n & ~3;
  let count = 0;
  for (let i = 0; i < quads; i += 4) {
    let v: v128;
    if (sizeof<WIDE>() == 8) {
      const at = x + (<usize>i << 3);
      v = i32x4.shuffle(v128.load(at), v128.load(at, 16), 0, 2, 4, 6);
    } else v = v128.load(x + (<usize>i << 2));
    // nonzero lanes: not (v == 0)
    const m = i32x4.bitmask(i32x4.eq(v, i32x4.splat(0))) ^ 15;
    // count + 3 < i + 4 <= n: the four words stay inside out
    v128.store(out + (<usize>count << 2), i32x4.add(i32x4.splat(i), v128.load(SET_BITS + (<usize>m << 4))));
    count += <i32>popcnt<u32>(m);
  }
  for (let i = quads; i < n; i++) {
    const nonzero = sizeof<WIDE>() == 8 ? load<i64>(x + (<usize>i << 3)) != 0 : load<i32>(x + (<usize>i << 2)) != 0;
    store<i32>(out + (<usize>count << 2), i);
    count += <i32>nonzero;
  }
  return count;
}

/** for each 4-bit mask, the i8x16.swizzle indices that move the i32 lanes it selects to the front, in order (the rest zeroed) */
const SELECT_LANES: usize = memory.data<u8>([128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 1, 2, 3, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 4, 5, 6, 7, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 1, 2, 3, 4, 5, 6, 7, 128, 128, 128, 128, 128, 128, 128, 128, 8, 9, 10, 11, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 1, 2, 3, 8, 9, 10, 11, 128, 128, 128, 128, 128, 128, 128, 128, 4, 5, 6, 7, 8, 9, 10, 11, 128, 128, 128, 128, 128, 128, 128, 128, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 128, 128, 128, 128, 12, 13, 14, 15, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 1, 2, 3, 12, 13, 14, 15, 128, 128, 128, 128, 128, 128, 128, 128, 4, 5, 6, 7, 12, 13, 14, 15, 128, 128, 128, 128, 128, 128, 128, 128, 0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 128, 128, 128, 128, 8, 9, 10, 11, 12, 13, 14, 15, 128, 128, 128, 128, 128, 128, 128, 128, 0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 128, 128, 128, 128, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 128, 128, 128, 128, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], 16);

/** the i32 lanes of v that the 4-bit mask `keep` selects, moved to the front in order (the other lanes 0) */
// @ts-ignore: decorator
@inline export function selectLanes(v: v128, keep: i32): v128 {
  return i8x16.swizzle(v, v128.load(SELECT_LANES + (<usize>keep << 4)));
}
