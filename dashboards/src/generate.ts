/**
 * Writes every generated artefact: alerting/rules/*.yml and
 * dashboards/generated/*.json. `pnpm --filter @o4o/dashboards run generate`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generatedFiles } from './files';

const repoRoot = join(__dirname, '..', '..');
for (const [path, content] of Object.entries(generatedFiles())) {
  const target = join(repoRoot, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
  console.log(`generate: wrote ${path}`);
}
