/** What the three providers share while they are built. */
import type { ExportSettings } from './exporters';

export interface PipelineParts {
  readonly export: ExportSettings;
}
