// .nlaimg bytes -> Image, trusting nothing. The order of the checks is the point:
//   1. size, magic and format version (a future version may lay out everything after them anew);
//   2. the header CRC, then the header fields and the section table (every tag known and present
//      once, sections aligned, in order, inside the file), then every section's CRC and the file
//      CRC, all BEFORE any section body is parsed: damage is reported as damage, not as whatever
//      odd value it happens to produce;
//   3. 'SPEC': its sha-256 against the header's hw-spec hash, then parseHwSpec; from then on the
//      spec's geometry bounds every count;
//   4. the other sections (sections.ts), each count checked against the spec and the bytes left
//      before anything is allocated, then the cross-references.
// Every problem is a FileProblemsError (a UserError) naming the file, the part and what is
// wrong; nothing else escapes (see the guard at the bottom). Layout: docs/image-format.md.
import { isUserError } from '../common/errors.js';
import { hwSpecHash, parseHwSpec, type HwSpec } from '../hwspec/index.js';
import { IMAGE_FLAGS, IMAGE_FORMAT_VERSION, type Image, type ImageHeader } from './types.js';
import { H, MAGIC, SECTION_TAGS, TABLE_ENTRY_SIZE, align8, codeWidth, crc32, headerLength, tableOffset, type SectionTag } from './layout.js';
import { CORRUPT, Cursor, fail } from './cursor.js';
import { sha256Hex } from './hash.js';
import { readCores, readLuts, readMatrices, readMemory, readMetadata, readPorts, readProbes, readRoutes, readWeights, type Ctx } from './sections.js';

const KNOWN_FLAGS = Object.values(IMAGE_FLAGS).reduce((a, b) => a | b, 0);
const hex32 = (v: number): string => `0x${v.toString(16).padStart(8, '0')}`;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

interface Section {
  tag: SectionTag;
  offset: number;
  length: number;
  crc: number;
}

/** Reads an image; `file` names it in messages. Throws a FileProblemsError for anything malformed. */
export function readImage(bytes: Uint8Array, file: string): Image {
  try {
    return read(bytes, file);
  } catch (e) {
    if (isUserError(e)) throw e;
    // A bug in the checks above must not turn a bad file into a crash with a stack trace, but it
    // must stay visible: the message says so.
    fail(file, '', `cannot be read (internal error: ${(e as Error)?.message ?? String(e)})`, `${CORRUPT}; if the image came from nla compile, please report this`);
  }
}

