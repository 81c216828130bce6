/** One page of a target's list: its items, and whether another page follows. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly more: boolean;
}

/**
 * Every item of a paged list. Targets number their pages differently (from 0, from 1, by offset)
 * and say "last page" differently (a short page, a page count, 204); each connector turns its own
 * into `fetchPage(index)` with `index` counting from 0, and the walk is the same for all.
 */
export async function collectPages<T>(fetchPage: (index: number) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  for (let index = 0; ; index += 1) {
    const page = await fetchPage(index);
    all.push(...page.items);
    if (!page.more) return all;
  }
}
