// Which CLI build `bin/kassebro.mjs` runs: the esbuild bundle in out/cli/ (plain JavaScript, fast to
// start) when it exists and is newer than every source file it was built from; otherwise the
// TypeScript sources through tsx, the development fallback while editing (`npm run build:cli`
// makes the bundle fresh again).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** True when out/cli/main.js exists and no source it was built from changed (or vanished) since. */
export function bundleIsFresh(root) {
  const bundle = join(root, 'out', 'cli', 'main.js');
  const sourceList = join(root, 'out', 'cli', 'sources.json');
  if (!existsSync(bundle) || !existsSync(sourceList)) return false;
  const builtAt = statSync(bundle).mtimeMs;
  return JSON.parse(readFileSync(sourceList, 'utf8')).every((source) => {
    const stat = statSync(join(root, source), { throwIfNoEntry: false });
    return stat !== undefined && stat.mtimeMs <= builtAt;
  });
}
