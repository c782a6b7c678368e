// `nla disasm <image>`, `nla inspect <image>` and `nla asm <file.s> -o <image>`: images as text,
// as a resource table, and text back to an image (programs only: empty crossbars and tables).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../../compiler/common/errors.js';
import { canonicalJson, hwSpecHash, loadHwSpec, parseHwSpec } from '../../compiler/hwspec/index.js';
import { IMAGE_FORMAT_VERSION, imageHash, loadImage, loadImageWithBytes, writeImage, type Image } from '../../compiler/image/index.js';
import { assemble, encodeProgram } from '../../compiler/isa/index.js';
import { imageResources, resourcesText } from '../compile/resources.js';
import { writeFileAtomic } from '../io.js';
import { imageText } from './compile.js';

function specOf(image: Image, file: string) {
  return parseHwSpec(image.hwSpecJson, `${file}#hw-spec.json`);
}

export function registerImageCommands(program: Command): void {
  program
    .command('disasm')
    .description('Print the programs of a hardware image as assembly text (nla asm reads it back).')
    .argument('<image>', 'image file (.nlaimg)')
    .action((file: string) => {
      const image = loadImage(file);
      const h = image.header;
      process.stdout.write(`; ${file}: image format ${h.formatVersion}, hw-spec '${h.hwSpecName}' ${h.hwSpecHash.slice(0, 16)}, dt ${h.dt} s, ${image.cores.length} cores\n`);
      process.stdout.write(imageText(image));
    });

  program
    .command('inspect')
    .description('Summarise a hardware image: header, resources, routes, ports, probes, tensor ranges.')
    .argument('<image>', 'image file (.nlaimg)')
    .option('--json', 'machine-readable output')
    .action((file: string, flags: { json?: boolean }) => {
      const { image, bytes } = loadImageWithBytes(file);
      const spec = specOf(image, file);
      const resources = imageResources(image, spec);
      const summary = {
        file,
        sha256: imageHash(bytes),
        bytes: bytes.length,
        header: image.header,
        metadata: { network: image.metadata.network, networkSha256: image.metadata.networkSha256, compiler: image.metadata.compiler, scheme: image.metadata.scheme },
        ports: image.ports.map((p) => ({ id: p.id, kind: p.kind, population: p.population, size: p.size, cores: p.segments.map((g) => g.core) })),
        probes: image.probes.map((p) => ({ id: p.id, signal: `${p.population}.${p.signal}`, size: p.size, cores: p.segments.map((g) => g.core) })),
        ...resources,
      };
      if (flags.json) return void process.stdout.write(JSON.stringify(summary) + '\n');
      const h = image.header;
      process.stdout.write(
        `${file}: ${bytes.length} bytes, sha-256 ${summary.sha256.slice(0, 16)}\n` +
          `image format ${h.formatVersion}, network '${String(image.metadata.network ?? '?')}', hw-spec '${h.hwSpecName}' (${h.hwSpecHash.slice(0, 16)}), dt ${h.dt} s, flags ${h.flags}\n` +
          `ports: ${summary.ports.map((p) => `${p.kind} ${p.population || '(flag)'}[${p.size}]`).join(', ')}\n` +
          `probes: ${summary.probes.map((p) => p.signal).join(', ')}\n`,
      );
      process.stdout.write(resourcesText(resources, spec));
    });

  program
    .command('asm')
    .description('Assemble a text file of `.core N` sections into a hardware image (programs only).')
    .argument('<file>', 'assembly text (.s)')
    .requiredOption('-o, --out <image>', 'image file to write')
    .option('--hw <spec>', 'hw-spec the programs are for', 'default')
    .option('--dt <seconds>', 'network time per tick, seconds', '0.001')
    .action((file: string, flags: { out: string; hw: string; dt: string }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new UserError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Check the path`);
      }
      const dt = Number(flags.dt);
      if (!(dt > 0)) throw new UserError(`--dt: expected a positive number of seconds, got '${flags.dt}'`);
      const spec = loadHwSpec(flags.hw);
      const programs = assemble(text, file);
      const cores = spec.mesh.cols * spec.mesh.rows;
      if (programs.length > cores) throw new UserError(`${file}: ${programs.length} .core sections, hw-spec '${spec.name}' has ${cores} cores`);
      const image: Image = {
        header: { formatVersion: IMAGE_FORMAT_VERSION, hwSpecName: spec.name, hwSpecHash: hwSpecHash(spec), dt, flags: 0 },
        hwSpecJson: canonicalJson(spec),
        cores: programs.map((prog, index) => {
          const words = encodeProgram(prog);
          if (words.length > spec.core.program_words) throw new UserError(`${file}: core ${index} has ${words.length} program words, hw-spec '${spec.name}' allows ${spec.core.program_words}`);
          return { index, program: words, memoryWords: spec.core.vector_memory_words, memory: [], crossbar: new Int32Array(spec.core.crossbar.rows * spec.core.crossbar.cols), luts: [] };
        }),
        routes: [],
        ports: [],
        probes: [],
        matrices: [],
        metadata: { source: file, assembled: true },
      };
      const bytes = writeImage(image);
      writeFileAtomic(flags.out, bytes);
      process.stdout.write(`${file} -> ${flags.out}: ${programs.length} cores, ${bytes.length} bytes\n`);
    });
}
