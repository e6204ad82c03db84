/**
 * CloudFront's distribution API through @aws-sdk/client-cloudfront (REST-XML) on a started
 * embedded cloud: shapes, defaults, ETag / If-Match, Status on the virtual clock, paging, and
 * each bad input with CloudFront's code, status and text.
 */
import {
  CreateDistributionCommand,
  CreateDistributionWithTagsCommand,
  DeleteDistributionCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  ListDistributionsCommand,
  ListTagsForResourceCommand,
  UpdateDistributionCommand,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import { expectError } from './helpers';
import { minimalConfig, startCloudFront, type CfFixture } from './cloudfront-helpers';

let f: CfFixture;
beforeAll(async () => {
  f = await startCloudFront();
});
afterAll(async () => {
  await f.stop();
});

async function create(config: DistributionConfig = minimalConfig()) {
  return f.cf.send(new CreateDistributionCommand({ DistributionConfig: config }));
}

describe('CreateDistribution', () => {
  it('answers 201 with the distribution, an ETag and a Location, InProgress on a cloudfront.localhost domain', async () => {
    const out = await create();
    const d = out.Distribution!;
    expect(out.$metadata.httpStatusCode).toBe(201);
    expect(d.Id).toMatch(/^E[A-Z0-9]{13}$/);
    expect(d.ARN).toBe(`arn:aws:cloudfront::000000000000:distribution/${d.Id}`);
    expect(d.DomainName).toBe(`${d.Id!.toLowerCase()}.cloudfront.localhost`);
    expect(d.Status).toBe('InProgress');
    expect(d.InProgressInvalidationBatches).toBe(0);
    expect(d.LastModifiedTime).toBeInstanceOf(Date);
    expect(out.ETag).toMatch(/^E[A-Z0-9]{13}$/);
    expect(out.Location).toBe(`https://cloudfront.amazonaws.com/2020-05-31/distribution/${d.Id}`);
  });

  it('fills in the fields CloudFront defaults', async () => {
    const c = (await create()).Distribution!.DistributionConfig!;
    expect(c.Aliases).toEqual({ Quantity: 0 });
    expect(c.PriceClass).toBe('PriceClass_All');
    expect(c.HttpVersion).toBe('http2');
    expect(c.DefaultRootObject).toBe('');
    expect(c.Logging).toEqual({ Enabled: false, IncludeCookies: false, Bucket: '', Prefix: '' });
    expect(c.Origins!.Items![0]).toMatchObject({ OriginPath: '', ConnectionAttempts: 3, ConnectionTimeout: 10, OriginShield: { Enabled: false } });
    expect(c.Origins!.Items![0].CustomOriginConfig).toMatchObject({ OriginReadTimeout: 30, OriginKeepaliveTimeout: 5 });
    expect(c.DefaultCacheBehavior!.AllowedMethods).toEqual({ Quantity: 2, Items: ['HEAD', 'GET'], CachedMethods: { Quantity: 2, Items: ['HEAD', 'GET'] } });
    expect(c.DefaultCacheBehavior).toMatchObject({ MinTTL: 0, DefaultTTL: 86400, MaxTTL: 31536000, Compress: false });
  });

  it('refuses a CallerReference already used: DistributionAlreadyExists 409', async () => {
    const config = minimalConfig();
    const first = await create(config);
    await expectError(
      create(config),
      'DistributionAlreadyExists',
      `The caller reference that you are using to create a distribution is associated with another distribution. Already exists: ${first.Distribution!.Id}`,
      409,
    );
  });

  it('CreateDistributionWithTags keeps the tags (ListTagsForResource)', async () => {
    const out = await f.cf.send(
      new CreateDistributionWithTagsCommand({ DistributionConfigWithTags: { DistributionConfig: minimalConfig(), Tags: { Items: [{ Key: 'team', Value: 'edge' }] } } }),
    );
    expect(out.$metadata.httpStatusCode).toBe(201);
    const tags = await f.cf.send(new ListTagsForResourceCommand({ Resource: out.Distribution!.ARN }));
    expect(tags.Tags!.Items).toEqual([{ Key: 'team', Value: 'edge' }]);
  });
});

describe('GetDistribution and GetDistributionConfig', () => {
  it('answer the same config and ETag', async () => {
    const created = await create();
    const id = created.Distribution!.Id!;
    const got = await f.cf.send(new GetDistributionCommand({ Id: id }));
    const cfg = await f.cf.send(new GetDistributionConfigCommand({ Id: id }));
    expect(got.ETag).toBe(created.ETag);
    expect(cfg.ETag).toBe(created.ETag);
    expect(cfg.DistributionConfig).toEqual(created.Distribution!.DistributionConfig);
    expect(got.Distribution!.DistributionConfig).toEqual(created.Distribution!.DistributionConfig);
  });

  it('Status turns Deployed after the deployment time on the virtual clock', async () => {
    const id = (await create()).Distribution!.Id!;
    expect((await f.cf.send(new GetDistributionCommand({ Id: id }))).Distribution!.Status).toBe('InProgress');
    await f.cloud.cloud.clock.advanceBy(f.cloud.cloud.cloudfront.deployMs);
    expect((await f.cf.send(new GetDistributionCommand({ Id: id }))).Distribution!.Status).toBe('Deployed');
  });

  it('an unknown id is NoSuchDistribution 404', async () => {
    await expectError(f.cf.send(new GetDistributionCommand({ Id: 'E000000000000X' })), 'NoSuchDistribution', 'The specified distribution does not exist.', 404);
    await expectError(f.cf.send(new GetDistributionConfigCommand({ Id: 'E000000000000X' })), 'NoSuchDistribution', 'The specified distribution does not exist.', 404);
  });
});

describe('UpdateDistribution', () => {
  it('with the current ETag: a new ETag, the new config, InProgress again', async () => {
    const created = await create();
    const id = created.Distribution!.Id!;
    await f.cloud.cloud.clock.advanceBy(f.cloud.cloud.cloudfront.deployMs);
    const config = { ...created.Distribution!.DistributionConfig!, Comment: 'changed' };
    const out = await f.cf.send(new UpdateDistributionCommand({ Id: id, IfMatch: created.ETag, DistributionConfig: config }));
    expect(out.ETag).not.toBe(created.ETag);
    expect(out.Distribution!.Status).toBe('InProgress');
    expect(out.Distribution!.DistributionConfig!.Comment).toBe('changed');
    expect((await f.cf.send(new GetDistributionConfigCommand({ Id: id }))).ETag).toBe(out.ETag);
  });

  it('without If-Match: InvalidIfMatchVersion 400; with a stale one: PreconditionFailed 412', async () => {
    const created = await create();
    const id = created.Distribution!.Id!;
    const config = created.Distribution!.DistributionConfig!;
    await expectError(
      f.cf.send(new UpdateDistributionCommand({ Id: id, DistributionConfig: config })),
      'InvalidIfMatchVersion',
      'The If-Match version is missing or not valid for the resource.',
      400,
    );
    await f.cf.send(new UpdateDistributionCommand({ Id: id, IfMatch: created.ETag, DistributionConfig: config }));
    await expectError(
      f.cf.send(new UpdateDistributionCommand({ Id: id, IfMatch: created.ETag, DistributionConfig: config })),
      'PreconditionFailed',
      "The request failed because it didn't meet the preconditions in one or more request-header fields.",
      412,
    );
  });

  it('an unknown id is NoSuchDistribution; a changed CallerReference is IllegalUpdate', async () => {
    await expectError(f.cf.send(new UpdateDistributionCommand({ Id: 'E000000000000X', IfMatch: 'E1', DistributionConfig: minimalConfig() })), 'NoSuchDistribution', undefined, 404);
    const created = await create();
    await expectError(
      f.cf.send(new UpdateDistributionCommand({ Id: created.Distribution!.Id, IfMatch: created.ETag, DistributionConfig: minimalConfig() })),
      'IllegalUpdate',
      undefined,
      400,
    );
  });
});

describe('DeleteDistribution', () => {
  it('an enabled distribution, or one whose disable is still InProgress, is DistributionNotDisabled 409', async () => {
    const created = await create();
    const id = created.Distribution!.Id!;
    const msg = 'The distribution you are trying to delete has not been disabled.';
    await expectError(f.cf.send(new DeleteDistributionCommand({ Id: id, IfMatch: created.ETag })), 'DistributionNotDisabled', msg, 409);
    const disabled = await f.cf.send(
      new UpdateDistributionCommand({ Id: id, IfMatch: created.ETag, DistributionConfig: { ...created.Distribution!.DistributionConfig!, Enabled: false } }),
    );
    await expectError(f.cf.send(new DeleteDistributionCommand({ Id: id, IfMatch: disabled.ETag })), 'DistributionNotDisabled', msg, 409);
    await f.cloud.cloud.clock.advanceBy(f.cloud.cloud.cloudfront.deployMs);
    const out = await f.cf.send(new DeleteDistributionCommand({ Id: id, IfMatch: disabled.ETag }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    await expectError(f.cf.send(new GetDistributionCommand({ Id: id })), 'NoSuchDistribution', undefined, 404);
  });

  it('checks If-Match before the disabled state', async () => {
    const created = await create();
    const id = created.Distribution!.Id!;
    await expectError(f.cf.send(new DeleteDistributionCommand({ Id: id })), 'InvalidIfMatchVersion', undefined, 400);
    await expectError(f.cf.send(new DeleteDistributionCommand({ Id: id, IfMatch: 'EWRONG' })), 'PreconditionFailed', undefined, 412);
    await expectError(f.cf.send(new DeleteDistributionCommand({ Id: 'E000000000000X', IfMatch: 'E1' })), 'NoSuchDistribution', undefined, 404);
  });
});

describe('ListDistributions', () => {
  it('pages with MaxItems and NextMarker, summaries carrying ETag and Status', async () => {
    for (let i = 0; i < 3; i++) await create();
    const all = await f.cf.send(new ListDistributionsCommand({}));
    const total = all.DistributionList!.Quantity!;
    expect(total).toBeGreaterThanOrEqual(3);
    expect(all.DistributionList!.IsTruncated).toBe(false);
    expect(all.DistributionList!.MaxItems).toBe(100);
    const first = all.DistributionList!.Items![0];
    expect(first).toMatchObject({ Id: expect.stringMatching(/^E/), ETag: expect.stringMatching(/^E/), Comment: 'test', Enabled: true });
    const page1 = await f.cf.send(new ListDistributionsCommand({ MaxItems: 2 }));
    expect(page1.DistributionList).toMatchObject({ Quantity: 2, IsTruncated: true, MaxItems: 2, Marker: '' });
    const page2 = await f.cf.send(new ListDistributionsCommand({ MaxItems: 100, Marker: page1.DistributionList!.NextMarker }));
    expect(page2.DistributionList!.Quantity).toBe(total - 2);
    expect(page2.DistributionList!.Items![0].Id).toBe(all.DistributionList!.Items![2].Id);
  });

  it('a MaxItems that is not a number is InvalidArgument', async () => {
    await expectError(f.cf.send(new ListDistributionsCommand({ MaxItems: 'ten' as never })), 'InvalidArgument', undefined, 400);
  });
});
