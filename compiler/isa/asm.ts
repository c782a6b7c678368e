// Assembly text of the ISA, derived from the table: `mnemonic op1, op2, ...` with each operand
// written by its kind (KIND_INFO prefix + number, e.g. `@128`, `#-5`, `sh+2`, `lut3`, `route2`; a
// target may also be a label). A file holds one section per core (`.core N`), labels (`name:`) and
// comments (`;` to the end of the line).
import { FileProblemsError } from '../common/errors.js';
import { closest } from '../common/messages.js';
import { checkInstr, didYouMeanMnemonic, fieldValueProblem, wordOffsets } from './codec.js';
import {
  type FieldSpec,
  type Instr,
  type InstrSpec,
  instrWords,
  KIND_INFO,
  type LooseInstr,
  OPERAND_KINDS,
  type OperandKind,
  specByMnemonic,
} from './table.js';

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

export interface AsmProblem {
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
  message: string;
  fix: string;
}

/**
 * Assembly text with one or more problems. It is a FileProblemsError (path `line L, column C`),
 * so the CLI reports it like any other bad file; the message names file:line:column of each, the
 * form editors jump to.
 */
export class AsmError extends FileProblemsError {
  /** the same problems, with line and column as numbers */
  readonly located: readonly AsmProblem[];

  constructor(file: string, problems: AsmProblem[]) {
    super(file, problems.map((p) => ({ path: `line ${p.line}, column ${p.column}`, message: p.message, fix: p.fix })));
    this.located = problems;
    this.message = formatAsmProblems(file, problems);
    this.name = 'AsmError';
  }
}

