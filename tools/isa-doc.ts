// docs/isa.md, generated from the ISA table by tools/gen-isa.ts: the reference a person reads,
// so that it can never disagree with the encoder, the assembler or the Wasm core.
import {
  COST_CLASS_EVENTS,
  COST_CLASSES,
  type CostClass,
  ENCODING,
  exampleOf,
  fieldRange,
  instrWords,
  type InstrSpec,
  KIND_INFO,
  NOTATION,
  OPERAND_KINDS,
  operandText,
  PER_HOP_CLASSES,
  SPECS,
  syntaxOf,
} from '../compiler/isa/index.js';

const WORD = ENCODING.wordBits;
const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;
const code = (s: string): string => `\`${s}\``;
const cell = (s: string): string => s.replace(/\|/g, '\\|');
const table = (head: string[], rows: string[][]): string[] => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];

/** The section anchor GitHub gives the heading `### \`mnemonic\``. */
const anchor = (s: InstrSpec): string => `#${s.mnemonic.replace(/\./g, '')}`;

interface Segment {
  lsb: number;
  width: number;
  label: string;
}

/** The pieces of word `w` from the top bit down: fields, the opcode or continuation marker, reserved gaps. */
function segmentsOfWord(spec: InstrSpec, w: number): Segment[] {
  const lo = w * WORD;
  const fixed: Segment =
    w === 0
      ? { lsb: ENCODING.opcode.lsb, width: ENCODING.opcode.width, label: hex(spec.opcode) }
      : { lsb: ENCODING.continuation.lsb + (w - 1) * WORD, width: ENCODING.continuation.width, label: hex(ENCODING.continuation.value) };
  const parts: Segment[] = [fixed, ...spec.fields.filter((f) => f.lsb >= lo && f.lsb < lo + WORD).map((f) => ({ lsb: f.lsb, width: f.width, label: f.name }))];
  parts.sort((p, q) => p.lsb - q.lsb);
  const out: Segment[] = [];
  let at = lo;
  for (const p of parts) {
    if (p.lsb > at) out.push({ lsb: at, width: p.lsb - at, label: '0' });
    out.push(p);
    at = p.lsb + p.width;
  }
  if (at < lo + WORD) out.push({ lsb: at, width: lo + WORD - at, label: '0' });
  return out.reverse();
}

/** One word as an ASCII register diagram: bit numbers over boxes of field names (0 = reserved, must be 0). */
function wordDiagram(segments: Segment[]): string[] {
  let head = '';
  let border = '';
  let body = '';
  for (const s of segments) {
    const [hi, lo] = [String(s.lsb + s.width - 1), String(s.lsb)];
    const bits = s.width === 1 ? hi : `${hi} ${lo}`;
    const inner = Math.max(s.label.length + 2, bits.length + 1);
    head += s.width === 1 ? ` ${hi.padEnd(inner)}` : ` ${hi}${lo.padStart(inner - hi.length)}`;
    border += `+${'-'.repeat(inner)}`;
    body += `| ${s.label.padEnd(inner - 1)}`;
  }
  return [head.trimEnd(), `${border}+`, `${body}|`, `${border}+`];
}

function flowText(spec: InstrSpec): string | undefined {
  const f = spec.flow;
  if (!f) return undefined;
  switch (f.kind) {
    case 'halt':
      return 'ends the program of this core for the tick';
    case 'barrier':
      return 'waits for every core';
    case 'jump':
      return `jumps to ${code(f.target)}`;
    case 'branch':
      return `may jump to ${code(f.target)}`;
    case 'loop':
      return `repeats the body up to ${code(f.end)}, ${code(f.count)} times`;
  }
}

const ACCESS = { r: 'reads', w: 'writes', rw: 'reads and writes' } as const;

function instructionSection(spec: InstrSpec): string[] {
  const words = instrWords(spec);
  const memory = spec.vectors.map((v) => `${ACCESS[v.access]} ${code(`${v.addr}[0 .. ${v.len})`)}`);
  if (spec.crossbar) memory.push(`${ACCESS[spec.crossbar.access]} the crossbar block rows ${code(`[${spec.crossbar.row}, ${spec.crossbar.row} + ${spec.crossbar.rows})`)}, columns ${code(`[${spec.crossbar.col}, ${spec.crossbar.col} + ${spec.crossbar.cols})`)}`);
  const charges = (Object.entries(spec.charges) as [CostClass, string][]).map(([cls, n]) => `${code(cls)} x ${code(n)}${PER_HOP_CLASSES.includes(cls) ? ' per hop' : ''}`);
  const facts: [string, string | undefined][] = [
    ['opcode', code(hex(spec.opcode))],
    ['words', String(words)],
    ['syntax', code(syntaxOf(spec))],
    ['example', code(exampleOf(spec))],
    ['semantics', code(spec.semanticsDoc)],
    ['memory', memory.join('; ') || undefined],
    ['control flow', flowText(spec)],
    ['charges', charges.join(', ')],
  ];
  const operands = spec.fields.map((f, k) => {
    const { min, max } = fieldRange(f);
    return [String(k + 1), code(f.name), `[${f.lsb}, ${f.lsb + f.width})`, code(f.kind), `${f.width}-bit ${f.signed ? 'signed' : 'unsigned'}, ${min} .. ${max}`];
  });
  const diagram = Array.from({ length: words }, (_, w) => [`word ${w} (bits ${w * WORD} .. ${w * WORD + WORD - 1})`, ...wordDiagram(segmentsOfWord(spec, w))]).flatMap((d, w) => (w ? ['', ...d] : d));
  return [
    `### ${code(spec.mnemonic)}`,
    '',
    `${spec.description}.`,
    '',
    ...table(['', ''], facts.filter((f): f is [string, string] => f[1] !== undefined)),
    '',
    ...(operands.length ? [...table(['operand', 'field', 'bits', 'kind', 'values'], operands), ''] : []),
    '```',
    ...diagram,
    '```',
    '',
  ];
}

