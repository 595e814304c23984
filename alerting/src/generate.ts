/**
 * Writes alerting/rules/*.yml and the holiday block of
 * alerting/alertmanager.tmpl.yml. `pnpm --filter @o4o/alerting run generate`.
 */
import { generatedFiles } from './files';
import { writeGenerated } from './generated';

writeGenerated(generatedFiles());
