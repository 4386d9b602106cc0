/*
 * Failure messages and stack traces are plain text in Temporal's history by default, and ours
 * can quote what they failed on (a contact, a provider's answer). With this converter they
 * travel as an encoded payload instead, which the payload codec encrypts (under the platform
 * key: a failure names no organization). Workers load it by path, in the workflow sandbox as
 * well (`failureConverterPath`, also given to bundleWorkflowCode for a pre-built bundle).
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });

/** For `dataConverter.failureConverterPath` and `bundleWorkflowCode({ failureConverterPath })`. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');
