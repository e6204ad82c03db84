import { compileFilterPattern, parseTextTerms, selectPath } from '../../src/cloud/services/logs/filter-pattern';
import { decodeOffsetToken, encodeOffsetToken, eventToken, eventWindow, parseEventToken } from '../../src/cloud/services/logs/paging';
import { LogsStore } from '../../src/cloud/services/logs/store';
import { Clock } from '../../src/cloud/clock';

const m = (pattern: string, message: string) => compileFilterPattern(pattern)(message);

describe('text filter patterns', () => {
  test('terms, phrases, OR and exclusion', () => {
    expect(m('', 'anything')).toBe(true);
    expect(m('ERROR', 'an ERROR here')).toBe(true);
    expect(m('ERROR', 'an error here')).toBe(false); // case-sensitive
    expect(m('ERROR Exception', 'ERROR only')).toBe(false);
    expect(m('ERROR Exception', 'Exception then ERROR')).toBe(true);
    expect(m('"exact phrase"', 'an exact phrase here')).toBe(true);
    expect(m('"exact phrase"', 'phrase exact')).toBe(false);
    expect(m('?ERROR ?WARN', 'WARN x')).toBe(true);
    expect(m('?ERROR ?WARN', 'INFO x')).toBe(false);
    expect(m('ERROR -timeout', 'ERROR timeout')).toBe(false);
    expect(m('ERROR -timeout', 'ERROR crash')).toBe(true);
    expect(m('-"no way"', 'there is no way')).toBe(false);
    expect(m('%ERR(OR)?\\b%', 'an ERR happened')).toBe(true);
    expect(parseTextTerms('a ?b -c "d e"')).toEqual([
      { text: 'a', kind: 'and' },
      { text: 'b', kind: 'or' },
      { text: 'c', kind: 'not' },
      { text: 'd e', kind: 'and' },
    ]);
  });
});

describe('JSON filter patterns', () => {
  const doc = JSON.stringify({ level: 'ERROR', code: 500, user: { id: 'u-1', admin: true }, tags: ['a', 'b'], gone: null });
  test('equality, inequality, numbers, wildcards, nesting, arrays', () => {
    expect(m('{ $.level = "ERROR" }', doc)).toBe(true);
    expect(m('{ $.level = ERROR }', doc)).toBe(true);
    expect(m('{ $.level != "ERROR" }', doc)).toBe(false);
    expect(m('{ $.level = "ERR*" }', doc)).toBe(true);
    expect(m('{ $.code = 500 }', doc)).toBe(true);
    expect(m('{ $.code != 500 }', doc)).toBe(false);
    expect(m('{ $.code > 499 && $.code < 501 }', doc)).toBe(true);
    expect(m('{ $.code >= 501 || $.user.id = "u-1" }', doc)).toBe(true);
    expect(m('{ ($.code = 1 || $.code = 500) && $.tags[1] = "b" }', doc)).toBe(true);
    expect(m('{ $.user.admin IS TRUE }', doc)).toBe(true);
    expect(m('{ $.gone IS NULL }', doc)).toBe(true);
    expect(m('{ $.missing NOT EXISTS }', doc)).toBe(true);
    expect(m('{ $.level NOT EXISTS }', doc)).toBe(false);
    expect(m('{ $.level = "ERROR" }', 'not json')).toBe(false);
    expect(m('{ $.level = "ERROR" }', `prefix\t${doc}`)).toBe(false);
    expect(selectPath({ a: [{ b: 2 }] }, '$.a[0].b')).toBe(2);
  });
  test('syntax errors are InvalidParameterException', () => {
    for (const bad of ['{ $.a = }', '{ $.a "x" }', '{ $.a = "x"', '{ $.a > "x" }', '{ ($.a = 1 }', '{ a = 1 }']) {
      expect(() => compileFilterPattern(bad)).toThrow(expect.objectContaining({ code: 'InvalidParameterException', message: 'Invalid filter pattern' }));
    }
  });
});

describe('space-delimited filter patterns', () => {
  const line = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /a.gif HTTP/1.0" 404 1534';
  test('fields, conditions and ellipsis', () => {
    expect(m('[ip, id, user, timestamp, request, status_code = 404, size]', line)).toBe(true);
    expect(m('[ip, id, user, timestamp, request, status_code = 200, size]', line)).toBe(false);
    expect(m('[ip, id, user, ..., status_code = 4*, size > 1000]', line)).toBe(true);
    expect(m('[ip = 127.0.0.*, ...]', line)).toBe(true);
    expect(m('[..., size < 1000]', line)).toBe(false);
  });
});

describe('paging tokens', () => {
  test('offset tokens round-trip and reject garbage', () => {
    expect(decodeOffsetToken(encodeOffsetToken(42))).toBe(42);
    expect(decodeOffsetToken(undefined)).toBe(0);
    expect(() => decodeOffsetToken('garbage')).toThrow(expect.objectContaining({ code: 'InvalidParameterException' }));
  });
  test('event tokens', () => {
    expect(eventToken('f', 7)).toBe(`f/${'0'.repeat(55)}7/s`);
    expect(parseEventToken(eventToken('b', 12))).toEqual({ direction: 'b', index: 12 });
    expect(() => parseEventToken('q/1')).toThrow(expect.objectContaining({ code: 'InvalidParameterException' }));
  });
  test('event windows: forward, backward, limits, bytes, clamping', () => {
    const sizes = [10, 10, 10, 10, 10];
    expect(eventWindow(sizes, 2, 1000, { direction: 'f', index: 0 })).toEqual({ from: 0, to: 2 });
    expect(eventWindow(sizes, 2, 1000, { direction: 'b', index: 5 })).toEqual({ from: 3, to: 5 });
    expect(eventWindow(sizes, 2, 1000, { direction: 'b', index: 1 })).toEqual({ from: 0, to: 1 });
    expect(eventWindow(sizes, 10, 25, { direction: 'f', index: 1 })).toEqual({ from: 1, to: 3 });
    expect(eventWindow(sizes, 10, 1000, { direction: 'f', index: 99 })).toEqual({ from: 5, to: 5 });
    expect(eventWindow([500], 10, 100, { direction: 'f', index: 0 })).toEqual({ from: 0, to: 1 });
  });
});

describe('LogsStore', () => {
  test('keeps events in timestamp order and state per account and region', () => {
    const s = new LogsStore(new Clock());
    s.put('us-east-1', '1', 'g', 's', [{ timestamp: 30, message: 'c' }]);
    s.put('us-east-1', '1', 'g', 's', [{ timestamp: 10, message: 'a' }, { timestamp: 20, message: 'b' }, { timestamp: 30, message: 'd' }]);
    const stream = s.getGroup('1', 'us-east-1', 'g')!.streams.get('s')!;
    expect(stream.events.map((e) => e.message)).toEqual(['a', 'b', 'c', 'd']);
    expect(stream.firstEventTimestamp).toBe(10);
    expect(stream.lastEventTimestamp).toBe(30);
    expect(new Set(stream.events.map((e) => e.eventId)).size).toBe(4);
    expect(s.getGroup('1', 'eu-west-1', 'g')).toBeUndefined();
    expect(s.getGroup('2', 'us-east-1', 'g')).toBeUndefined();
    s.reset();
    expect(s.getGroup('1', 'us-east-1', 'g')).toBeUndefined();
  });
});
