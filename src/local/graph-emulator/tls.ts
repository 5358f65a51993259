import selfsigned from 'selfsigned';

export interface TlsMaterial {
  key: string;
  cert: string;
}

/**
 * A fresh self-signed certificate for 127.0.0.1/localhost. The Graph client only treats https:// URLs as absolute
 * (and only sends tokens to them), so the emulator must speak TLS; clients trust this certificate explicitly.
 */
export async function generateLocalCertificate(): Promise<TlsMaterial> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 30 * 86_400_000);
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'PlanPulse Graph emulator' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
