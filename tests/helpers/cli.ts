// Runs the real CLI entry with stdout and stderr captured, in a scratch folder removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, vi } from 'vitest';
import { main } from '../../tools/cli.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Call at the top of a test file: returns the scratch folder and `nla(...args)`. */
export function useCli(prefix: string): { dir: string; nla: (...args: string[]) => Promise<CliRun> } {
  const dir = mkdtempSync(join(tmpdir(), `nla-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let out = '';
  let err = '';
  beforeEach(() => {
    vi.spyOn(process.stdout, 'write').mockImplementation(((c: string | Uint8Array) => ((out += String(c)), true)) as typeof process.stdout.write);
    vi.spyOn(process.stderr, 'write').mockImplementation(((c: string | Uint8Array) => ((err += String(c)), true)) as typeof process.stderr.write);
  });
  afterEach(() => vi.restoreAllMocks());
  return {
    dir,
    nla: async (...args: string[]) => {
      out = '';
      err = '';
      const code = await main(args);
      return { code, out, err };
    },
  };
}