function read(bytes: Uint8Array, file: string): Image {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = bytes.length;
  // (annotated so that TypeScript knows a call ends the path)
  const bad: (where: string, message: string, fix?: string) => never = (where, message, fix = CORRUPT) => fail(file, where, message, fix);

  // ---- 1. size, magic, version
  if (size < MAGIC.length) bad('', `only ${size} bytes: too short to be an nla image`, 'give the path of a .nlaimg file written by nla compile');
  if (MAGIC.some((b, i) => bytes[i] !== b)) {
    const seen = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
    bad('', `not an nla image: it starts with bytes ${seen}, not the magic 'NLAIMG' 00 00`, 'give the path of a .nlaimg file written by nla compile');
  }
  if (size < H.fixedSize) bad('header', `truncated: ${size} bytes, fewer than the ${H.fixedSize}-byte fixed header`);
  const version = view.getUint16(H.version, true);
  if (version !== IMAGE_FORMAT_VERSION) {
    bad(
      'header',
      `format version ${version}; this nla reads version ${IMAGE_FORMAT_VERSION} only`,
      version > IMAGE_FORMAT_VERSION ? 'it was written by a newer nla: update nla, or recompile the network with this one' : 'recompile the network with this nla',
    );
  }

  // ---- 2. header CRC, header fields, section table, section CRCs, file CRC
  const nameLength = view.getUint16(H.nameLength, true);
  const count = view.getUint16(H.sectionCount, true);
  const headerEnd = headerLength(nameLength, count);
  if (headerEnd + 4 > size) bad('header', `truncated or corrupt: a header with a ${nameLength}-byte name and ${count} sections needs ${headerEnd} bytes (and a 4-byte file checksum after the sections), the file has ${size}`);
  const crcAt = headerEnd - 8;
  const headerCrc = crc32(bytes, 0, crcAt);
  if (view.getUint32(crcAt, true) !== headerCrc) bad('header', `checksum mismatch (stored ${hex32(view.getUint32(crcAt, true))}, computed ${hex32(headerCrc)})`);

  const fileLength = view.getUint32(H.fileLength, true);
  if (fileLength > size) bad('', `truncated: ${size} bytes, but the header says the image has ${fileLength}`, 'the file was cut short (an interrupted copy or download?): copy it again or recompile the network');
  if (fileLength < size) bad('', `${size - fileLength} unexpected bytes after the end of the image (the header says it has ${fileLength} bytes)`);
  if (view.getUint32(H.headerLength, true) !== headerEnd) bad('header', `header length ${view.getUint32(H.headerLength, true)} is not the ${headerEnd} bytes its name and section table take`);
  if (count !== SECTION_TAGS.length) bad('header', `${count} sections; format version ${IMAGE_FORMAT_VERSION} has exactly ${SECTION_TAGS.length} (${SECTION_TAGS.join(', ')})`);
  const flags = view.getUint16(H.flags, true);
  if (flags & ~KNOWN_FLAGS) bad('header', `unknown flag bits ${hex32(flags & ~KNOWN_FLAGS)} (version ${IMAGE_FORMAT_VERSION} knows ${hex32(KNOWN_FLAGS)})`);
  const dt = view.getFloat64(H.dt, true);
  if (!(Number.isFinite(dt) && dt > 0)) bad('header', `dt ${dt} is not a positive number of seconds`);
  let hwSpecName: string;
  try {
    hwSpecName = utf8.decode(bytes.subarray(H.fixedSize, H.fixedSize + nameLength));
  } catch {
    bad('header', 'the hw-spec name is not valid UTF-8');
  }
  const hwSpecHashHex = Array.from(bytes.subarray(H.specHash, H.specHash + 32), (b) => b.toString(16).padStart(2, '0')).join('');
  const header: ImageHeader = { formatVersion: version, hwSpecName, hwSpecHash: hwSpecHashHex, dt, flags };

  const sections = readTable(bytes, view, file, tableOffset(nameLength), headerEnd, fileLength);
  for (const s of sections) {
    const computed = crc32(bytes, s.offset, s.offset + s.length);
    if (s.crc !== computed) bad(`section '${s.tag}'`, `checksum mismatch (stored ${hex32(s.crc)}, computed ${hex32(computed)})`);
  }
  const fileCrc = crc32(bytes, 0, fileLength - 4);
  if (view.getUint32(fileLength - 4, true) !== fileCrc) {
    bad('', `file checksum mismatch (stored ${hex32(view.getUint32(fileLength - 4, true))}, computed ${hex32(fileCrc)}): a byte outside the sections (padding, or the checksum itself) was changed`);
  }
  checkPadding(bytes, file, H.fixedSize + nameLength, headerEnd, sections);

  // ---- 3. the spec
  const at = (tag: SectionTag): Cursor => {
    const s = sections.find((x) => x.tag === tag)!;
    return new Cursor(file, tag, bytes, s.offset, s.offset + s.length);
  };
  const specCursor = at('SPEC');
  const specBytes = specCursor.raw(specCursor.left, 'hw-spec');
  const specSha = sha256Hex(specBytes);
  if (specSha !== hwSpecHashHex) bad("section 'SPEC'", `its sha-256 ${specSha} is not the hw-spec hash in the header, ${hwSpecHashHex}`);
  const hwSpecJson = at('SPEC').text(specBytes.length, 'hw-spec');
  const spec = parseSpec(hwSpecJson, file);
  if (hwSpecHash(spec) !== hwSpecHashHex) bad("section 'SPEC'", 'the hw-spec is not in canonical form (keys sorted, no whitespace), so its hash is not its identity');
  if (spec.name !== hwSpecName) bad('header', `hw-spec name '${hwSpecName}' differs from the name '${spec.name}' in section 'SPEC'`);
  const widths = { weight: codeWidth(spec.formats.weight), state: codeWidth(spec.formats.state), lut_out: codeWidth(spec.formats.lut_out) };
  for (const [name, w] of Object.entries(widths)) {
    if (w === 0) bad("section 'SPEC'", `formats.${name} is unsigned 32-bit: its codes do not fit the 32-bit codes of an image`, 'use at most 31 bits for an unsigned format');
  }

  // ---- 4. the rest
  const ctx: Ctx = { spec, widths, cores: [], byIndex: new Map() };
  readCores(at('CORE'), ctx);
  readWeights(at('WGHT'), ctx);
  readMemory(at('MEMI'), ctx);
  readLuts(at('LUTS'), ctx);
  const routes = readRoutes(at('ROUT'), ctx);
  const ports = readPorts(at('PORT'), ctx);
  const probes = readProbes(at('PROB'), ctx);
  const matrices = readMatrices(at('MATX'), ctx);
  const metadata = readMetadata(at('META'));
  return { header, hwSpecJson, cores: ctx.cores, routes, ports, probes, matrices, metadata };
}

