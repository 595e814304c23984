/** What the three providers share while they are built: export settings and the crash flush they register with. */
import type { CrashFlush } from './crash-flush';
import type { ExportSettings } from './exporters';

export interface PipelineParts {
  readonly export: ExportSettings;
  readonly crash: CrashFlush;
}
