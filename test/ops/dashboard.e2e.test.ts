// The dashboard in headless Chromium (Debian's chromium, driven by playwright-core) against a real venue: the
// page logs in, follows the live event stream, and its session table changes colour as a FIX member logs on,
// trades and logs off. Every wait is on a DOM condition, never a sleep.

import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { SOH, stamp } from '../support/fix-test-client.js';
import { startOpsHarness, TOKENS, type OpsHarness } from './support/ops-harness.js';
import { limitOrder } from './support/orders.js';

const CHROMIUM = '/usr/bin/chromium';
// No internet here: without these flags Chromium's background connections fail noisily.
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('ops dashboard in headless Chromium', function () {
  this.timeout(60_000);
  let h: OpsHarness;
  let profile: string;
  let browser: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const external: string[] = [];

  before(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium; .ci/run does)`);
    h = await startOpsHarness({ tickMs: 200 });
    profile = mkdtempSync(join(tmpdir(), 'ops-chromium-'));
    // A fresh profile per run (launchPersistentContext takes the user data dir).
    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('request', (req) => {
      if (!req.url().startsWith(h.base)) external.push(req.url());
    });
  });
  after(async () => {
    await browser?.close();
    rmSync(profile, { recursive: true, force: true });
    await h?.dispose();
  });

  const session = (id: string, health: string): string => `#sessions tr[data-session="${id}"][data-health="${health}"]`;

  it('logs in with a token from the link, then drops it from the address bar', async () => {
    await page.goto(`${h.base}/#token=${TOKENS.viewer}`);
    await page.waitForSelector('#stream-status[data-stream="live"]');
    expect(page.url()).to.equal(`${h.base}/`);
    expect(await page.textContent('#whoami')).to.equal('viewer (viewer)');
    expect(await page.textContent('#venue-id')).to.equal('VENUE');
    await page.waitForSelector('#venue-status[data-status="up"]');
    await page.waitForSelector(session('BROKER1', 'disconnected'));
    expect(await page.locator('#sessions tbody tr').count()).to.equal(4);
  });

  it('turns a session green when a FIX member logs on, shows its address, orders and trades, and grey when it logs off', async () => {
    const b1 = await h.venue.logon('BROKER1');
    await page.waitForSelector(session('BROKER1', 'logged-on'));
    const row = page.locator('#sessions tr[data-session="BROKER1"]');
    expect(await row.locator('td').nth(5).textContent()).to.equal('127.0.0.1');
    const colour = await page.evaluate(`getComputedStyle(document.querySelector('#sessions tr[data-session="BROKER1"] td.health')).backgroundColor`);
    expect(colour).to.equal('rgb(31, 122, 63)');

    const b2 = await h.venue.logon('BROKER2');
    b1.send('D', limitOrder('UI-1', '1', '0.4', '60000.00'));
    await b1.er('UI-1', '0');
    await page.waitForSelector('#sessions tr[data-session="BROKER1"] td:nth-child(11):text-is("1")');
    await page.waitForSelector('#instruments tr[data-symbol="BTCUSDT"] td.bid:text-is("0.4 @ 60000")');
    b2.send('D', limitOrder('UI-2', '2', '0.1', '60000.00'));
    await b2.er('UI-2', 'F');
    await page.waitForSelector('#trades tbody tr:first-child:has-text("BTCUSDT"):has-text("60000"):has-text("sell")');
    await page.waitForSelector('#instruments tr[data-symbol="BTCUSDT"] td.bid:text-is("0.3 @ 60000")');

    await b1.logout();
    await page.waitForSelector(session('BROKER1', 'disconnected'));
    expect(await page.locator('#sessions tr[data-session="BROKER2"]').getAttribute('data-health')).to.equal('logged-on');
    await page.waitForSelector('#alerts li:has-text("BROKER1 disconnected")');
    await b2.logout();
    await page.waitForSelector(session('BROKER2', 'disconnected'));
  });

  it('shows a resend in progress while a gap in the member\'s messages is open, and logged-on once it is filled', async () => {
    const md = await h.venue.logon('MDFEED');
    await page.waitForSelector(session('MDFEED', 'logged-on'));
    // MsgSeqNum 2 is expected; 6 opens a gap 2..5: the venue asks for a resend.
    md.seq = 6;
    md.send('0', '');
    await md.next((m) => m.type === '2');
    await page.waitForSelector(session('MDFEED', 'resend'));
    expect(await page.textContent('#sessions tr[data-session="MDFEED"] td.health')).to.equal('resend 2..5');
    // Fill the gap: SequenceReset-GapFill from 2 up to 7.
    md.seq = 2;
    md.send('4', `123=Y${SOH}36=7${SOH}`, `43=Y${SOH}122=${stamp()}${SOH}`);
    await page.waitForSelector(session('MDFEED', 'logged-on'));
    await md.logout();
    await page.waitForSelector(session('MDFEED', 'disconnected'));
  });

  it('shows a heartbeat late while a member is silent past its HeartBtInt', async () => {
    const dc = await h.venue.logon('COMPLIANCE', { heartBtInt: 1 });
    await page.waitForSelector(session('COMPLIANCE', 'logged-on'));
    // The member stops reading (and so stops answering): silent past 1.2 × HeartBtInt it is late, at 2.4 × cut off.
    (dc as unknown as { socket: Socket }).socket.pause();
    await page.waitForSelector(session('COMPLIANCE', 'heartbeat-late'), { timeout: 5000 });
    await page.waitForSelector(session('COMPLIANCE', 'disconnected'), { timeout: 10_000 });
    await page.waitForSelector('#alerts li:has-text("COMPLIANCE disconnected: Timed out waiting for heartbeat")');
    dc.close();
  });

  it('shows halts in the instruments table and the halt list', async () => {
    const halt = await h.call('POST', '/api/instruments/ETHUSDT/halt', { body: { reason: 'dashboard test' } });
    expect(halt.status).to.equal(202);
    await page.waitForSelector('#instruments tr[data-symbol="ETHUSDT"][data-status="halted"]');
    await page.waitForSelector('#halts tbody tr:first-child:has-text("dashboard test")');
    await h.call('POST', '/api/instruments/ETHUSDT/resume', { body: {} });
    await page.waitForSelector('#instruments tr[data-symbol="ETHUSDT"][data-status="open"]');
  });

  it('shows the login form without a session, refuses a wrong token, accepts a right one', async () => {
    const fresh = await browser.newPage();
    try {
      // The context shares the first page's cookie: end that login so this page starts logged out.
      await fresh.request.post(`${h.base}/api/logout`);
      await fresh.goto(`${h.base}/`);
      await fresh.waitForSelector('#login:not([hidden])');
      await fresh.fill('#login-token', 'not-the-right-token-000000');
      await fresh.click('#login-form button');
      await fresh.waitForSelector('#login-error:text-is("unknown or revoked token")');
      await fresh.fill('#login-token', TOKENS.operator);
      await fresh.click('#login-form button');
      await fresh.waitForSelector('#stream-status[data-stream="live"]');
      await fresh.waitForSelector(session('MDFEED', 'disconnected'));
    } finally {
      await fresh.close();
    }
  });

  it('ran without script errors and without a single request off the venue', () => {
    expect(pageErrors).to.deep.equal([]);
    expect(external).to.deep.equal([]);
  });
});
