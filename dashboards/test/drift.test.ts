/** The committed dashboard JSON is exactly what the code generates. */
import { staleGenerated } from '@o4o/alerting';
import { GENERATED_DIR, generatedFiles } from '../src/files';

test('dashboards/generated is committed as generated (run `pnpm --filter @o4o/dashboards run generate`)', () => {
  expect(staleGenerated(generatedFiles(), [GENERATED_DIR])).toEqual([]);
});
