/**
 * The Layers member of CreateFunction and UpdateFunctionConfiguration: the business rules AWS applies
 * after the model's constraints (constraints.ts), with its texts [rec], and the 250 MB limit on the
 * function's code and its layers unpacked together [doc]. AWS does not refuse a layer whose
 * CompatibleRuntimes or CompatibleArchitectures leave out the function's: those lists only filter
 * ListLayers and ListLayerVersions [doc], so neither is checked here.
 */
import { readFileSync } from 'node:fs';
import { AwsError } from '../../errors';
import { MAX_UNZIPPED_BYTES } from '../code';
import type { LayerRef } from '../model';
import { unzippedSize } from '../zip';
import { type LayerStore, parseLayerVersionArn } from './store';

export type { LayerRef };

/** [doc] At most five layers per function. */
export const MAX_LAYERS = 5;

const invalid = (message: string) => new AwsError('InvalidParameterValueException', message);

/**
 * Resolve a (model-checked) Layers list in the function's region: undefined when the member is
 * absent, [] to remove every layer.
 */
export function resolveLayers(store: LayerStore, where: { accountId: string; region: string }, raw: unknown): LayerRef[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  const arns = raw as string[];
  if (arns.length > MAX_LAYERS) throw invalid(`Cannot reference more than ${MAX_LAYERS} layers.`);
  const parsed = arns.map((arn) => ({ arn, p: parseLayerVersionArn(arn) }));
  for (const { p } of parsed) {
    if (p && p.region !== where.region) {
      throw invalid(`Layers are not in the same region as the function. Layers are expected to be in region ${where.region}.`);
    }
  }
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      const a = parsed[i].p;
      const b = parsed[j].p;
      if (a && b && a.accountId === b.accountId && a.name === b.name) {
        throw invalid(
          `Two different versions of the same layer are not allowed to be referenced in the same function. ${parsed[i].arn} and ${parsed[j].arn} are versions of the same layer.`,
        );
      }
    }
  }
  return parsed.map(({ arn }) => {
    const v = store.byArn(arn);
    if (!v) throw invalid(`Layer version ${arn} does not exist.`);
    return { arn, codeSize: v.codeSize, unzippedSize: v.unzippedSize, zipPath: v.zipPath };
  });
}

/** The unpacked size of a stored function zip (0 when unreadable). */
export function functionUnzippedSize(zipPath: string): number {
  try {
    return unzippedSize(readFileSync(zipPath));
  } catch {
    return 0;
  }
}

/**
 * [doc] "Function code combined with layers exceeds the maximum allowed size of 262144000 bytes.
 * The actual size is N bytes." (InvalidParameterValueException)
 */
export function checkCombinedSize(codeUnzipped: number, layers: LayerRef[] | undefined): void {
  if (!layers || layers.length === 0) return;
  const total = layers.reduce((sum, l) => sum + l.unzippedSize, codeUnzipped);
  if (total > MAX_UNZIPPED_BYTES) {
    throw invalid(`Function code combined with layers exceeds the maximum allowed size of ${MAX_UNZIPPED_BYTES} bytes. The actual size is ${total} bytes.`);
  }
}
