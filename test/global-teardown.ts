import type { TestStack } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as { __flowlineStack?: TestStack }).__flowlineStack;
  if (!stack) return;
  await stack.temporal.stop();
  await stack.dropDatabase?.();
  await stack.pg.stop();
}
