/**
 * SQS digests against vectors from AWS-recorded answers (LocalStack's AWS snapshots and AWS-validated
 * tests) and the reference (§6).
 */
import { createHash } from 'node:crypto';
import { md5OfAttributes, md5OfBody } from '../../src/cloud/services/sqs/md5';

const str = (StringValue: string, DataType = 'String') => ({ DataType, StringValue });

describe('MD5OfMessageBody', () => {
  it.each([
    ['message', '78e731027d8fd50ed642340b7c9a63b3'],
    ['message-1', '3d6b824fd8c1520e9a047d21fee6fb1f'],
    ['test', '098f6bcd4621d373cade4e832627b4f6'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
  ])('%s', (body, md5) => expect(md5OfBody(body)).toBe(md5));

  it('hashes the UTF-8 bytes', () => {
    expect(md5OfBody('é')).toBe(createHash('md5').update(Buffer.from([0xc3, 0xa9])).digest('hex'));
    expect(md5OfBody('é')).not.toBe(createHash('md5').update(Buffer.from([0xe9])).digest('hex'));
  });
});

describe('MD5OfMessageAttributes', () => {
  it.each<[string, Record<string, { DataType: string; StringValue?: string; BinaryValue?: Buffer }>, string]>([
    ['reference String vector', { attribName1: str('attribValue 1') }, '19e27d4e946b072f3f58da80d94fd778'],
    ['reference Binary vector', { binaryAttribute: { DataType: 'Binary', BinaryValue: Buffer.from('Hello binary world!') } }, '31a92b15d92f8db860eda32aceb656c3'],
    ['Number [rec]', { timestamp: str('1493147359900', 'Number') }, '235c5c510d26fb653d073faed50ae77c'],
    ['one String [rec]', { MyAttribute: str('foobar') }, 'adb59cd4678ea5a855436b949cd07ab6'],
    ['short String [rec]', { k: str('x') }, 'a45daa70926828a2f0a1db3418e6feb4'],
    ['Foo [rec]', { Foo: str('Bar') }, 'ae7155c6026991b6d54b11589678bf9c'],
    [
      'three, sorted by name [rec]',
      { 'Help.Me': str('Me'), General: str('Kenobi'), Hello: str('There') },
      '4c360f3fdafd970e05fae2f149d997f5',
    ],
    ['prefix-filtered subset [rec]', { Hello: str('There'), 'Help.Me': str('Me') }, '83fee93c1bcd8b9a5a923ffacdc636c7'],
    ['two of three [rec]', { Hello: str('There'), General: str('Kenobi') }, 'fca026605781cb4126a1e9044df24232'],
    ['one of three [rec]', { Hello: str('There') }, 'a311262e065454b75da111d535b8dacd'],
  ])('%s', (_name, attrs, md5) => expect(md5OfAttributes(attrs)).toBe(md5));

  it('is undefined without attributes', () => {
    expect(md5OfAttributes(undefined)).toBeUndefined();
    expect(md5OfAttributes({})).toBeUndefined();
  });

  it('does not depend on the order the attributes were given in', () => {
    const a = md5OfAttributes({ b: str('2'), a: str('1') });
    const b = md5OfAttributes({ a: str('1'), b: str('2') });
    expect(a).toBe(b);
  });

  it('tells Binary from String by transport type, and counts the custom label', () => {
    const asString = md5OfAttributes({ x: { DataType: 'Binary', StringValue: 'abc' } });
    const asBinary = md5OfAttributes({ x: { DataType: 'Binary', BinaryValue: Buffer.from('abc') } });
    expect(asString).not.toBe(asBinary);
    expect(md5OfAttributes({ x: str('1', 'Number') })).not.toBe(md5OfAttributes({ x: str('1', 'Number.int') }));
  });
});

describe('MD5OfMessageSystemAttributes', () => {
  it('AWSTraceHeader [rec]', () => {
    expect(
      md5OfAttributes({ AWSTraceHeader: str('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1') }),
    ).toBe('5ae4d5d7636402d80f4eb6d213245a88');
  });
});
