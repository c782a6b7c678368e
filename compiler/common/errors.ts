// Errors a user can act on. The CLI prints their message (one paragraph per problem) and exits
// with code 1, never with a stack trace. Anything else reaching the CLI is a bug in nla.

export interface Problem {
  /** where inside the file, e.g. `projections[2].init.std`; '' for the whole file */
  path: string;
  /** what is wrong */
  message: string;
  /** what would fix it */
  fix: string;
}

export class UserError extends Error {
  readonly isUserError = true;
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** A file (network, hw-spec, image, stimulus) with one or more problems. */
export class FileProblemsError extends UserError {
  constructor(
    readonly file: string,
    readonly problems: Problem[],
  ) {
    super(formatProblems(file, problems));
    this.name = 'FileProblemsError';
  }
}

export function formatProblems(file: string, problems: Problem[]): string {
  const lines = problems.map((p) => {
    const where = p.path ? `${file}: ${p.path}: ` : `${file}: `;
    const fix = p.fix ? ` ${p.fix}` : '';
    return `${where}${p.message}.${fix}`;
  });
  const head = problems.length === 1 ? '' : `${file}: ${problems.length} problems\n`;
  return head + lines.join('\n');
}

/** Keeps the first of the problems with the same path and message. */
export function dedupeProblems(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\n${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function isUserError(e: unknown): e is UserError {
  return typeof e === 'object' && e !== null && (e as { isUserError?: boolean }).isUserError === true;
}
