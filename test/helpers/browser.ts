import { existsSync } from 'node:fs';

/** Debian's Chromium; `npm test` installs it when it can (scripts/bootstrap.mjs). */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`Chromium not found at ${path}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  return path;
}

// Headless in a closed network: without the background-networking flags Chromium keeps
// trying to reach Google's hosts.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
