// What a figure was measured on: written beside every timing a command records.
import { cpus } from 'node:os';

export function machineDescription(): string {
  const c = cpus();
  return `${c.length} x ${c[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}`;
}
