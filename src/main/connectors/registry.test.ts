import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staticImports } from '../../../test/helpers/static-imports';
import { API_TARGETS } from './registry';

describe('the target registry', () => {
  it('loads no sandbox and not soap until a sandbox is started', async () => {
    const { files, packages } = await staticImports(join(import.meta.dirname, 'registry.ts'));
    expect([...files].filter((file) => file.includes('src/main/sandboxes/'))).toEqual([]);
    expect(packages).not.toContain('soap');
    // The walk did reach every connector: an empty result is not a pass by accident.
    expect([...files].filter((file) => file.endsWith('/target.ts'))).toHaveLength(API_TARGETS.length);
  });
});
