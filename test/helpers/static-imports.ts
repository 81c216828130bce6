import { build } from 'esbuild';

/**
 * The project files and packages an entry loads through static imports, the way Node loads them
 * at import time; `import()` targets and type-only imports are left out.
 */
export async function staticImports(entry: string): Promise<{ files: Set<string>; packages: Set<string> }> {
  const { metafile } = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [Object.keys(metafile.inputs).find((input) => entry.endsWith(input)) ?? entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    for (const imported of metafile.inputs[file]?.imports ?? []) {
      if (imported.kind === 'dynamic-import') continue;
      if (imported.external) packages.add(imported.path);
      else pending.push(imported.path);
    }
  }
  return { files, packages };
}
