// The FileProblemsError that a loader must throw for a malformed file (network, hw-spec), with the
// checks every such error must pass whatever the file: it is what the user reads.
import { expect } from 'vitest';
import { FileProblemsError, isUserError } from '../../compiler/common/errors.js';

/** The FileProblemsError `run` throws; the test fails if it throws anything else or nothing. */
export function problemsOf(run: () => unknown): FileProblemsError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(FileProblemsError);
    expect(isUserError(e)).toBe(true);
    const err = e as FileProblemsError;
    expect(err.message).not.toMatch(/\n\s+at /); // no stack trace in what the user reads
    for (const p of err.problems) {
      expect(p.message).not.toBe('');
      expect(p.fix).not.toBe('');
    }
    return err;
  }
  throw new Error('expected a FileProblemsError, but it loaded');
}
