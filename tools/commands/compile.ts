// `nla compile <net> --hw <preset|file> -o net.nlaimg`: network file -> hardware image, with the
// resources it uses; `--dump-after <pass>` prints the IR after one pass of the pipeline.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../compiler/common/errors.js';
import { loadHwSpec, type HwSpec } from '../../compiler/hwspec/index.js';
import { writeImage, imageHash, type Image } from '../../compiler/image/index.js';
import { disassemble, decodeProgram } from '../../compiler/isa/index.js';
import { printMachine, printProgram } from '../../compiler/ir/print.js';
import type { Machine } from '../../compiler/ir/machine.js';
import type { Program } from '../../compiler/ir/program.js';
import { loadNetwork } from '../../compiler/network/load.js';
import { PASS_NAMES } from '../../compiler/passes/pipeline.js';
import { compileNetwork } from '../compile/compile.js';
import { imageResources, resourcesText } from '../compile/resources.js';
import { writeFileAtomic } from '../io.js';
import { progressBar } from '../progress.js';
import { MAX_REPLICAS_HELP, parseCount, REPLICATE_HELP, replicasFlag } from './flags.js';

interface CompileFlags {
  hw: string;
  out?: string;
  json?: boolean;
  dumpAfter?: string;
  calibrate?: string;
  seed?: string;
  quiet?: boolean;
  replicate?: boolean;
  maxReplicas?: string;
}

export function imageText(image: Image): string {
  return disassemble(image.cores.map((c) => decodeProgram(c.program)));
}

function dumpText(ir: Program | Machine | Image): string {
  if ('ops' in ir) return printProgram(ir);
  if ('tasks' in ir) return printMachine(ir);
  return imageText(ir);
}

export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description('Compile a network file to a hardware image (.nlaimg) for a hw-spec.')
    .argument('<network>', 'network file (.yaml, .yml or .json)')
    .requiredOption('--hw <spec>', 'hw-spec: a preset name (default, bss2-like, high-precision) or a file')
    .option('-o, --out <file>', 'image file to write, e.g. net.nlaimg')
    .option('--json', 'machine-readable resources on stdout')
    .option('--dump-after <pass>', `print the IR after a pass: ${PASS_NAMES.join(', ')}`)
    .option('--calibrate <ticks>', 'ticks of the calibration run for range analysis (default: two stimulus presentations, 200 to 20000)')
    .option('--seed <n>', 'override the network seed')
    .option('--no-replicate', REPLICATE_HELP)
    .option('--max-replicas <k>', MAX_REPLICAS_HELP)
    .option('--quiet', 'no progress bar')
    .action((file: string, flags: CompileFlags) => {
      if (flags.dumpAfter !== undefined && !(PASS_NAMES as readonly string[]).includes(flags.dumpAfter))
        throw new UserError(`--dump-after: unknown pass '${flags.dumpAfter}'. Passes: ${PASS_NAMES.join(', ')}`);
      const net = loadNetwork(file, flags.seed !== undefined ? { seed: parseCount(flags.seed, '--seed') } : {});
      const spec: HwSpec = loadHwSpec(flags.hw);
      const maxReplicas = replicasFlag(flags);
      const t0 = performance.now();
      let dumped = '';
      const bar = progressBar(!flags.quiet && !flags.json, 'compile');
      const { image } = compileNetwork(net, spec, {
        source: { file: basename(file), text: readFileSync(file, 'utf8') },
        calibrationTicks: flags.calibrate !== undefined ? parseCount(flags.calibrate, '--calibrate') : undefined,
        maxReplicas,
        onPass: (name, ir) => {
          if (name === flags.dumpAfter) dumped = dumpText(ir);
          bar.update(PASS_NAMES.indexOf(name as (typeof PASS_NAMES)[number]) + 1, PASS_NAMES.length);
        },
      });
      bar.stop();
      const bytes = writeImage(image);
      const seconds = (performance.now() - t0) / 1000;
      if (flags.out) writeFileAtomic(flags.out, bytes);
      const resources = imageResources(image, spec);
      if (flags.dumpAfter !== undefined) process.stdout.write(dumped);
      if (flags.json) {
        process.stdout.write(JSON.stringify({ network: net.name, hw: spec.name, out: flags.out ?? null, bytes: bytes.length, sha256: imageHash(bytes), compile_s: seconds, ...resources }) + '\n');
        return;
      }
      if (flags.dumpAfter !== undefined) return;
      process.stdout.write(`${net.name} -> ${flags.out ?? '(no -o: image not written)'}: ${bytes.length} bytes for hw-spec '${spec.name}' in ${seconds.toFixed(2)} s\n`);
      process.stdout.write(resourcesText(resources, spec));
    });
}
