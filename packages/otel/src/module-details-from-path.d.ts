/** Types for module-details-from-path 1.0.4, which ships none. */
declare module 'module-details-from-path' {
  /** The package a file belongs to (the last `node_modules` segment of its path), or undefined outside one. */
  export default function moduleDetailsFromPath(file: string): { name: string; basedir: string; path: string } | undefined;
}
