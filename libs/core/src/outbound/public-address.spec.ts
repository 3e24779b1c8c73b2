import dns from 'node:dns';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import net from 'node:net';
import { assertPublicUrl, classifyAddress, publicOnlyLookup, UnsafeUrlError } from './public-address';

/** A dns.promises.lookup stand-in answering from a table (so no test touches real DNS). */
function fakePromiseLookup(table: Record<string, string[]>) {
  const fn = jest.fn(async (hostname: string) => {
    const addresses = table[hostname];
    if (!addresses)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: net.isIP(address) }));
  });
  return fn as unknown as typeof dns.promises.lookup & jest.Mock;
}

/** A callback-style dns.lookup stand-in, as http.Agent and undici call it. */
function fakeCallbackLookup(table: Record<string, string[]>): net.LookupFunction {
  return (hostname, options, callback) => {
    const addresses = (table[hostname] ?? []).map((address) => ({ address, family: net.isIP(address) }));
    if (addresses.length === 0) {
      return callback(
        Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }),
        '',
      );
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  };
}

async function refusal(promise: Promise<unknown>): Promise<UnsafeUrlError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UnsafeUrlError);
    return error as UnsafeUrlError;
  }
  throw new Error('expected the URL to be refused');
}

describe('assertPublicUrl with IP literals', () => {
  const noDns = fakePromiseLookup({});

  const blocked: Array<[string, string]> = [
    ['http://127.0.0.1/hook', 'loopback'],
    ['http://127.255.255.254/', 'loopback'],
    ['http://2130706433/', 'loopback'], // decimal
    ['http://0x7f.1/', 'loopback'], // hex + short form
    ['http://0177.0.0.1/', 'loopback'], // octal
    ['http://017700000001/', 'loopback'], // octal, one number
    ['http://127.1/', 'loopback'],
    ['http://[::1]:8080/', 'loopback'],
    ['http://0/', 'unspecified'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://10.1.2.3/', 'private'],
    ['http://172.16.0.1/', 'private'],
    ['http://172.31.255.255/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://[fc00::1]/', 'private'],
    ['http://[fd12:3456:789a::1]/', 'private'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://0xa9fea9fe/', 'link-local'], // 169.254.169.254 in hex
    ['http://[fe80::1]/', 'link-local'],
    ['http://100.64.0.1/', 'shared'],
    ['http://100.127.255.255/', 'shared'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://239.255.255.250/', 'multicast'],
    ['http://[ff02::1]/', 'multicast'],
    ['http://255.255.255.255/', 'reserved'],
    ['http://240.0.0.1/', 'reserved'],
    ['http://192.0.2.1/', 'reserved'],
    ['http://198.18.0.1/', 'reserved'],
    ['http://[2001:db8::1]/', 'reserved'],
    ['http://[2002:7f00:1::]/', 'reserved'], // 6to4 wrapping 127.0.0.1
    ['http://[::127.0.0.1]/', 'reserved'], // IPv4-compatible (deprecated)
    ['http://[::ffff:127.0.0.1]/', 'loopback'], // IPv4-mapped
    ['http://[0:0:0:0:0:ffff:7f00:1]/', 'loopback'],
    ['http://[::ffff:169.254.169.254]/', 'link-local'],
    ['http://[::ffff:10.0.0.1]/', 'private'],
    ['http://[64:ff9b::127.0.0.1]/', 'loopback'], // NAT64 wrapping loopback
    ['http://[64:ff9b::a00:1]/', 'private'], // NAT64 wrapping 10.0.0.1
  ];

  it.each(blocked)('refuses %s (%s)', async (url, category) => {
    const error = await refusal(assertPublicUrl(url, { allowPrivate: false, lookup: noDns }));
    expect(error.reason).toBe('non_public_address');
    expect(error.code).toBe('ERR_UNSAFE_URL');
    expect(error.message).toContain(`not a ${category} one`);
    expect(noDns).not.toHaveBeenCalled();
  });

  const allowed = [
    'https://8.8.8.8/hook',
    'http://1.1.1.1:8443/x?y=1',
    'http://172.32.0.1/', // just outside 172.16/12
    'http://100.128.0.1/', // just outside 100.64/10
    'http://169.255.0.1/',
    'http://[2606:4700:4700::1111]/',
    'http://[::ffff:8.8.8.8]/',
    'http://[64:ff9b::8.8.8.8]/',
  ];

  it.each(allowed)('accepts %s', async (url) => {
    const parsed = await assertPublicUrl(url, { allowPrivate: false, lookup: noDns });
    expect(parsed).toBeInstanceOf(URL);
    expect(parsed.href).toBe(new URL(url).href);
  });
});

describe('assertPublicUrl URL shape', () => {
  const shapes: Array<[string, string]> = [
    ['not a url', 'invalid_url'],
    ['', 'invalid_url'],
    ['ftp://example.com/file', 'unsupported_scheme'],
    ['file:///etc/passwd', 'unsupported_scheme'],
    ['gopher://example.com/', 'unsupported_scheme'],
    ['javascript:alert(1)', 'unsupported_scheme'],
    ['http://user:secret@example.com/', 'credentials_in_url'],
    ['https://token@example.com/', 'credentials_in_url'],
  ];

  it.each(shapes)('refuses %j as %s, even when private addresses are allowed', async (url, reason) => {
    for (const allowPrivate of [false, true]) {
      const error = await refusal(assertPublicUrl(url, { allowPrivate, lookup: fakePromiseLookup({}) }));
      expect(error.reason).toBe(reason);
    }
  });
});

describe('assertPublicUrl with an injected resolver', () => {
  it('refuses a host name that resolves to 127.0.0.1', async () => {
    const lookup = fakePromiseLookup({ 'hooks.example.com': ['127.0.0.1'] });
    const error = await refusal(
      assertPublicUrl('https://hooks.example.com/in', { allowPrivate: false, lookup }),
    );
    expect(error.reason).toBe('non_public_address');
    expect(error.address).toBe('127.0.0.1');
    expect(error.message).toContain('hooks.example.com must point to a public internet address');
    expect(error.message).not.toContain('127.0.0.1');
    expect(error.address).toBe('127.0.0.1');
    expect(lookup).toHaveBeenCalledWith('hooks.example.com', { all: true });
  });

  it('refuses when any one of several addresses is private', async () => {
    const lookup = fakePromiseLookup({
      'mixed.example.com': ['93.184.216.34', '2606:2800:220:1::1', '10.0.0.7'],
    });
    const error = await refusal(
      assertPublicUrl('https://mixed.example.com/', { allowPrivate: false, lookup }),
    );
    expect(error.address).toBe('10.0.0.7');
  });

  it('refuses a host whose AAAA record is IPv4-mapped metadata', async () => {
    const lookup = fakePromiseLookup({ 'sneaky.example.com': ['::ffff:169.254.169.254'] });
    const error = await refusal(
      assertPublicUrl('http://sneaky.example.com/', { allowPrivate: false, lookup }),
    );
    expect(error.message).toContain('link-local');
  });

  it('accepts a host whose addresses are all public', async () => {
    const lookup = fakePromiseLookup({ 'ok.example.com': ['93.184.216.34', '2606:2800:220:1::1'] });
    const parsed = await assertPublicUrl('https://ok.example.com/hook', { allowPrivate: false, lookup });
    expect(parsed.hostname).toBe('ok.example.com');
  });

  it('reports a host that does not resolve', async () => {
    const error = await refusal(
      assertPublicUrl('https://nowhere.invalid/', { allowPrivate: false, lookup: fakePromiseLookup({}) }),
    );
    expect(error.reason).toBe('unresolvable_host');
    const empty = fakePromiseLookup({ 'empty.example.com': [] });
    expect(
      (await refusal(assertPublicUrl('https://empty.example.com/', { allowPrivate: false, lookup: empty })))
        .reason,
    ).toBe('unresolvable_host');
  });

  it('skips address checks (and DNS) when private addresses are allowed', async () => {
    const lookup = fakePromiseLookup({});
    await expect(
      assertPublicUrl('http://127.0.0.1:4010/hook', { allowPrivate: true, lookup }),
    ).resolves.toBeInstanceOf(URL);
    await expect(
      assertPublicUrl('http://localhost:4010/hook', { allowPrivate: true, lookup }),
    ).resolves.toBeInstanceOf(URL);
    expect(lookup).not.toHaveBeenCalled();
  });
});

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['fe80::1%eth0', 'link_local'],
    ['[fd00::1]', 'private'],
    ['::ffff:0:7f00:1', 'reserved'], // SIIT-translated, not a global address
    ['not-an-ip', 'reserved'],
    ['8.8.8.8', null],
    ['2a00:1450:4007:80e::200e', null],
  ])('%s → %s', (address, category) => {
    expect(classifyAddress(address)).toBe(category);
  });
});

