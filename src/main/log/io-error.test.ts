import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempHome } from '../../../test/helpers/temp-home';
import { asFileAccessError, FileAccessError, onUserPath } from './io-error';

const newHome = useTempHome();

describe('FileAccessError', () => {
  it('names the path and says why in nb, sv and en, from the real errors of the file system', () => {
    const home = newHome();
    const missing = join(home, 'finnes-ikke.csv');
    const folder = join(home, 'mappe');
    mkdirSync(folder);
    const file = join(home, 'fil.txt');
    writeFileSync(file, 'x');
    const failure = (path: string, work: () => unknown, action: 'read' | 'watch' = 'read') => {
      try {
        onUserPath(path, action, work);
      } catch (error) {
        return error as FileAccessError;
      }
      throw new Error('expected a failure');
    };

    const notThere = failure(missing, () => readFileSync(missing));
    expect(notThere).toBeInstanceOf(FileAccessError);
    expect(notThere.message).toBe(`Cannot read ${missing}: it does not exist`);
    expect(notThere.describe('nb')).toBe(`Kan ikke lese ${missing}: den finnes ikke`);
    expect(notThere.describe('sv')).toBe(`Kan inte läsa ${missing}: den finns inte`);

    const isFolder = failure(folder, () => readFileSync(folder));
    expect(isFolder.describe('nb')).toBe(`Kan ikke lese ${folder}: det er en mappe, ikke en fil`);
    expect(isFolder.describe('en')).toBe(`Cannot read ${folder}: it is a folder, not a file`);

    const notFolder = failure(file, () => readdirSync(file), 'watch');
    expect(notFolder.describe('sv')).toBe(
      `Kan inte bevaka mappen ${file}: det är inte en mapp (eller en del av sökvägen är en fil)`,
    );
  });

  it('words the codes a shop meets when writing: no access, disk full, read-only disk, and any other code', () => {
    const words = (code: string) =>
      (['nb', 'sv', 'en'] as const).map((language) => new FileAccessError('/x', 'write', code).describe(language));
    expect(words('EACCES')).toEqual([
      'Kan ikke skrive til /x: ingen tilgang',
      'Kan inte skriva till /x: åtkomst nekad',
      'Cannot write to /x: permission denied',
    ]);
    expect(words('EPERM')).toEqual(words('EACCES'));
    expect(words('ENOSPC')).toEqual([
      'Kan ikke skrive til /x: disken er full',
      'Kan inte skriva till /x: disken är full',
      'Cannot write to /x: the disk is full',
    ]);
    expect(words('EROFS')).toEqual([
      'Kan ikke skrive til /x: disken er skrivebeskyttet',
      'Kan inte skriva till /x: disken är skrivskyddad',
      'Cannot write to /x: the disk is read-only',
    ]);
    expect(words('EMFILE')[0]).toBe('Kan ikke skrive til /x: systemet svarte EMFILE');
  });

  it('takes the path a Node error carries, and leaves errors that are not about a file alone', () => {
    const missing = join(newHome(), 'nope');
    let nodeError: unknown;
    try {
      readFileSync(missing);
    } catch (error) {
      nodeError = error;
    }
    expect(asFileAccessError(nodeError)?.message).toBe(`Cannot read ${missing}: it does not exist`);
    expect(asFileAccessError(new Error('boom'))).toBeUndefined();
    expect(asFileAccessError(Object.assign(new Error('no path'), { code: 'ENOENT' }))).toBeUndefined();
    expect(asFileAccessError('ENOENT')).toBeUndefined();
    expect(() => onUserPath('/x', 'read', () => JSON.parse('{'))).toThrow(SyntaxError);
  });
});