/** docs/isa.md */
export function generateIsaDoc(specs: readonly InstrSpec[] = SPECS): string {
  const { opcode, continuation } = ENCODING;
  const kinds = OPERAND_KINDS.map((k) => {
    const i = KIND_INFO[k];
    const syntax = `${i.prefix}${i.explicitSign ? '[+-]' : i.signed ? '[-]' : ''}N${i.label ? ' or a label' : ''}`;
    return [code(k), code(syntax), code(operandText(k, i.example)), i.signed ? 'yes' : 'no', i.meaning];
  });
  const classes = COST_CLASSES.map((c) => [code(c), COST_CLASS_EVENTS[c], specs.filter((s) => c in s.charges).map((s) => `[${s.mnemonic}](${anchor(s)})`).join(', ')]);
  return [
    '# The NLA instruction set',
    '',
    '<!-- GENERATED by tools/gen-isa.ts from compiler/isa/table.ts: do not edit; change the table and run `npm run build:ts && npm run gen:isa`. -->',
    '',
    'Every core of the chip runs its own program once per tick. This reference, the encoder and',
    'decoder, the assembler and the Wasm core (`assembly/isa.generated.ts`) are all generated from',
    'one table, `compiler/isa/table.ts`; the cost of each instruction is priced by the',
    '`costs` of a hw-spec (`docs/hw-spec.md`).',
    '',
    '## Encoding',
    '',
    `- An instruction is ${ENCODING.maxWords === 2 ? 'one or two' : `1 to ${ENCODING.maxWords}`} ${WORD}-bit words; a program is an array of words, stored little-endian in images. Bit k of word w is bit ${code(`64w + k`)} of the instruction.`,
    `- The opcode is bits [${opcode.lsb}, ${opcode.lsb + opcode.width}) of the first word.`,
    `- Reserved opcodes: ${ENCODING.reservedOpcodes.map(hex).join(', ')}. An all-zero word traps; ${hex(continuation.value)} is the continuation marker.`,
    `- Every further word of an instruction starts with the continuation marker ${hex(continuation.value)} in its bits [${continuation.lsb % WORD}, ${(continuation.lsb % WORD) + continuation.width}), so a jump or a decoder that lands inside an instruction traps.`,
    `- A field is at most ${ENCODING.maxFieldWidth} bits and never crosses a word boundary; signed fields are two's complement.`,
    '- Every bit that is not the opcode, a marker or a field is reserved and must be 0 (`0` in the diagrams below): the decoder rejects a word that sets one.',
    '',
    '## Assembly text',
    '',
    'One instruction per line: the mnemonic (any case), then its operands separated by commas, each written as its kind says below. `;` starts a comment. `.core N` starts the program of core N (code before the first `.core` belongs to core 0; cores are numbered without gaps). `name:` defines a label: the word address of the next instruction, usable wherever a `target` is expected, within its `.core` section. The assembler reports every problem with its line, column and a fix.',
    '',
    ...table(['kind', 'syntax', 'example', 'signed', 'meaning'], kinds),
    '',
    '`shift` and `sshift` share the prefix `sh`; an `sshift` always carries its sign (`sh+2`, `sh-3`, `sh+0`), a `shift` never does (`sh8`).',
    '',
    '## Notation',
    '',
    ...table(['symbol', 'meaning'], NOTATION.map((n) => [code(n.symbol), n.meaning])),
    '',
    '## Cost',
    '',
    'One execution of an instruction charges one or more cost classes, each with a count of its events (the `charges` of each instruction below). For each charged class k with count n, the hw-spec entry `costs.k` gives',
    '',
    '```',
    'cycles = fixed_cycles + ceil(cycles_per_element * n)',
    'energy = energy_pj_per_event * n   (pJ)',
    '```',
    '',
    `and the instruction costs the sum over its classes (\`costOf\` in compiler/isa/table.ts). The events of ${PER_HOP_CLASSES.map(code).join(', ')} are counted per hop: a route of h hops multiplies their count and energy by h, but not their cycles (the sending core injects each word once; the route adds h * mesh.hop_latency_ns of latency).`,
    '',
    ...table(['class', 'event', 'charged by'], classes),
    '',
    '## Opcode map',
    '',
    ...table(['opcode', 'mnemonic', 'words', 'description'], specs.map((s) => [code(hex(s.opcode)), `[${code(s.mnemonic)}](${anchor(s)})`, String(instrWords(s)), s.description])),
    '',
    '## Instructions',
    '',
    ...specs.flatMap(instructionSection),
  ].join('\n');
}
