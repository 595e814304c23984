/** The committed rule files and the template's holiday block are exactly what the code generates. */
import { generatedFiles, RULES_DIR } from '../src/files';
import { staleGenerated } from '../src/generated';

test('alerting/rules and the holiday block are committed as generated (run `pnpm --filter @o4o/alerting run generate`)', () => {
  expect(staleGenerated(generatedFiles(), [RULES_DIR])).toEqual([]);
});

test('a drifted file is reported', () => {
  const files = generatedFiles();
  const [first] = Object.keys(files);
  expect(staleGenerated({ ...files, [first!]: 'edited\n' }, [RULES_DIR])).toEqual([`${first}: differs from the generated content`]);
});
