// `nla estimate <image>`: time and energy of an image on its chip from the program alone (no run):
// cycles and wall time per tick, real-time factor, energy per tick, per sample and per plastic
// weight update, static versus dynamic, by instruction class (each with its hw-spec source) and
// by core. The numbers equal the emulator's counters for the same programs (tests/estimate).
import type { Command } from 'commander';
import { UserError } from '../../compiler/common/errors.js';
import { parseHwSpec } from '../../compiler/hwspec/index.js';
import { loadImage } from '../../compiler/image/index.js';
import { COST_CLASSES } from '../../compiler/isa/index.js';
import { staticEstimate } from '../estimate/static.js';
import { networkOf } from './run.js';
import { parseDurationFlag } from './simulate.js';

const si = (x: number, unit: string): string => {
  const steps: [number, string][] = [[1e-12, 'p'], [1e-9, 'n'], [1e-6, 'u'], [1e-3, 'm'], [1, '']];
  let best = steps[0]!;
  for (const s of steps) if (Math.abs(x) >= s[0]) best = s;
  return `${(x / best[0]).toPrecision(4)} ${best[1]}${unit}`;
};

export function registerEstimate(program: Command): void {
  program
    .command('estimate')
    .description('Estimate chip time and energy of an image from its programs (per tick, per sample, per weight update).')
    .argument('<image>', 'image file (.nlaimg)')
    .option('--plastic <on|off>', 'plasticity on or off (the one branch compiled programs take on data)', 'on')
    .option('--presentation <time>', 'time per sample (default: the compiled network stimulus presentation)')
    .option('--json', 'machine-readable output')
    .action((file: string, flags: { plastic: string; presentation?: string; json?: boolean }) => {
      if (flags.plastic !== 'on' && flags.plastic !== 'off') throw new UserError(`--plastic: use on or off, not '${flags.plastic}'`);
      const image = loadImage(file);
      const spec = parseHwSpec(image.hwSpecJson, `${file}#hw-spec.json`);
      const est = staticEstimate(image, spec, { plastic: flags.plastic === 'on' });
      const dt = image.header.dt;
      let presentation: number | undefined;
      if (flags.presentation !== undefined) presentation = parseDurationFlag(flags.presentation);
      else if (typeof image.metadata.networkSource === 'string') presentation = networkOf(image, file).stimulus.presentation;
      const ticksPerSample = presentation ? Math.round(presentation / dt) : undefined;
      const perTickPj = est.dynamicPj + est.staticPj;
      const updates = est.byClass.outer_update.events;
      const summary = {
        image: file,
        hw: spec.name,
        plastic: est.plastic,
        dt_s: dt,
        cycles_per_tick: est.criticalCycles,
        compute_s_per_tick: est.computeS,
        analog_s_per_tick: est.analogS,
        wall_s_per_tick: est.wallS,
        realtime_factor: dt / est.wallS,
        bound: est.computeS > est.analogS ? 'digital (cycles)' : 'analog (dt / acceleration)',
        energy_pj_per_tick: { total: perTickPj, dynamic: est.dynamicPj, static: est.staticPj },
        ticks_per_sample: ticksPerSample ?? null,
        energy_pj_per_sample: ticksPerSample ? perTickPj * ticksPerSample : null,
        wall_s_per_sample: ticksPerSample ? est.wallS * ticksPerSample : null,
        energy_pj_per_weight_update: updates ? est.byClass.outer_update.energyPj / updates : null,
        by_class: Object.fromEntries(
          COST_CLASSES.filter((c) => est.byClass[c].executions > 0).map((c) => [c, { ...est.byClass[c], source: spec.costs[c].source, basis: spec.costs[c].basis }]),
        ),
        static_power: { mw_per_core: spec.static_power.mw_per_core, cores: image.cores.length, source: spec.static_power.source, basis: spec.static_power.basis },
        by_core: est.cores.map((c) => ({ core: c.core, instructions: c.instructions, cycles: c.cycles, energy_pj: c.energyPj, phases: c.phaseCycles.length })),
        data_dependent: est.dataDependent,
      };
      if (flags.json) return void process.stdout.write(JSON.stringify(summary) + '\n');
      const lines = [
        `${file} on '${spec.name}', plasticity ${flags.plastic}: per tick of ${si(dt, 's')} network time`,
        `  cycles ${est.criticalCycles} (critical path over ${Math.max(...est.cores.map((c) => c.phaseCycles.length))} barrier phases) = ${si(est.computeS, 's')} at ${spec.timing.clock_mhz} MHz; analog ${si(est.analogS, 's')} (dt / ${spec.timing.acceleration})`,
        `  wall ${si(est.wallS, 's')}, ${summary.bound}-bound; real-time factor ${summary.realtime_factor.toPrecision(4)} (network time per wall time)`,
        `  energy ${si(perTickPj * 1e-12, 'J')}: dynamic ${si(est.dynamicPj * 1e-12, 'J')}, static ${si(est.staticPj * 1e-12, 'J')} (${spec.static_power.mw_per_core} mW x ${image.cores.length} cores; ${spec.static_power.basis}: ${spec.static_power.source})`,
      ];
      if (ticksPerSample) lines.push(`per sample (${ticksPerSample} ticks): ${si(summary.energy_pj_per_sample! * 1e-12, 'J')}, ${si(summary.wall_s_per_sample!, 's')} on the chip`);
      if (updates) lines.push(`per plastic weight update: ${si(summary.energy_pj_per_weight_update! * 1e-12, 'J')} (${updates} updates per tick)`);
      lines.push('by instruction class (per tick):');
      for (const c of COST_CLASSES) {
        const t = est.byClass[c];
        if (!t.executions) continue;
        lines.push(`  ${c.padEnd(13)} ${String(t.executions).padStart(6)} x, ${String(t.events).padStart(9)} events, ${String(t.cycles).padStart(8)} cycles, ${si(t.energyPj * 1e-12, 'J').padStart(11)}  [${spec.costs[c].basis}] ${spec.costs[c].source}`);
      }
      lines.push('by core (per tick):');
      for (const c of est.cores) lines.push(`  core ${c.core}: ${c.instructions} instructions, ${c.cycles} cycles, ${si(c.energyPj * 1e-12, 'J')}`);
      for (const d of est.dataDependent) lines.push(`note: ${d}`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}
