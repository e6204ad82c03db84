/**
 * Layers and their versions, per account and region. A version's content is its zip, stored
 * content-addressed under `<dataDir>/layers/<sha256>.zip` and unpacked only when a function uses it
 * (runtime/opt.ts), so publishing and refusing oversized combinations cost no unpacking. Deleting a
 * version keeps the zip: functions that reference it keep working, as on AWS.
 */
import { randomUUID } from 'node:crypto';

/** One statement of a layer version's resource policy, as AWS writes it. */
export interface LayerStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: unknown;
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface LayerVersion {
  layerName: string;
  /** Unversioned layer ARN. */
  layerArn: string;
  version: number;
  /** Versioned ARN. */
  arn: string;
  description: string;
  licenseInfo?: string;
  /** As published: undefined when not given (AWS then leaves the member out), [] when given empty. */
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  createdDate: number;
  /** Base64 sha256 of the zip. */
  codeSha256: string;
  /** Zip size in bytes. */
  codeSize: number;
  /** The files' total uncompressed size. */
  unzippedSize: number;
  zipPath: string;
  statements: LayerStatement[];
  /** The policy's revision (every add or remove gives a new one). */
  policyRevision: string;
}

export interface Layer {
  name: string;
  accountId: string;
  region: string;
  arn: string;
  /** Version numbers keep counting after versions are deleted. */
  nextVersion: number;
  versions: Map<number, LayerVersion>;
}

export interface Where {
  accountId: string;
  region: string;
}

export function layerArn(where: Where, name: string): string {
  return `arn:aws:lambda:${where.region}:${where.accountId}:layer:${name}`;
}

/** A versioned layer ARN taken apart (undefined for any other string, awslayer ARNs included). */
export function parseLayerVersionArn(arn: string): { region: string; accountId: string; name: string; version: number } | undefined {
  const m = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):layer:([a-zA-Z0-9-_]+):([0-9]+)$/.exec(arn);
  if (!m) return undefined;
  return { region: m[1], accountId: m[2], name: m[3], version: Number(m[4]) };
}

export class LayerStore {
  private readonly layers = new Map<string, Layer>();

  private key(where: Where, name: string): string {
    return `${where.accountId}/${where.region}/${name}`;
  }

  get(where: Where, name: string): Layer | undefined {
    return this.layers.get(this.key(where, name));
  }

  version(where: Where, name: string, version: number): LayerVersion | undefined {
    return this.get(where, name)?.versions.get(version);
  }

  /** The version a versioned ARN names, in its own account and region. */
  byArn(arn: string): LayerVersion | undefined {
    const p = parseLayerVersionArn(arn);
    return p ? this.version(p, p.name, p.version) : undefined;
  }

  /** Add the next version of a layer (created on its first version). */
  add(where: Where, name: string, fields: Omit<LayerVersion, 'layerName' | 'layerArn' | 'version' | 'arn' | 'statements' | 'policyRevision'>): LayerVersion {
    let layer = this.get(where, name);
    if (!layer) {
      layer = { name, accountId: where.accountId, region: where.region, arn: layerArn(where, name), nextVersion: 1, versions: new Map() };
      this.layers.set(this.key(where, name), layer);
    }
    const version = layer.nextVersion++;
    const v: LayerVersion = {
      ...fields,
      layerName: name,
      layerArn: layer.arn,
      version,
      arn: `${layer.arn}:${version}`,
      statements: [],
      policyRevision: randomUUID(),
    };
    layer.versions.set(version, v);
    return v;
  }

  delete(where: Where, name: string, version: number): void {
    this.get(where, name)?.versions.delete(version);
  }

  /** The layers of a region, by name. */
  list(where: Where): Layer[] {
    const prefix = `${where.accountId}/${where.region}/`;
    return [...this.layers.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .map(([, l]) => l)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The zip of a layer version (GetLayerVersion's Content.Location). */
  zipPath(where: Where, name: string, version: number): string | undefined {
    return this.version(where, name, version)?.zipPath;
  }

  clear(): void {
    this.layers.clear();
  }
}
