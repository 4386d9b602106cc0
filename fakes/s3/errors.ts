import { randomBytes } from 'node:crypto';

/*
 * S3 answers errors as an XML document: `<Error><Code/><Message/>...<RequestId/><HostId/></Error>`,
 * with extra elements per code (Key for NoSuchKey, StringToSign for SignatureDoesNotMatch...).
 * The SDK reads the Code element into the error's `name`, so the codes here are S3's own.
 */
export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, string> = {},
  ) {
    super(message);
  }
}

const escapeXml = (text: string) =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);

export function requestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

export function errorXml(error: S3Error, id: string): string {
  const details = Object.entries(error.details)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message>${details}` +
    `<RequestId>${id}</RequestId><HostId>${randomBytes(24).toString('base64')}</HostId></Error>`
  );
}
