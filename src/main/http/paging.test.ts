import { describe, expect, it } from 'vitest';
import { collectPages } from './paging';

describe('collectPages', () => {
  it('asks page after page from index 0 until one says it is the last, keeping the order', async () => {
    const asked: number[] = [];
    const items = await collectPages(async (index) => {
      asked.push(index);
      return { items: [`${index}a`, `${index}b`], more: index < 2 };
    });
    expect(asked).toEqual([0, 1, 2]);
    expect(items).toEqual(['0a', '0b', '1a', '1b', '2a', '2b']);
  });
});