/**
 * The section table. Version 1 pins the tags, their order and their places: each section starts
 * at the end of the one before, rounded up to 8 (the first right after the header), and the file
 * checksum follows the last one the same way. Together with the zero padding and the other
 * canonical-form checks this makes the writer's bytes the only encoding of an Image, so the
 * image hash is an identity of the content.
 */
function readTable(bytes: Uint8Array, view: DataView, file: string, table: number, headerEnd: number, fileLength: number): Section[] {
  const out: Section[] = [];
  let prevEnd = headerEnd;
  for (let k = 0; k < SECTION_TAGS.length; k++) {
    const e = table + k * TABLE_ENTRY_SIZE;
    const tagBytes = bytes.subarray(e, e + 4);
    const printable = tagBytes.every((b) => b >= 0x20 && b < 0x7f);
    const tag = String.fromCharCode(...tagBytes);
    const shown = printable ? `'${tag}'` : `with bytes ${Array.from(tagBytes, (b) => b.toString(16).padStart(2, '0')).join(' ')}`;
    const where = `section table entry ${k} (${shown})`;
    if (!(SECTION_TAGS as readonly string[]).includes(tag)) {
      fail(file, where, `unknown section ${shown}; format version ${IMAGE_FORMAT_VERSION} has exactly ${SECTION_TAGS.join(', ')}`);
    }
    if (out.some((s) => s.tag === tag)) fail(file, where, `section '${tag}' appears twice`);
    if (tag !== SECTION_TAGS[k]) fail(file, where, `section '${tag}' where format version ${IMAGE_FORMAT_VERSION} has '${SECTION_TAGS[k]}' (its order is ${SECTION_TAGS.join(', ')})`);
    const offset = view.getUint32(e + 4, true);
    const length = view.getUint32(e + 8, true);
    if (offset !== align8(prevEnd)) fail(file, where, `starts at byte ${offset}, not at ${align8(prevEnd)} (right after ${k ? 'the section before it' : 'the header'}, 8-byte aligned)`);
    if (offset + length > fileLength - 4) fail(file, where, `bytes ${offset}..${offset + length - 1} run past the last section byte ${fileLength - 5}`);
    prevEnd = offset + length;
    out.push({ tag: tag as SectionTag, offset, length, crc: view.getUint32(e + 12, true) });
  }
  if (align8(prevEnd) + 4 !== fileLength) fail(file, 'section table', `the sections end at byte ${prevEnd}, but the file checksum is at ${fileLength - 4}, not at ${align8(prevEnd)}`);
  return out;
}

/** Padding (name to table, after the header CRC, after each section) must be zero: see readTable. */
function checkPadding(bytes: Uint8Array, file: string, nameEnd: number, headerEnd: number, sections: Section[]): void {
  const gaps: [number, number][] = [
    [nameEnd, tableOffset(nameEnd - H.fixedSize)],
    [headerEnd - 4, headerEnd],
    ...sections.map((s): [number, number] => [s.offset + s.length, align8(s.offset + s.length)]),
  ];
  for (const [from, to] of gaps) {
    for (let i = from; i < to; i++) if (bytes[i] !== 0) fail(file, '', `padding byte ${i} is ${bytes[i]}, not 0`);
  }
}

// The last spec parsed: an emulator loading images of one spec over and over parses it once.
// Never handed out (the Image carries the JSON text), so sharing it is safe.
let lastSpec: { text: string; spec: HwSpec } | undefined;

function parseSpec(text: string, file: string): HwSpec {
  if (lastSpec?.text === text) return lastSpec.spec;
  let spec: HwSpec;
  try {
    spec = parseHwSpec(text, 'spec.json'); // .json: parse as JSON, not YAML
  } catch (e) {
    const problems = (e as { problems?: { path: string; message: string }[] }).problems;
    const what = problems ? problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ') : (e as Error)?.message ?? String(e);
    fail(file, "section 'SPEC'", `the embedded hw-spec is invalid: ${what}`);
  }
  lastSpec = { text, spec };
  return spec;
}
