/** The files this package generates, by path from the repository root: what `generate` writes and the drift test compares. */
import { dashboardFiles } from './boards';

export const GENERATED_DIR = 'dashboards/generated';

export function generatedFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, content] of Object.entries(dashboardFiles())) files[`${GENERATED_DIR}/${name}`] = content;
  return files;
}
