import { chromium, type Browser } from 'playwright-core';

// Debian's chromium; the flags keep it from reaching for the network at start-up.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Debian's Chromium through playwright-core. `hostNames` resolve to 127.0.0.1 inside the browser
 * only, so a test can serve pages from distinct origins (and non-loopback names) without DNS.
 */
export function launchChromium(hostNames: string[] = []): Promise<Browser> {
  const rules = hostNames.map((name) => `MAP ${name} 127.0.0.1`).join(', ');
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: rules ? [...CHROMIUM_ARGS, `--host-resolver-rules=${rules}`] : CHROMIUM_ARGS,
  });
}
