/**
 * A file the package ships (package.json, schema/), by its path from the package root. Every
 * module that reads one sits two levels below that root: src/<folder>/, dist/<folder>/, and
 * dist/bundle/, where the executable's bundled chunks are written (tools/bundle.mjs).
 */
export function packageFile(path: string): URL {
  return new URL(`../../${path}`, import.meta.url);
}
