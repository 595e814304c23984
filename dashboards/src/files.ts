/** Every generated file, by path from the repository root: what `generate` writes and the drift test compares. */
import { dashboardFiles } from './boards';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withHolidayIntervals } from './rules/holidays';
import { ruleFiles } from './rules/render';

const ALERTMANAGER_TEMPLATE = 'alerting/alertmanager.tmpl.yml';

export function generatedFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, content] of Object.entries(ruleFiles())) files[`alerting/rules/${name}`] = content;
  for (const [name, content] of Object.entries(dashboardFiles())) files[`dashboards/generated/${name}`] = content;
  // Hand-written apart from its holiday block, which comes from the holiday table.
  files[ALERTMANAGER_TEMPLATE] = withHolidayIntervals(readFileSync(join(__dirname, '..', '..', ALERTMANAGER_TEMPLATE), 'utf8'));
  return files;
}
