import { Clock } from '../../src/cloud/clock';
import { AwsError } from '../../src/cloud/errors';
import { decodeQueryParams, handleQuery, queryError, toXmlTree, buildXml, xmlFlat, xmlMap } from '../../src/cloud/protocols/query';
import type { QueryServiceDef, RequestContext } from '../../src/cloud/protocols/types';

const ctx: RequestContext = { requestId: 'req-1', region: 'us-east-1', accountId: '000000000000', endpoint: 'http://127.0.0.1:1', path: '/', clock: new Clock() };

describe('decodeQueryParams', () => {
  test('members, entries, indexed lists and nested structures', () => {
    const p = new URLSearchParams(
      [
        'Action=X',
        'Version=1',
        'Name=n',
        'Tags.member.2.Key=b',
        'Tags.member.1.Key=a',
        'Tags.member.1.Value=1',
        'Attributes.entry.1.key=Policy',
        'Attributes.entry.1.value=%7B%7D',
        'Attributes.entry.2.key=DisplayName',
        'Attributes.entry.2.value=d',
        'AttributeName.1=All',
        'AttributeName.10=Ten',
        'AttributeName.2=Two',
        'MessageAttributes.entry.1.Name=color',
        'MessageAttributes.entry.1.Value.DataType=String',
        'MessageAttributes.entry.1.Value.StringValue=red',
        'Outer.Inner.Leaf=x',
        'Empty=',
        'X-Amz-Signature=abc',
      ].join('&'),
    );
    expect(decodeQueryParams(p)).toEqual({
      Name: 'n',
      Tags: [{ Key: 'a', Value: '1' }, { Key: 'b' }],
      Attributes: { Policy: '{}', DisplayName: 'd' },
      AttributeName: ['All', 'Two', 'Ten'],
      MessageAttributes: { color: { DataType: 'String', StringValue: 'red' } },
      Outer: { Inner: { Leaf: 'x' } },
      Empty: '',
    });
  });

  test('values stay strings; an empty list marker does not clobber members', () => {
    expect(decodeQueryParams(new URLSearchParams('MaxItems=10&Flag=true&L=&L.member.1=a'))).toEqual({ MaxItems: '10', Flag: 'true', L: ['a'] });
  });
});

describe('XML encoding', () => {
  test('arrays as member, dates ISO, booleans lower-case, maps and flattened lists, escaping', () => {
    const d = new Date('2024-01-02T03:04:05.000Z');
    const tree = toXmlTree({
      List: [{ A: 1 }, { A: 2 }],
      When: d,
      Yes: true,
      No: false,
      Text: 'a<b>&"c"',
      Missing: undefined,
      Empty: [],
      Attrs: xmlMap({ k1: 'v1' }),
      Message: xmlFlat([{ Body: 'x' }, { Body: 'y' }]),
    });
    expect(buildXml({ R: tree })).toBe(
      '<R><List><member><A>1</A></member><member><A>2</A></member></List><When>2024-01-02T03:04:05.000Z</When><Yes>true</Yes><No>false</No>' +
        '<Text>a&lt;b&gt;&amp;&quot;c&quot;</Text><Empty></Empty><Attrs><entry><key>k1</key><value>v1</value></entry></Attrs>' +
        '<Message><Body>x</Body></Message><Message><Body>y</Body></Message></R>',
    );
  });
});

describe('handleQuery', () => {
  const def: QueryServiceDef = {
    protocol: 'query',
    signingName: 'test',
    version: '2020-01-01',
    xmlNamespace: 'https://example.invalid/doc/',
    operations: {
      Echo: (input: Record<string, unknown>) => ({ Got: input.Value }),
      Fail: () => {
        throw new AwsError('NoSuchEntity', 'gone', 404);
      },
      Crash: () => {
        throw new Error('bug');
      },
    },
    noResultWrapper: ['Bare'],
  };

  test('success envelope', async () => {
    const r = await handleQuery(def, new URLSearchParams('Action=Echo&Version=2020-01-01&Value=hi'), ctx);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/xml');
    expect(r.body).toBe(
      '<EchoResponse xmlns="https://example.invalid/doc/"><EchoResult><Got>hi</Got></EchoResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></EchoResponse>',
    );
  });

  test('errors: AwsError, internal failure, unknown action, wrong or missing version', async () => {
    const f = await handleQuery(def, new URLSearchParams('Action=Fail&Version=2020-01-01'), ctx);
    expect(f.status).toBe(404);
    expect(f.body).toBe(
      '<ErrorResponse xmlns="https://example.invalid/doc/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>gone</Message></Error><RequestId>req-1</RequestId></ErrorResponse>',
    );
    const c = await handleQuery(def, new URLSearchParams('Action=Crash&Version=2020-01-01'), ctx);
    expect(c.status).toBe(500);
    expect(c.body).toContain('<Type>Receiver</Type><Code>InternalFailure</Code>');
    const u = await handleQuery(def, new URLSearchParams('Action=Nope&Version=2020-01-01'), ctx);
    expect(u.status).toBe(400);
    expect(u.body).toContain('<Code>InvalidAction</Code><Message>Could not find operation Nope for version 2020-01-01</Message>');
    const nv = await handleQuery(def, new URLSearchParams('Action=Echo'), ctx);
    expect(nv.body).toContain('Could not find operation Echo for version NO_VERSION_SPECIFIED');
  });

  test('queryError without a service has no namespace and honours queryCode', () => {
    const r = queryError(undefined, new AwsError('QueueDoesNotExist', 'x', 400, { queryCode: 'AWS.SimpleQueueService.NonExistentQueue' }), ctx);
    expect(r.body).toBe(
      '<ErrorResponse><Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>x</Message></Error><RequestId>req-1</RequestId></ErrorResponse>',
    );
  });
});
