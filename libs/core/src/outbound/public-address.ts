import dns from 'node:dns';
import net from 'node:net';

/**
 * SSRF guard for user-supplied URLs (webhook accounts). A URL must be http(s), carry no credentials,
 * and every address its host resolves to must be public. Checking at save time is not enough: DNS can
 * change between the check and the request (rebinding), so the HTTP client must also connect through
 * `publicOnlyLookup`, which applies the same rule to the addresses it actually connects to.
 */

export type UnsafeUrlReason =
  'invalid_url' | 'unsupported_scheme' | 'credentials_in_url' | 'unresolvable_host' | 'non_public_address';

export type AddressCategory =
  'loopback' | 'private' | 'link_local' | 'unspecified' | 'shared' | 'multicast' | 'reserved';

export class UnsafeUrlError extends Error {
  /** Lets network-level callers (undici, http.Agent) tell this refusal from an ordinary socket error. */
  readonly code = 'ERR_UNSAFE_URL';
  constructor(
    readonly reason: UnsafeUrlReason,
    message: string,
    readonly address?: string,
  ) {
    super(message);
    this.name = 'UnsafeUrlError';
  }
}

export interface PublicUrlOptions {
  /** Development and tests (loopback fakes) only: skips the address checks, keeps scheme and credential checks. */
  allowPrivate: boolean;
  /** Injected resolver for tests; defaults to dns.promises.lookup. */
  lookup?: typeof dns.promises.lookup;
}

function blockList(v4: string[], v6: string[] = []): net.BlockList {
  const list = new net.BlockList();
  for (const cidr of v4) list.addSubnet(cidr.split('/')[0], Number(cidr.split('/')[1]), 'ipv4');
  for (const cidr of v6) list.addSubnet(cidr.split('/')[0], Number(cidr.split('/')[1]), 'ipv6');
  return list;
}

// Ordered: the first matching category names the refusal. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d)
// match the IPv4 rules too, as net.BlockList compares them as IPv4.
const CATEGORIES: Array<[AddressCategory, net.BlockList]> = [
  ['unspecified', blockList(['0.0.0.0/8'], ['::/128'])],
  ['loopback', blockList(['127.0.0.0/8'], ['::1/128'])],
  ['private', blockList(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'], ['fc00::/7'])],
  ['link_local', blockList(['169.254.0.0/16'], ['fe80::/10'])],
  ['shared', blockList(['100.64.0.0/10'])],
  ['multicast', blockList(['224.0.0.0/4'], ['ff00::/8'])],
  [
    'reserved',
    blockList(
      // IETF protocol assignments, TEST-NETs, 6to4 relay, benchmarking, 240/4 (incl. broadcast).
      [
        '192.0.0.0/24',
        '192.0.2.0/24',
        '192.88.99.0/24',
        '198.18.0.0/15',
        '198.51.100.0/24',
        '203.0.113.0/24',
        '240.0.0.0/4',
      ],
      // IPv4-compatible (deprecated), discard, NAT64 local-use, IETF (Teredo, ORCHID), documentation,
      // 6to4 (embeds an arbitrary IPv4 address), site-local (deprecated).
      [
        '::/96',
        '100::/64',
        '64:ff9b:1::/48',
        '2001::/23',
        '2001:db8::/32',
        '2002::/16',
        '3fff::/20',
        'fec0::/10',
      ],
    ),
  ],
];
// Only 2000::/3 is global unicast; anything else not caught above is still not a place to send webhooks.
const GLOBAL_UNICAST_V6 = blockList([], ['2000::/3']);
const NAT64_PREFIX = blockList([], ['64:ff9b::/96']);
const IPV4_MAPPED = blockList([], ['::ffff:0:0/96']);

/** Why `address` (an IP literal) is not public, or null when it is. */
export function classifyAddress(address: string): AddressCategory | null {
  let bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = net.isIP(bare);
  if (family === 0) return 'reserved';
  // Canonical compressed form (as a URL host would be), so the embedded-IPv4 arithmetic below holds.
  if (family === 6) bare = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  if (family === 6 && NAT64_PREFIX.check(bare, 'ipv6')) {
    // DNS64 answers embed the IPv4 address in the last 32 bits: judge that address.
    return classifyAddress(embeddedIPv4(bare));
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [category, list] of CATEGORIES) if (list.check(bare, type)) return category;
  const mapped = IPV4_MAPPED.check(bare, 'ipv6');
  if (family === 6 && !mapped && !GLOBAL_UNICAST_V6.check(bare, 'ipv6')) return 'reserved';
  return null;
}

/** Validates `url` and resolves its host; resolves to the parsed URL when it is safe to call. */
export async function assertPublicUrl(url: string, opts: PublicUrlOptions): Promise<URL> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnsafeUrlError('invalid_url', 'URL is not valid');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UnsafeUrlError('unsupported_scheme', 'URL must use http or https');
  }
  if (parsed.username || parsed.password) {
    throw new UnsafeUrlError('credentials_in_url', 'URL must not contain a user name or password');
  }
  if (opts.allowPrivate) return parsed;

  // WHATWG parsing has already turned decimal, hex and octal IPv4 forms (2130706433, 0x7f.1) into
  // dotted quads and bracketed IPv6 into canonical form, so a literal is checked as it will be dialled.
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host) ? [host] : await resolveAll(host, opts.lookup ?? dns.promises.lookup);
  for (const address of addresses) assertPublicAddress(address, parsed.hostname);
  return parsed;
}

/**
 * A `lookup` for http.Agent / undici `connect` options: resolves as dns.lookup does, but fails the
 * connection when any address of the host is not public. IP-literal hosts never reach a lookup
 * function, so `assertPublicUrl` must still be called on the URL first.
 */
export function publicOnlyLookup(
  allowPrivate: boolean,
  resolve: net.LookupFunction = dns.lookup,
): net.LookupFunction {
  if (allowPrivate) return resolve;
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, result) => {
      if (error) return callback(error, '');
      const addresses = result as dns.LookupAddress[];
      try {
        if (addresses.length === 0) throw unresolvable(hostname);
        for (const { address } of addresses) assertPublicAddress(address, hostname);
      } catch (refusal) {
        return callback(refusal as UnsafeUrlError, '');
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

async function resolveAll(host: string, lookup: typeof dns.promises.lookup): Promise<string[]> {
  let results: dns.LookupAddress[];
  try {
    results = await lookup(host, { all: true });
  } catch {
    throw unresolvable(host);
  }
  if (results.length === 0) throw unresolvable(host);
  return results.map((r) => r.address);
}

function assertPublicAddress(address: string, host: string): void {
  const category = classifyAddress(address);
  if (category) {
    // The resolved address is kept on the error for logs but never put in the message, which reaches
    // the user: naming it would let anyone map the server's internal DNS.
    const what = net.isIP(host.replace(/^\[|\]$/g, '')) ? 'URL' : host;
    throw new UnsafeUrlError(
      'non_public_address',
      `${what} must point to a public internet address, not a ${category.replace('_', '-')} one`,
      address,
    );
  }
}

function unresolvable(host: string): UnsafeUrlError {
  return new UnsafeUrlError('unresolvable_host', `Host ${host} could not be resolved`);
}

/** The last 32 bits of a canonical IPv6 address as a dotted quad. */
function embeddedIPv4(address: string): string {
  const tail = address.split(':').slice(-2);
  const hi = parseInt(tail[0] || '0', 16);
  const lo = parseInt(tail[1] || '0', 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}
