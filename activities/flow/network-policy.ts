import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

// Flows run tenants' URLs inside our network: by default they may not reach loopback, private,
// link-local (cloud metadata) or otherwise internal addresses.
// Two lists: Node's BlockList matches IPv4 addresses against IPv4-mapped IPv6 ranges too.
const blockedV4 = new BlockList();
const blockedV6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) {
  blockedV4.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
  blockedV6.addSubnet(net, prefix, 'ipv6');
}

function isBlocked(address: string, family: number): boolean {
  if (family === 4) return blockedV4.check(address, 'ipv4');
  // ::ffff:a.b.c.d is an IPv4 address in IPv6 clothing: judge the IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blockedV4.check(mapped[1]!, 'ipv4');
  // The same, as URL parsing writes it: ::ffff:7f00:1 is 127.0.0.1.
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const [hi, lo] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
    return blockedV4.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
  }
  return blockedV6.check(address, 'ipv6');
}

/** Answers why the URL may not be called, or undefined when it may. */
export async function refusedDestination(url: URL, allowPrivate: boolean): Promise<string | undefined> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `only http and https URLs are allowed (got ${url.protocol})`;
  if (allowPrivate) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true });
  for (const { address, family } of addresses) {
    if (isBlocked(address, family)) return `${url.hostname} resolves to an internal address (${address})`;
  }
  return undefined;
}
