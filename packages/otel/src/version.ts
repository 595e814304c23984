/** The distribution's name and version, as published. */
export const DISTRIBUTION_NAME = '@o4o/otel';
// Read at runtime so the published package never disagrees with its manifest.
export const DISTRIBUTION_VERSION: string = (require('../package.json') as { version: string }).version;
