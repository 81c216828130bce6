import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempHome } from '../../../test/helpers/temp-home';
import { main } from '../cli/main';

const newHome = useTempHome();

async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await main(args, { stdout: () => undefined, stderr: (text) => (stderr += text) });
  return { code, stderr };
}

describe('kassebro serve (usage errors)', () => {
  afterEach(() => {
    delete process.env['KASSEBRO_RENDERER_DIR'];
  });

  it('refuses a port that is not 0–65535 with exit 2', async () => {
    expect(await run(['--db', join(newHome(), 'k.sqlite'), 'serve', '--port', '70000'])).toEqual({
      code: 2,
      stderr: 'kassebro: --port must be 0–65535, not "70000"\n',
    });
  });

  it('says how to build the UI when the renderer is missing', async () => {
    process.env['KASSEBRO_RENDERER_DIR'] = newHome();
    expect(await run(['--db', join(newHome(), 'k.sqlite'), 'serve'])).toEqual({
      code: 2,
      stderr: 'kassebro: The UI is not built yet: run "npm run build" first (it writes out/renderer).\n',
    });
  });
});
