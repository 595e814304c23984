/**
 * Writes dashboards/generated/*.json. `pnpm --filter @o4o/dashboards run generate`;
 * the alert rules they read are @o4o/alerting's own `generate`.
 */
import { writeGenerated } from '@o4o/alerting';
import { generatedFiles } from './files';

writeGenerated(generatedFiles());
