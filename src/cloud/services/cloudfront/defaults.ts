/**
 * The fields CloudFront fills in when a DistributionConfig leaves them out, so that Get answers the
 * whole config as AWS does [obs: GetDistributionConfig answers captured in public bug reports
 * (aws-nuke 122, terraform-provider-aws 27147): empty lists as `<Quantity>0</Quantity>`, Logging
 * disabled, PriceClass_All, the default certificate, ConnectionAttempts 3, ConnectionTimeout 10,
 * OriginShield disabled, AllowedMethods HEAD and GET, TTLs 0 / 86400 / 31536000 with ForwardedValues].
 */
import type { CacheBehavior, DefaultCacheBehavior, DistributionConfig, Origin } from '@aws-sdk/client-cloudfront';

const empty = () => ({ Quantity: 0 });

export function withDefaults(input: DistributionConfig): DistributionConfig {
  const c = structuredClone(input);
  dropEmptyItems(c);
  c.Aliases ??= empty();
  c.DefaultRootObject ??= '';
  c.OriginGroups ??= empty();
  c.CacheBehaviors ??= empty();
  c.CustomErrorResponses ??= empty();
  c.Logging ??= { Enabled: false, IncludeCookies: false, Bucket: '', Prefix: '' };
  c.PriceClass ??= 'PriceClass_All';
  c.ViewerCertificate ??= { CloudFrontDefaultCertificate: true, SSLSupportMethod: 'vip', MinimumProtocolVersion: 'TLSv1', CertificateSource: 'cloudfront' };
  c.Restrictions ??= { GeoRestriction: { RestrictionType: 'none', Quantity: 0 } };
  c.WebACLId ??= '';
  c.HttpVersion ??= 'http2';
  c.IsIPV6Enabled ??= false;
  c.ContinuousDeploymentPolicyId ??= '';
  c.Staging ??= false;
  for (const o of c.Origins?.Items ?? []) originDefaults(o);
  if (c.DefaultCacheBehavior) behaviorDefaults(c.DefaultCacheBehavior);
  for (const b of c.CacheBehaviors.Items ?? []) behaviorDefaults(b);
  return c;
}

/** An empty list is answered as `<Quantity>0</Quantity>` alone, whether or not `<Items/>` was sent. */
function dropEmptyItems(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    node.forEach(dropEmptyItems);
    return;
  }
  const o = node as Record<string, unknown>;
  if (o.Quantity === 0 && Array.isArray(o.Items) && o.Items.length === 0) delete o.Items;
  for (const v of Object.values(o)) dropEmptyItems(v);
}

function originDefaults(o: Origin): void {
  o.OriginPath ??= '';
  o.CustomHeaders ??= empty();
  o.ConnectionAttempts ??= 3;
  o.ConnectionTimeout ??= 10;
  o.OriginShield ??= { Enabled: false };
  o.OriginAccessControlId ??= '';
  const custom = o.CustomOriginConfig;
  if (custom) {
    custom.OriginSslProtocols ??= { Quantity: 3, Items: ['TLSv1', 'TLSv1.1', 'TLSv1.2'] };
    custom.OriginReadTimeout ??= 30;
    custom.OriginKeepaliveTimeout ??= 5;
  }
}

function behaviorDefaults(b: DefaultCacheBehavior | CacheBehavior): void {
  b.TrustedSigners ??= { Enabled: false, Quantity: 0 };
  b.TrustedKeyGroups ??= { Enabled: false, Quantity: 0 };
  b.AllowedMethods ??= { Quantity: 2, Items: ['HEAD', 'GET'] };
  b.AllowedMethods.CachedMethods ??= { Quantity: 2, Items: ['HEAD', 'GET'] };
  b.SmoothStreaming ??= false;
  b.Compress ??= false;
  b.LambdaFunctionAssociations ??= empty();
  for (const a of b.LambdaFunctionAssociations.Items ?? []) a.IncludeBody ??= false;
  b.FunctionAssociations ??= empty();
  b.FieldLevelEncryptionId ??= '';
  if (b.ForwardedValues) {
    b.ForwardedValues.Headers ??= empty();
    b.ForwardedValues.QueryStringCacheKeys ??= empty();
    b.MinTTL ??= 0;
    b.DefaultTTL ??= 86400;
    b.MaxTTL ??= 31536000;
  }
}
