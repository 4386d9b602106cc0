export { startFakeS3, type FakeS3, type FakeS3Options, type FakeObject } from './server';
export { S3Error } from './errors';
