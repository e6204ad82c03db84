/**
 * Distributions: ids (`E` + 13 upper-case letters and digits, as CloudFront's), ARNs, domain names
 * under `.cloudfront.localhost`, one ETag per config version, and the InProgress -> Deployed
 * transition on the virtual clock after every create or update (CloudFront takes minutes; here it
 * is `deployMs`, short by default and adjustable).
 */
import { randomInt } from 'node:crypto';
import type { DistributionConfig, Tag } from '@aws-sdk/client-cloudfront';
import type { Clock } from '../../clock';
import { ACCOUNT_ID } from '../../protocols/types';
import { distributionAlreadyExists, distributionNotDisabled, illegalUpdate, invalidIfMatchVersion, noSuchDistribution, preconditionFailed } from './errors';
import { DOMAIN_SUFFIX, type DistributionRecord } from './types';

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function newDistributionId(): string {
  let s = 'E';
  for (let i = 0; i < 13; i++) s += ID_CHARS[randomInt(ID_CHARS.length)];
  return s;
}

export class CloudFrontStore {
  readonly distributions = new Map<string, DistributionRecord>();
  /** Virtual ms a distribution stays InProgress after a change. */
  deployMs = 2_000;

  constructor(
    readonly clock: Clock,
    readonly accountId = ACCOUNT_ID,
  ) {}

  get(id: string): DistributionRecord {
    const d = this.distributions.get(id);
    if (!d) throw noSuchDistribution();
    return d;
  }

  /** The distribution a viewer reaches at `<id>.cloudfront.localhost` (host without port, lower-case). */
  byHost(host: string): DistributionRecord | undefined {
    if (!host.endsWith(DOMAIN_SUFFIX)) return undefined;
    const id = host.slice(0, -DOMAIN_SUFFIX.length).toUpperCase();
    return this.distributions.get(id);
  }

  create(config: DistributionConfig, tags: Tag[] = []): DistributionRecord {
    for (const d of this.distributions.values()) {
      if (d.config.CallerReference === config.CallerReference) throw distributionAlreadyExists(d.id);
    }
    let id = newDistributionId();
    while (this.distributions.has(id)) id = newDistributionId();
    const d: DistributionRecord = {
      id,
      arn: `arn:aws:cloudfront::${this.accountId}:distribution/${id}`,
      domainName: `${id.toLowerCase()}${DOMAIN_SUFFIX}`,
      config,
      status: 'InProgress',
      lastModified: this.clock.now(),
      etag: newDistributionId(),
      tags,
    };
    this.distributions.set(id, d);
    this.startDeploy(d);
    return d;
  }

  /** If-Match rules: present (InvalidIfMatchVersion), then the current ETag (PreconditionFailed). */
  checkIfMatch(d: DistributionRecord, ifMatch: string | undefined): void {
    if (!ifMatch) throw invalidIfMatchVersion();
    if (ifMatch !== d.etag) throw preconditionFailed();
  }

  update(id: string, config: DistributionConfig, ifMatch: string | undefined): DistributionRecord {
    const d = this.get(id);
    this.checkIfMatch(d, ifMatch);
    if (config.CallerReference !== d.config.CallerReference) throw illegalUpdate();
    d.config = config;
    d.etag = newDistributionId();
    d.lastModified = this.clock.now();
    this.startDeploy(d);
    return d;
  }

  /** Only a disabled distribution whose change has been deployed can be deleted. */
  delete(id: string, ifMatch: string | undefined): void {
    const d = this.get(id);
    this.checkIfMatch(d, ifMatch);
    if (d.config.Enabled !== false || d.status !== 'Deployed') throw distributionNotDisabled();
    d.deploy?.cancel();
    this.distributions.delete(id);
  }

  /** In creation order, after `marker` (an id), at most `max`. */
  list(marker: string | undefined, max: number): { items: DistributionRecord[]; truncated: boolean } {
    const all = [...this.distributions.values()];
    const start = marker ? all.findIndex((d) => d.id === marker) + 1 : 0;
    const items = all.slice(start, start + max);
    return { items, truncated: start + max < all.length };
  }

  clear(): void {
    for (const d of this.distributions.values()) d.deploy?.cancel();
    this.distributions.clear();
  }

  private startDeploy(d: DistributionRecord): void {
    d.deploy?.cancel();
    d.status = 'InProgress';
    d.deploy = this.clock.setTimeout(() => {
      d.status = 'Deployed';
      d.deploy = undefined;
    }, this.deployMs);
  }
}
