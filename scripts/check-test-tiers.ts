// Every test file must run in exactly one vitest project (unit, integration, e2e, stress): a file no
// glob matches would silently never run, one two globs match would run twice.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(import.meta.dirname, '..');

export interface ListedFile {
  readonly file: string;
  readonly projectName: string;
}

/** One line per test file that is in no project or in more than one. */
export function tierProblems(testFiles: readonly string[], listed: readonly ListedFile[]): string[] {
  const projects = new Map<string, string[]>(testFiles.map((file) => [file, []]));
  for (const { file, projectName } of listed) projects.set(file, [...(projects.get(file) ?? []), projectName]);
  return [...projects]
    .filter(([, names]) => names.length !== 1)
    .map(([file, names]) =>
      names.length === 0 ? `${file}: in no test project` : `${file}: in ${names.length} projects (${names.join(', ')})`,
    );
}

function testFilesOnDisk(): string[] {
  return ['src', 'test'].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((path) => path.endsWith('.test.ts') && !path.split(/[\\/]/).includes('node_modules'))
      .map((path) => join(dir, path)),
  );
}

function listedByVitest(): ListedFile[] {
  const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
  const output = execFileSync(process.execPath, [vitest, 'list', '--filesOnly', '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return (JSON.parse(output) as ListedFile[]).map(({ file, projectName }) => ({
    file: relative(ROOT, file),
    projectName,
  }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = testFilesOnDisk();
  const problems = tierProblems(files, listedByVitest());
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) process.exit(1);
  console.log(`${files.length} test files, each in exactly one project`);
}
