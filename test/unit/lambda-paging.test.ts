import { paginateAfter } from '../../src/cloud/lambda/validate';

const page = (list: string[], marker: string | null, max = 2) => paginateAfter(list, (s) => s, marker, max, 'Items') as { Items: string[]; NextMarker?: string };

describe('paging by the last item given (ListFunctions)', () => {
  it('walks the list in order, and has no marker after the last page', () => {
    const list = ['a', 'b', 'c', 'd', 'e'];
    const p1 = page(list, null);
    const p2 = page(list, p1.NextMarker!);
    const p3 = page(list, p2.NextMarker!);
    expect([p1.Items, p2.Items, p3.Items]).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(p3.NextMarker).toBeUndefined();
  });

  it('neither repeats nor skips what stayed when items come and go between pages', () => {
    const p1 = page(['b', 'd', 'f', 'h'], null);
    expect(p1.Items).toEqual(['b', 'd']);
    // Meanwhile "a" and "c" are created and "b" is deleted: an index-based marker would repeat "d".
    const p2 = page(['a', 'c', 'd', 'f', 'h'], p1.NextMarker!);
    expect(p2.Items).toEqual(['f', 'h']);
  });

  it('refuses a marker it did not write', () => {
    expect(() => page(['a'], 'bm90IGpzb24=')).toThrow('Invalid marker');
  });
});