function formatAsmProblems(file: string, problems: AsmProblem[]): string {
  const lines = problems.map((p) => `${file}:${p.line}:${p.column}: ${p.message}.${p.fix ? ` ${p.fix}` : ''}`);
  return (problems.length > 1 ? `${file}: ${problems.length} problems\n` : '') + lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Operand syntax (one definition per kind)
// ---------------------------------------------------------------------------------------------

const DIGITS = '(?:0[xX][0-9a-fA-F]+|[0-9]+)';
const IDENT = /^[A-Za-z_][A-Za-z0-9_.]*$/;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One pattern per kind, tried in this order: longest prefix first, and among kinds with the same
 * prefix the ones with an explicit sign first, so that no kind's pattern shadows another's
 * (`sh-3` is an sshift, `sh3` a shift).
 */
const KIND_PATTERNS: readonly { kind: OperandKind; re: RegExp }[] = [...OPERAND_KINDS]
  .sort((p, q) => KIND_INFO[q].prefix.length - KIND_INFO[p].prefix.length || Number(KIND_INFO[q].explicitSign) - Number(KIND_INFO[p].explicitSign))
  .map((kind) => {
    const sign = KIND_INFO[kind].explicitSign ? '[+-]' : '-?';
    return { kind, re: new RegExp(`^${escapeRe(KIND_INFO[kind].prefix)}(${sign}${DIGITS})$`) };
  });

function parseNumber(s: string): number {
  const neg = s.startsWith('-');
  const body = s.replace(/^[+-]/, '');
  const v = /^0[xX]/.test(body) ? parseInt(body.slice(2), 16) : parseInt(body, 10);
  return neg ? -v : v;
}

export type OperandToken = { kind: OperandKind; value: number } | { label: string };

/** What an operand token is by its syntax alone, or undefined if it is none of them. */
export function classifyOperand(token: string): OperandToken | undefined {
  for (const { kind, re } of KIND_PATTERNS) {
    const m = re.exec(token);
    if (m) return { kind, value: parseNumber(m[1]!) };
  }
  if (IDENT.test(token)) return { label: token };
  return undefined;
}

/** An operand as text: `@128`, `16`, `#-5`, `sh+2`, `lut3`, `$12`. */
export function operandText(kind: OperandKind, value: number): string {
  const k = KIND_INFO[kind];
  return `${k.prefix}${k.explicitSign && value >= 0 ? '+' : ''}${value}`;
}

function kindPhrase(kind: OperandKind): string {
  const k = KIND_INFO[kind];
  const ex = operandText(kind, k.example);
  return k.label ? `a ${k.meaning} like \`${ex}\` or \`done\`` : `a ${k.meaning} like \`${ex}\``;
}

function placeholder(f: FieldSpec): string {
  const k = KIND_INFO[f.kind];
  return `${k.prefix}${k.explicitSign ? '[+-]' : ''}<${f.name}>`;
}

/** The syntax of an instruction, e.g. `vadd @<dst>, @<a>, @<b>, <len>`. */
export function syntaxOf(spec: InstrSpec): string {
  return spec.fields.length ? `${spec.mnemonic} ${spec.fields.map(placeholder).join(', ')}` : spec.mnemonic;
}

/** An example of the instruction: every operand at its kind's example value, vector addresses 16 words apart. */
export function exampleOf(spec: InstrSpec): string {
  let vectors = 0;
  const value = (f: FieldSpec): number => KIND_INFO[f.kind].example + (f.kind === 'vaddr' ? 16 * vectors++ : 0);
  return spec.fields.length ? `${spec.mnemonic} ${spec.fields.map((f) => operandText(f.kind, value(f))).join(', ')}` : spec.mnemonic;
}

function howToWrite(spec: InstrSpec): string {
  return `Write \`${syntaxOf(spec)}\`, e.g. \`${exampleOf(spec)}\``;
}

// ---------------------------------------------------------------------------------------------
// print / parse
// ---------------------------------------------------------------------------------------------

function printWith(instr: Instr | LooseInstr, target: (value: number) => string | undefined): string {
  const spec = checkInstr(instr);
  if (!spec.fields.length) return spec.mnemonic;
  const ops = spec.fields.map((f) => {
    const v = (instr as LooseInstr)[f.name] as number;
    return (f.kind === 'target' ? target(v) : undefined) ?? operandText(f.kind, v);
  });
  return `${spec.mnemonic} ${ops.join(', ')}`;
}

/** One instruction as text (targets as `$address`). Throws IsaError for an invalid instruction. */
export function print(instr: Instr | LooseInstr): string {
  return printWith(instr, () => undefined);
}

export interface SourceLocation {
  file: string;
  /** 1-based line number reported in errors */
  line: number;
  /** 1-based column of the first character of the text (default 1) */
  column?: number;
  /** labels a target operand may name (word addresses); without it only `$address` is accepted */
  labels?: ReadonlyMap<string, number>;
}

/** The operands after the mnemonic, split on commas, with the offset where each starts. */
function splitOperands(rest: string, restStart: number): { text: string; offset: number }[] {
  if (rest.trim() === '') return [];
  const tokens: { text: string; offset: number }[] = [];
  let start = 0;
  for (let i = 0; i <= rest.length; i++) {
    if (i === rest.length || rest[i] === ',') {
      const piece = rest.slice(start, i);
      const pad = piece.trim() === '' ? 0 : piece.length - piece.trimStart().length;
      tokens.push({ text: piece.trim(), offset: restStart + start + pad });
      start = i + 1;
    }
  }
  return tokens;
}

type OperandResult = { value: number } | { message: string; fix?: string };

/** The value of operand `text` for field `f` (`what` names it in messages), or what is wrong with it. */
function operandValue(f: FieldSpec, text: string, what: string, labels: ReadonlyMap<string, number> | undefined): OperandResult {
  if (text === '') return { message: `${what} is empty` };
  const c = classifyOperand(text);
  if (!c) return { message: `${what} must be ${kindPhrase(f.kind)}, but \`${text}\` is not an operand` };
  let value: number;
  if ('label' in c) {
    if (f.kind !== 'target') return { message: `${what} must be ${kindPhrase(f.kind)}, got \`${text}\`` };
    if (!labels) {
      return { message: `label '${c.label}' cannot be resolved here`, fix: 'Labels are resolved by assemble(); in a single instruction write the word address, e.g. `$12`' };
    }
    const v = labels.get(c.label);
    if (v === undefined) {
      const near = closest(c.label, [...labels.keys()]);
      return { message: `undefined label '${c.label}'`, fix: near ? `Did you mean '${near}'?` : 'Define it with `name:` before an instruction of the same .core section' };
    }
    value = v;
  } else {
    if (c.kind !== f.kind) {
      // same prefix, other sign convention (`sh3` for an sshift): show the spelling it needs
      const respelt = KIND_INFO[c.kind].prefix === KIND_INFO[f.kind].prefix ? operandText(f.kind, c.value) : undefined;
      return { message: `${what} must be ${kindPhrase(f.kind)}, but \`${text}\` is a ${KIND_INFO[c.kind].meaning}`, fix: respelt && `Write \`${respelt}\`` };
    }
    value = c.value;
  }
  const p = fieldValueProblem(f, value);
  return p ? { message: `${what}: ${p}`, fix: `'${f.name}' is a ${KIND_INFO[f.kind].meaning}` } : { value };
}

/** Parse the instruction part of one line (mnemonic and operands, optional `;` comment); problems go to `problems`. */
function parseInstrText(text: string, line: number, col0: number, labels: ReadonlyMap<string, number> | undefined, problems: AsmProblem[]): Instr | undefined {
  const at = (offset: number) => col0 + offset;
  const body = stripComment(text);
  const lead = body.length - body.trimStart().length;
  const m = /^([A-Za-z][A-Za-z0-9.]*)/.exec(body.slice(lead));
  if (!m) {
    problems.push({ line, column: at(lead), message: `expected an instruction mnemonic, got \`${body.trim()}\``, fix: 'Instructions are written `mnemonic op1, op2, ...`, e.g. `vadd @0, @16, @32, 16`' });
    return undefined;
  }
  const name = m[1]!;
  const spec = specByMnemonic(name.toLowerCase());
  if (!spec) {
    problems.push({ line, column: at(lead), message: `unknown instruction '${name}'`, fix: didYouMeanMnemonic(name) });
    return undefined;
  }
  const tokens = splitOperands(body.slice(lead + name.length), lead + name.length);
  const n = spec.fields.length;
  if (tokens.length !== n) {
    const plural = (k: number) => `${k} operand${k === 1 ? '' : 's'}`;
    const column = tokens.length > n ? at(tokens[n]!.offset) : at(body.trimEnd().length);
    const message = `${tokens.length < n ? 'missing operands' : 'too many operands'}: ${spec.mnemonic} takes ${plural(n)}, got ${plural(tokens.length)}`;
    problems.push({ line, column, message, fix: howToWrite(spec) });
    return undefined;
  }
  const out: Record<string, string | number> = { op: spec.mnemonic };
  let ok = true;
  spec.fields.forEach((f, k) => {
    const r = operandValue(f, tokens[k]!.text, `operand ${k + 1} of ${spec.mnemonic} ('${f.name}')`, labels);
    if ('value' in r) out[f.name] = r.value;
    else {
      problems.push({ line, column: at(tokens[k]!.offset), message: r.message, fix: r.fix ?? howToWrite(spec) });
      ok = false;
    }
  });
  return ok ? (out as unknown as Instr) : undefined;
}

function stripComment(s: string): string {
  const k = s.indexOf(';');
  return k < 0 ? s : s.slice(0, k);
}

/**
 * Parse one instruction. Throws AsmError naming file:line:column and the expected syntax.
 * Targets are `$address`, or labels if `where.labels` is given.
 */
export function parse(line: string, where: SourceLocation): Instr {
  const problems: AsmProblem[] = [];
  const instr = parseInstrText(line, where.line, where.column ?? 1, where.labels, problems);
  if (!instr || problems.length) throw new AsmError(where.file, problems);
  return instr;
}

// ---------------------------------------------------------------------------------------------
// assemble / disassemble
// ---------------------------------------------------------------------------------------------

/** Highest core number a `.core` directive may name (keeps a malformed file from allocating without bound). */
export const MAX_CORE_INDEX = 65535;

interface Section {
  core: number;
  line: number;
  items: { line: number; column: number; text: string }[];
  labels: Map<string, number>;
  labelLines: Map<string, number>;
  words: number;
  /** opened by code before any `.core` directive */
  implicit: boolean;
}

/**
 * Assemble a text with `.core N` sections (instructions before the first `.core` belong to
 * core 0), labels and comments. Returns one program per core, index = core number.
 * Throws AsmError listing every problem.
 */
export function assemble(text: string, file: string): Instr[][] {
  const problems: AsmProblem[] = [];
  const sections = new Map<number, Section>();
  let current: Section | undefined;
  const open = (core: number, line: number, implicit: boolean): Section => {
    const s: Section = { core, line, items: [], labels: new Map(), labelLines: new Map(), words: 0, implicit };
    sections.set(core, s);
    return s;
  };

  /** Defines the label `name` at the current word of the current section. */
  const defineLabel = (name: string, line: number, column: number): void => {
    current ??= open(0, line, true);
    const c = classifyOperand(name);
    if (c && !('label' in c)) {
      problems.push({ line, column, message: `label '${name}' reads like an operand (${KIND_INFO[c.kind].meaning})`, fix: 'Pick another name, e.g. one that starts with a letter not used as an operand prefix' });
    } else if (current.labels.has(name)) {
      problems.push({ line, column, message: `label '${name}' is already defined on line ${current.labelLines.get(name)}`, fix: 'Labels must be unique within a .core section; rename one of them' });
    } else {
      current.labels.set(name, current.words);
      current.labelLines.set(name, line);
    }
  };

  /** `.core N`: starts the section of core N. */
  const directive = (rest: string, line: number, column: number): void => {
    const d = /^\.([A-Za-z]+)\s*(.*)$/.exec(rest);
    if (d?.[1] !== 'core') {
      problems.push({ line, column, message: `unknown directive '${rest.split(/\s/)[0]}'`, fix: 'The only directive is `.core N`, which starts the program of core N' });
      return;
    }
    const arg = d[2]!.trim();
    if (!/^[0-9]+$/.test(arg) || Number(arg) > MAX_CORE_INDEX) {
      problems.push({ line, column, message: `.core needs a core number 0..${MAX_CORE_INDEX}, got '${arg}'`, fix: 'Write e.g. `.core 0`' });
      return;
    }
    const core = Number(arg);
    const prev = sections.get(core);
    if (prev) {
      const fix = prev.implicit ? 'Code before the first .core directive belongs to core 0; start the file with `.core 0` or merge the sections' : 'Merge the two sections';
      problems.push({ line, column, message: `core ${core} already has a section (line ${prev.line})`, fix });
      return;
    }
    current = open(core, line, false);
  };

  text.split(/\r?\n/).forEach((raw, idx) => {
    const line = idx + 1;
    const src = stripComment(raw);
    let pos = src.length - src.trimStart().length;
    let labelled = false;
    for (let m; (m = /^([A-Za-z_][A-Za-z0-9_.]*)[ \t]*:[ \t]*/.exec(src.slice(pos))); pos += m[0].length) {
      defineLabel(m[1]!, line, pos + 1);
      labelled = true;
    }
    const rest = src.slice(pos).trimEnd();
    if (rest === '') return;
    if (rest.startsWith('.')) {
      if (labelled) problems.push({ line, column: pos + 1, message: 'a label cannot stand before a directive', fix: 'Put the label on a line of its own after the `.core` line' });
      else directive(rest, line, pos + 1);
      return;
    }
    current ??= open(0, line, true);
    // the instruction is parsed once all labels are known; its length is needed now, for the labels after it
    const spec = specByMnemonic(/^[A-Za-z][A-Za-z0-9.]*/.exec(rest)?.[0].toLowerCase() ?? '');
    current.items.push({ line, column: pos + 1, text: rest });
    current.words += spec ? instrWords(spec) : 1;
  });

  const programs: Instr[][] = [];
  for (const s of sections.values()) {
    const prog: Instr[] = [];
    for (const it of s.items) {
      const ins = parseInstrText(it.text, it.line, it.column, s.labels, problems);
      if (ins) prog.push(ins);
    }
    programs[s.core] = prog;
  }
  // one problem for all the gaps: a stray `.core 60000` must not produce 60000 messages
  const maxCore = Math.max(-1, ...sections.keys());
  const missing: number[] = [];
  for (let c = 0; c <= maxCore && missing.length < 2; c++) if (!sections.has(c)) missing.push(c);
  if (missing.length) {
    const first = missing[0]!;
    const after = [...sections.values()].find((s) => s.core > first)!;
    const others = missing.length > 1 ? ' nor for some other cores' : '';
    problems.push({ line: after.line, column: 1, message: `there is no section for core ${first}${others}, but there is one for core ${after.core}`, fix: `Cores are numbered 0..${maxCore} without gaps: add \`.core ${first}\` (it may hold just \`halt\`) or renumber` });
  }
  if (problems.length) {
    problems.sort((p, q) => p.line - q.line || p.column - q.column);
    throw new AsmError(file, problems);
  }
  return programs;
}

/** Canonical text of programs (index = core): `.core N` sections, labels `L<word>` at every target. */
export function disassemble(programs: readonly (readonly (Instr | LooseInstr)[])[]): string {
  const parts = programs.map((prog, core) => {
    const { offsets, total } = wordOffsets(prog);
    const boundaries = new Set([...offsets, total]);
    const targets = new Set<number>();
    for (const ins of prog) {
      const spec = checkInstr(ins);
      for (const f of spec.fields) {
        const v = (ins as LooseInstr)[f.name] as number;
        if (f.kind === 'target' && boundaries.has(v)) targets.add(v);
      }
    }
    const label = (v: number) => (targets.has(v) ? `L${v}` : undefined);
    const out = [`.core ${core}`];
    prog.forEach((ins, k) => {
      if (targets.has(offsets[k]!)) out.push(`L${offsets[k]}:`);
      out.push(`    ${printWith(ins, label)}`);
    });
    if (targets.has(total)) out.push(`L${total}:`);
    return out.join('\n');
  });
  return parts.length ? `${parts.join('\n\n')}\n` : '';
}
