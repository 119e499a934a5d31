/**
 * Building and signing X.509 v3 certificates with node:crypto keys, enough for the CA,
 * server and client certificates MySQL generates at first start.
 *
 * @spec https://www.rfc-editor.org/rfc/rfc5280
 * @req CORE-PROTO-040
 */
import { createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { bitString, boolean, explicit, integer, nullValue, octetString, oid, sequence, set, time, utf8String } from './asn1-der.js';

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const COMMON_NAME = '2.5.4.3';
const BASIC_CONSTRAINTS = '2.5.29.19';

export interface CertificateRequest {
  subjectCN: string;
  issuerCN: string;
  /** Public key of the certificate's subject. */
  subjectKey: KeyObject;
  /** Private key that signs (the issuer's). */
  issuerKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  isCA: boolean;
  serial?: bigint;
}

function name(cn: string): Buffer {
  return sequence(set(sequence(oid(COMMON_NAME), utf8String(cn))));
}

function algorithm(): Buffer {
  return sequence(oid(SHA256_WITH_RSA), nullValue());
}

/** DER of a signed certificate. @req CORE-PROTO-040 */
export function buildCertificate(r: CertificateRequest): Buffer {
  const spki = createPublicKey(r.subjectKey).export({ type: 'spki', format: 'der' });
  const serial = r.serial ?? BigInt('0x' + randomBytes(8).toString('hex')) + 1n;
  const extensions = explicit(3, sequence(sequence(oid(BASIC_CONSTRAINTS), boolean(true), octetString(sequence(...(r.isCA ? [boolean(true)] : []))))));
  const tbs = sequence(
    explicit(0, integer(2n)),
    integer(serial),
    algorithm(),
    name(r.issuerCN),
    sequence(time(r.notBefore), time(r.notAfter)),
    name(r.subjectCN),
    spki,
    extensions,
  );
  const signature = sign('sha256', tbs, r.issuerKey);
  return sequence(tbs, algorithm(), bitString(signature));
}

/** PEM armour for a DER certificate. */
export function certificatePem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}