describe('publicOnlyLookup', () => {
  const resolver = fakeCallbackLookup({
    'rebind.test': ['127.0.0.1'],
    'mixed.test': ['93.184.216.34', '192.168.0.10'],
    'public.test': ['93.184.216.34', '2606:2800:220:1::1'],
  });
  const call = (lookup: net.LookupFunction, host: string, all: boolean) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: unknown; family?: number }>((resolve) =>
      lookup(host, { all }, (error, address, family) => resolve({ error, address, family })),
    );

  it('answers like dns.lookup for public hosts, single and all', async () => {
    const lookup = publicOnlyLookup(false, resolver);
    expect(await call(lookup, 'public.test', false)).toEqual({
      error: null,
      address: '93.184.216.34',
      family: 4,
    });
    const all = await call(lookup, 'public.test', true);
    expect(all.error).toBeNull();
    expect(all.address).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::1', family: 6 },
    ]);
  });

  it.each([
    ['rebind.test', '127.0.0.1'],
    ['mixed.test', '192.168.0.10'],
  ])('fails %s, which resolves to %s', async (host, address) => {
    for (const all of [false, true]) {
      const { error } = await call(publicOnlyLookup(false, resolver), host, all);
      expect(error).toBeInstanceOf(UnsafeUrlError);
      expect((error as UnsafeUrlError).address).toBe(address);
    }
  });

  it('passes resolver errors through', async () => {
    const { error } = await call(publicOnlyLookup(false, resolver), 'missing.test', false);
    expect(error?.code).toBe('ENOTFOUND');
  });

  it('returns the resolver itself when private addresses are allowed', () => {
    expect(publicOnlyLookup(true, resolver)).toBe(resolver);
    expect(publicOnlyLookup(true)).toBe(dns.lookup);
  });

  describe('as an http.Agent lookup (DNS rebinding at connect time)', () => {
    let server: http.Server;
    let port: number;
    beforeAll(async () => {
      server = http.createServer((_req, res) => res.end('reached'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const get = (allowPrivate: boolean) =>
      new Promise<string>((resolve, reject) => {
        const agent = new http.Agent({ lookup: publicOnlyLookup(allowPrivate, resolver) });
        http
          .get({ host: 'rebind.test', port, path: '/', agent }, (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve(body));
          })
          .on('error', reject)
          .on('close', () => agent.destroy());
      });

    it('refuses to connect when the host now resolves to loopback', async () => {
      await expect(get(false)).rejects.toMatchObject({
        name: 'UnsafeUrlError',
        reason: 'non_public_address',
      });
    });

    it('connects when private addresses are allowed', async () => {
      await expect(get(true)).resolves.toBe('reached');
    });
  });
});
