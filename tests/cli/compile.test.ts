// `nla compile`, `disasm`, `asm` and `inspect` through the real CLI entry.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { useCli } from '../helpers/cli.js';

const { dir, nla } = useCli('compile');

describe('nla compile and the image tools', () => {
  test('compile writes an image and prints its resources; --json has them as data', async () => {
    const img = join(dir, 'chain.nlaimg');
    const r = await nla('compile', 'examples/chain.yaml', '--hw', 'default', '-o', img);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/cores: 1 of 64/);
    expect(r.out).toMatch(/crossbars: \d+ of 65536 cells/);
    expect(r.out).toMatch(/in->h1 3x3: 1 block/);
    expect(existsSync(img)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const j = await nla('compile', 'examples/mnist.yaml', '--hw', 'high-precision', '--json');
    const res = JSON.parse(j.out);
    expect(res.cores.used).toBeGreaterThan(8);
    expect(res.matrices.find((m: { name: string }) => m.name === 'W1').blocks).toBe(8);
    expect(res.routes.count).toBeGreaterThan(0);
    expect(res.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('disasm prints what asm reads back into the same programs', async () => {
    const img = join(dir, 'rec.nlaimg');
    expect((await nla('compile', 'examples/recurrent.yaml', '--hw', 'default', '-o', img)).code).toBe(0);
    const d = await nla('disasm', img);
    expect(d.code).toBe(0);
    expect(d.out).toMatch(/^; .*hw-spec 'default'/);
    expect(d.out).toMatch(/mvm(t)?(\.acc)? @\d+, @\d+, r\d+, c\d+/);
    const s = join(dir, 'rec.s');
    writeFileSync(s, d.out);
    const back = join(dir, 'back.nlaimg');
    expect((await nla('asm', s, '-o', back)).code).toBe(0);
    const d2 = await nla('disasm', back);
    expect(d2.out.split('\n').slice(1)).toEqual(d.out.split('\n').slice(1));
  });

  test('inspect summarises an image', async () => {
    const img = join(dir, 'chain2.nlaimg');
    await nla('compile', 'examples/chain.yaml', '--hw', 'high-precision', '-o', img);
    const r = await nla('inspect', img);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/network 'chain', hw-spec 'high-precision'/);
    expect(r.out).toMatch(/probes: .*out\.u/);
    const j = JSON.parse((await nla('inspect', img, '--json')).out);
    expect(j.header.hwSpecName).toBe('high-precision');
    expect(j.probes.length).toBeGreaterThan(0);
  });

  test('--dump-after prints the IR after each pass', async () => {
    const lower = await nla('compile', 'examples/chain.yaml', '--hw', 'default', '--dump-after', 'lower');
    expect(lower.out).toMatch(/^program chain: scheme implicit/);
    expect(lower.out).toMatch(/h1\.winRbar = in->h1 in\.rbar/);
    const quant = await nla('compile', 'examples/chain.yaml', '--hw', 'default', '--dump-after', 'quantize');
    expect(quant.out).toMatch(/max\|x\| [0-9.e+-]+ \((ok|underused|unused|saturates)\)/);
    const sched = await nla('compile', 'examples/mnist.yaml', '--hw', 'default', '--dump-after', 'schedule');
    expect(sched.out).toMatch(/^machine mnist: \d+ cores/);
    expect(sched.out).toMatch(/barrier/);
    expect(sched.out).toMatch(/send route \d+ \(\d+ -> \d+, \d+ hops, delay 0\)/);
    const enc = await nla('compile', 'examples/chain.yaml', '--hw', 'default', '--dump-after', 'encode');
    expect(enc.out).toMatch(/^\.core 0/);
  });

  test('bad input: clear errors, exit 1, no output file', async () => {
    const img = join(dir, 'never.nlaimg');

    const cases: [string[], RegExp][] = [
      [['compile', 'examples/chain.yaml', '--hw', 'nonesuch', '-o', img], /unknown hw-spec preset 'nonesuch'/],
      [['compile', 'examples/chain.yaml', '--hw', 'default', '--dump-after', 'optimise'], /unknown pass 'optimise'/],
      [['compile', 'missing.yaml', '--hw', 'default', '-o', img], /missing\.yaml: file not found/],
      [['disasm', 'examples/chain.yaml'], /chain\.yaml/],
      [['inspect', join(dir, 'nothing.nlaimg')], /nothing\.nlaimg/],
    ];
    for (const [args, msg] of cases) {
      const r = await nla(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toMatch(msg);
      expect(r.err).not.toMatch(/at .*\.ts:\d+|internal error/);
    }
    const s = join(dir, 'bad.s');
    writeFileSync(s, '.core 0\n    vadd @1, @2\n    halt\n');
    const r = await nla('asm', s, '-o', img);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.s.*line 2|bad\.s:2/);
    expect(existsSync(img)).toBe(false);
  });
});
