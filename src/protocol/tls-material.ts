/**
 * TLS and RSA key material, created on first start like MySQL's auto_generate_certs.
 * @spec https://dev.mysql.com/doc/refman/8.0/en/creating-ssl-rsa-files-using-mysql.html
 * @req CORE-PROTO-040
 */
export interface TlsMaterial {
  key: string;
  cert: string;
  ca: string;
  rsaPrivate: string;
  rsaPublic: string;
}

/** @req CORE-PROTO-040 */
export async function ensureTlsMaterial(datadir: string): Promise<TlsMaterial> {
  throw new Error(`ensureTlsMaterial(${datadir}): not implemented yet`);
}
