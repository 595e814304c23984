/** The committed rule files and dashboard JSON are exactly what the code generates. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedFiles } from '../src/files';

const repoRoot = join(__dirname, '..', '..');
const generated = generatedFiles();

describe('generated files', () => {
  test.each(Object.keys(generated))('%s is committed as generated (run `pnpm --filter @o4o/dashboards run generate`)', (path) => {
    expect(readFileSync(join(repoRoot, path), 'utf8')).toBe(generated[path]);
  });

  test.each(['alerting/rules', 'dashboards/generated'])('%s holds no file the code does not generate', (dir) => {
    const committed = readdirSync(join(repoRoot, dir)).map((name) => `${dir}/${name}`);
    expect(committed.sort()).toEqual(Object.keys(generated).filter((p) => p.startsWith(`${dir}/`)).sort());
  });
});
