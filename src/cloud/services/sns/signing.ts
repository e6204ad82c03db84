/**
 * Message signatures. The cloud makes one RSA key and self-signed certificate per process, the first
 * time something is signed (or the certificate is asked for), and serves the certificate's PEM at
 * the SigningCertURL `<endpoint>/_testbed/sns/SimpleNotificationService-<hash>.pem`, so a receiver
 * can verify a message exactly as it would on AWS [doc]:
 *
 *   Notification                     Message, MessageId, Subject (when set), Timestamp, TopicArn, Type
 *   SubscriptionConfirmation,        Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type
 *   UnsubscribeConfirmation
 *
 * each as "<Name>\n<value>\n", concatenated; SignatureVersion 1 signs with SHA1withRSA, 2 with
 * SHA256withRSA; the signature is base64.
 */
import { createHash, createPrivateKey, createSign, type KeyObject } from 'node:crypto';
import type { RawResponse } from '../../protocols/types';

interface KeyMaterial {
  privateKey: KeyObject;
  certPem: string;
  /** The <hash> of the certificate's file name. */
  hash: string;
}

let material: Promise<KeyMaterial> | undefined;

async function generate(): Promise<KeyMaterial> {
  // Loaded on first use: the certificate library takes ~100 ms to load, which the cloud's start should not pay.
  const { generate: selfSigned } = (await import('selfsigned')) as typeof import('selfsigned');
  const pems = await selfSigned([{ name: 'commonName', value: 'sns.amazonaws.com' }], {
    keySize: 2048,
    algorithm: 'sha256',
    // A fixed validity that covers any virtual time a run may reach (no wall clock involved).
    notBeforeDate: new Date(Date.UTC(2020, 0, 1)),
    notAfterDate: new Date(Date.UTC(2099, 11, 31)),
  });
  const hash = createHash('sha256').update(pems.cert).digest('hex').slice(0, 32);
  return { privateKey: createPrivateKey(pems.private), certPem: pems.cert, hash };
}

/** The process's signing key and certificate (made on first use). */
export function signingMaterial(): Promise<KeyMaterial> {
  material ??= generate().catch((e: unknown) => {
    material = undefined;
    throw e;
  });
  return material;
}

export const CERT_PATH_PREFIX = '/_testbed/sns/SimpleNotificationService-';

export function signingCertUrl(endpoint: string, hash: string): string {
  return `${endpoint}${CERT_PATH_PREFIX}${hash}.pem`;
}

/** The canonical string of a message: its signed fields, present ones only, in AWS's order. */
export function stringToSign(fields: Record<string, string | undefined | null>): string {
  const names =
    fields.Type === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  let out = '';
  for (const n of names) {
    const v = fields[n];
    if (v !== undefined && v !== null) out += `${n}\n${v}\n`;
  }
  return out;
}

/** Sign the message's canonical string with SHA1withRSA (version "1") or SHA256withRSA ("2"). */
export async function signMessage(
  fields: Record<string, string | undefined | null>,
  version: string,
  endpoint: string,
): Promise<{ signature: string; certUrl: string }> {
  const m = await signingMaterial();
  const signature = createSign(version === '2' ? 'RSA-SHA256' : 'RSA-SHA1').update(stringToSign(fields), 'utf8').sign(m.privateKey, 'base64');
  return { signature, certUrl: signingCertUrl(endpoint, m.hash) };
}

/** GET <CERT_PATH_PREFIX><hash>.pem: the certificate, or undefined when the path names another. */
export async function snsCertificateResponse(path: string): Promise<RawResponse | undefined> {
  const m = /^\/_testbed\/sns\/SimpleNotificationService-([0-9a-f]+)\.pem$/.exec(path);
  if (!m) return undefined;
  const km = await signingMaterial();
  if (m[1] !== km.hash) return undefined;
  return { status: 200, headers: { 'content-type': 'application/x-x509-ca-cert' }, body: km.certPem };
}
