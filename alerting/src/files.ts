/** The files this package generates, by path from the repository root: what `generate` writes and the drift test compares. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './generated';
import { withHolidayIntervals } from './holidays';
import { ruleFiles } from './render';

export const RULES_DIR = 'alerting/rules';
const ALERTMANAGER_TEMPLATE = 'alerting/alertmanager.tmpl.yml';

export function generatedFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, content] of Object.entries(ruleFiles())) files[`${RULES_DIR}/${name}`] = content;
  // Hand-written apart from its holiday block, which comes from the holiday table.
  files[ALERTMANAGER_TEMPLATE] = withHolidayIntervals(readFileSync(join(REPO_ROOT, ALERTMANAGER_TEMPLATE), 'utf8'));
  return files;
}
