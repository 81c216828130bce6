import { ESLint } from 'eslint';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The lint rule that keeps the engine free of Electron is itself tested: a rule that silently
// stopped matching would let the CLI and the tests break only on a shop's PC.
const eslint = new ESLint();

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('only src/main/app may import electron', () => {
  const electronImport = "import { app } from 'electron';\nexport const name = app.getName();\n";

  it.each(['src/main/sync/outbox.ts', 'src/main/store/x.ts', 'src/shared/api.ts', 'test/x.test.ts'])(
    'refuses it in %s',
    async (file) => {
      expect(await restrictedImports(file, electronImport)).toEqual([
        expect.stringContaining('Only src/main/app/ may import electron'),
      ]);
    },
  );

  it('refuses electron-log/main outside the app too', async () => {
    expect(
      await restrictedImports('src/main/log/x.ts', "import log from 'electron-log/main';\nexport default log;\n"),
    ).toHaveLength(1);
  });

  it('allows it in src/main/app', async () => {
    expect(await restrictedImports('src/main/app/window.ts', electronImport)).toEqual([]);
  });

  it('keeps Node built-ins out of src/shared, which the renderer uses', async () => {
    expect(
      await restrictedImports(
        'src/shared/x.ts',
        "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
      ),
    ).toHaveLength(1);
  });
});

describe('the built app', () => {
  it('has a sandboxed preload that requires nothing but electron', () => {
    const preload = 'out/preload/index.cjs';
    expect(existsSync(preload), 'run "npm run build" first (npm test does)').toBe(true);
    const required = [...readFileSync(preload, 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
  });
});
