/** Every generated file, by path from the repository root: what `generate` writes and the drift test compares. */
import { dashboardFiles } from './boards';
import { ruleFiles } from './rules/render';

export function generatedFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, content] of Object.entries(ruleFiles())) files[`alerting/rules/${name}`] = content;
  for (const [name, content] of Object.entries(dashboardFiles())) files[`dashboards/generated/${name}`] = content;
  return files;
}
