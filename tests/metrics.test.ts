import { describe, expect, it } from 'vitest';
import { correlation, errorStats } from '../emulator/metrics.js';

describe('metrics', () => {
  it('errorStats gives rms and max', () => {
    expect(errorStats([1, 2, 3], [1, 2, 5])).toEqual({ rms: Math.sqrt(4 / 3), max: 2 });
  });
  it('correlation is 1 for affine copies, -1 for mirrored, 0 for constants', () => {
    const a = [0, 1, 3, 2, 5];
    expect(correlation(a, a.map((x) => 2 * x + 1))).toBeCloseTo(1, 14);
    expect(correlation(a, a.map((x) => -x))).toBeCloseTo(-1, 14);
    expect(correlation(a, [4, 4, 4, 4, 4])).toBe(0);
  });
});
