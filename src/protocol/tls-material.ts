/**
 * TLS and RSA key material in the data directory, created on first start the way MySQL's
 * auto_generate_certs and sha256_password_auto_generate_rsa_keys do: a self-signed CA, a
 * server and a client certificate signed by it, and an RSA key pair for exchanging
 * caching_sha2_password passwords over unencrypted connections. Existing files are loaded,
 * never overwritten.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/creating-ssl-rsa-files-using-mysql.html
 * @req CORE-PROTO-040
 */
import { createPrivateKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildCertificate, certificatePem } from './x509.js';

export interface TlsMaterial {
  /** server-key.pem */
  key: string;
  /** server-cert.pem */
  cert: string;
  /** ca.pem */
  ca: string;
  /** private_key.pem */
  rsaPrivate: string;
  /** public_key.pem */
  rsaPublic: string;
}

/** The file names MySQL uses in the data directory. */
export const TLS_FILES = {
  ca: 'ca.pem',
  caKey: 'ca-key.pem',
  serverCert: 'server-cert.pem',
  serverKey: 'server-key.pem',
  clientCert: 'client-cert.pem',
  clientKey: 'client-key.pem',
  rsaPrivate: 'private_key.pem',
  rsaPublic: 'public_key.pem',
} as const;

/** Key size of generated RSA keys (MySQL uses 2048 bits). @req CORE-PROTO-040 */
const RSA_BITS = 2048;
/** Validity of generated certificates: ten years, as MySQL does. @req CORE-PROTO-040 */
const CERT_VALIDITY_DAYS = 3650;

const generateKeyPairAsync = promisify(generateKeyPair);

async function newRsaKey(): Promise<{ privatePem: string; publicPem: string; key: KeyObject }> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: RSA_BITS,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privatePem: privateKey, publicPem: publicKey, key: createPrivateKey(privateKey) };
}

async function writeNew(path: string, content: string, mode: number): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, content, { mode });
  await rename(tmp, path);
}

/**
 * Load the key material from `datadir`, creating whatever is missing: the SSL set when no
 * CA/server files exist, the RSA pair when neither RSA file exists.
 * @req CORE-PROTO-040
 */
export async function ensureTlsMaterial(datadir: string, version = '8.0.40'): Promise<TlsMaterial> {
  await mkdir(datadir, { recursive: true });
  const f = (name: string): string => join(datadir, name);
  const sslPresent = [TLS_FILES.ca, TLS_FILES.serverCert, TLS_FILES.serverKey].some((n) => existsSync(f(n)));
  if (!sslPresent) {
    const prefix = `MySQL_Server_${version.replace(/-.*/, '')}_Auto_Generated`;
    const [ca, server, client] = await Promise.all([newRsaKey(), newRsaKey(), newRsaKey()]);
    const notBefore = new Date(Date.now() - 60_000);
    const notAfter = new Date(notBefore.getTime() + CERT_VALIDITY_DAYS * 86_400_000);
    const caCN = `${prefix}_CA_Certificate`;
    const caCert = buildCertificate({ subjectCN: caCN, issuerCN: caCN, subjectKey: ca.key, issuerKey: ca.key, notBefore, notAfter, isCA: true, serial: 1n });
    const serverCert = buildCertificate({ subjectCN: `${prefix}_Server_Certificate`, issuerCN: caCN, subjectKey: server.key, issuerKey: ca.key, notBefore, notAfter, isCA: false, serial: 2n });
    const clientCert = buildCertificate({ subjectCN: `${prefix}_Client_Certificate`, issuerCN: caCN, subjectKey: client.key, issuerKey: ca.key, notBefore, notAfter, isCA: false, serial: 3n });
    await writeNew(f(TLS_FILES.caKey), ca.privatePem, 0o600);
    await writeNew(f(TLS_FILES.serverKey), server.privatePem, 0o600);
    await writeNew(f(TLS_FILES.clientKey), client.privatePem, 0o600);
    await writeNew(f(TLS_FILES.ca), certificatePem(caCert), 0o644);
    await writeNew(f(TLS_FILES.serverCert), certificatePem(serverCert), 0o644);
    await writeNew(f(TLS_FILES.clientCert), certificatePem(clientCert), 0o644);
  }
  const rsaPresent = existsSync(f(TLS_FILES.rsaPrivate)) || existsSync(f(TLS_FILES.rsaPublic));
  if (!rsaPresent) {
    const rsa = await newRsaKey();
    await writeNew(f(TLS_FILES.rsaPrivate), rsa.privatePem, 0o600);
    await writeNew(f(TLS_FILES.rsaPublic), rsa.publicPem, 0o644);
  }
  const read = (n: string): Promise<string> => readFile(f(n), 'utf8');
  const [key, cert, ca, rsaPrivate, rsaPublic] = await Promise.all([
    read(TLS_FILES.serverKey),
    read(TLS_FILES.serverCert),
    read(TLS_FILES.ca),
    read(TLS_FILES.rsaPrivate),
    read(TLS_FILES.rsaPublic),
  ]);
  return { key, cert, ca, rsaPrivate, rsaPublic };
}
