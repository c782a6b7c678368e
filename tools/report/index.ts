// Public entry of the report: build it (report.ts), render the page (html.ts), write the folder.
import { join } from 'node:path';
import { writeFileAtomic } from '../io.js';
import { reportHtml } from './html.js';
import type { ReportResult } from './report.js';

export { buildReport, type ReportOptions, type ReportResult, type ReportSummary } from './report.js';
export { NONIDEALITIES, type Nonideality } from './nonidealities.js';

/** writes summary.json, index.html, the image and the edited hw-specs into dir, each atomically */
export function writeReport(dir: string, result: ReportResult): string[] {
  const files = new Map(result.files);
  files.set('summary.json', JSON.stringify(result.summary, null, 1) + '\n');
  files.set('index.html', reportHtml(result.summary, result.run, result.probes));
  for (const [name, data] of files) writeFileAtomic(join(dir, name), data);
  return [...files.keys()];
}
