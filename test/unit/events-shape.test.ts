/** sameShape / shapeDiff (src/events/shape.ts): the structural comparison behind the templates' drift check. */
import { sameShape, shapeDiff } from '../../src/events';

describe('shapeDiff', () => {
  it('ignores values, compares keys, types and nesting', () => {
    expect(shapeDiff({ a: 1, b: { c: 'x' } }, { a: 2, b: { c: 'y' } })).toEqual([]);
    expect(sameShape({ a: 1 }, { a: 1 })).toBe(true);
    expect(shapeDiff({ a: 1, b: 2 }, { a: 1, c: 2 })).toEqual(['b: missing on the right', 'c: missing on the left']);
    expect(shapeDiff({ a: { b: 1 } }, { a: { b: '1' } })).toEqual(['a.b: number on the left, string on the right']);
    expect(shapeDiff({ a: null }, { a: 'x' })).toEqual(['a: null on the left, string on the right']);
    expect(shapeDiff({ a: {} }, { a: [] })).toEqual(['a: object on the left, array on the right']);
    expect(shapeDiff(1, 'x')).toEqual(['(root): number on the left, string on the right']);
    expect(sameShape({ a: { b: 1 } }, { a: { b: '1' } })).toBe(false);
  });

  it('compares every array element with the first of the other side; an empty array matches any', () => {
    expect(shapeDiff({ r: [{ a: 1 }, { a: 2 }] }, { r: [{ a: 3 }] })).toEqual([]);
    expect(shapeDiff({ r: [{ a: 1 }, { b: 2 }] }, { r: [{ a: 3 }] })).toEqual(['r[].b: missing on the right', 'r[].a: missing on the left']);
    expect(shapeDiff({ r: [{ a: 1 }] }, { r: [{ a: 1 }, { a: 's' }] })).toEqual(['r[].a: number on the left, string on the right']);
    expect(shapeDiff({ r: [] }, { r: [{ a: 1 }] })).toEqual([]);
  });

  it('treats map paths as data (value shapes only) and skips free paths', () => {
    const a = { headers: { host: 'x', accept: '*/*' }, body: '{"a":1}', d: { x: 1 } };
    const b = { headers: { 'user-agent': 'y' }, body: null, d: { y: 'z' } };
    expect(shapeDiff(a, b)).toEqual(expect.arrayContaining(['headers.host: missing on the right', 'body: string on the left, null on the right']));
    expect(shapeDiff(a, b, { maps: ['headers'], free: ['body', 'd'] })).toEqual([]);
    expect(shapeDiff({ headers: { a: 'x' } }, { headers: { b: ['y'] } }, { maps: ['headers'] })).toEqual(['headers.*: string on the left, array on the right']);
    expect(shapeDiff({ R: [{ m: { k: { T: 'S' } } }] }, { R: [{ m: { j: { T: 'S', V: 1 } } }] }, { maps: ['R[].m'] })).toEqual(['R[].m.*.V: missing on the left']);
  });
});
