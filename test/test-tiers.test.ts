import { describe, expect, it } from 'vitest';
import { tierProblems } from '../scripts/check-test-tiers';

describe('test tiers check', () => {
  it('passes when every test file is in exactly one project', () => {
    expect(
      tierProblems(
        ['src/a.test.ts', 'test/b.test.ts'],
        [
          { file: 'src/a.test.ts', projectName: 'unit' },
          { file: 'test/b.test.ts', projectName: 'stress' },
        ],
      ),
    ).toEqual([]);
  });

  it('names a file no project runs and a file two projects run', () => {
    expect(
      tierProblems(
        ['src/a.test.ts', 'src/b.test.ts', 'src/c.test.ts'],
        [
          { file: 'src/a.test.ts', projectName: 'unit' },
          { file: 'src/c.test.ts', projectName: 'unit' },
          { file: 'src/c.test.ts', projectName: 'integration' },
        ],
      ),
    ).toEqual(['src/b.test.ts: in no test project', 'src/c.test.ts: in 2 projects (unit, integration)']);
  });
});
