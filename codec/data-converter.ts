/*
 * The data converter every Temporal client and worker of Flowline uses once
 * FLOWLINE_ENCRYPTION_KEY is set: payloads encrypted with their organization's data key
 * (codec/payload-codec.ts), failure messages and stack traces carried as encrypted payloads
 * too (codec/failure-converter.ts). All clients and workers of a namespace must use it together.
 */
import type { DataConverter } from '@temporalio/common';
import type { Sql } from '../db/client';
import type { KeyRing } from '../db/secrets';
import { FAILURE_CONVERTER_PATH } from './failure-converter';
import { DataKeyStore } from './keys';
import { OrgPayloadCodec, orgFromWorkflowId } from './payload-codec';

export function payloadCodec(sql: Sql, ring: KeyRing): OrgPayloadCodec {
  return new OrgPayloadCodec(new DataKeyStore({ sql, ring }), { orgFromContext: orgFromWorkflowId });
}

export function encryptedDataConverter(codec: OrgPayloadCodec): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath: FAILURE_CONVERTER_PATH };
}
