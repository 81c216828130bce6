import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempHome } from '../../../test/helpers/temp-home';
import { main } from '../cli/main';
import { FIKEN_SANDBOX_DEFAULTS } from '../sandboxes/fiken';
import { homeSecretStore } from '../secrets/secret-store';
import { openDatabase } from '../store/database';
import { saveTarget, type TargetRecord } from '../store/targets';
import type { RunningSandbox } from './api-target';
import { fikenTarget } from './fiken/target';
import { ConnectError, startOAuthConnect } from './oauth-connect';

const newHome = useTempHome();
const sandboxes: RunningSandbox[] = [];
afterEach(async () => {
  for (const sandbox of sandboxes.splice(0)) await sandbox.close();
});

/** A home with a Fiken target pointing at a fresh sandbox and only the app's OAuth client stored. */
async function fikenHome() {
  const sandbox = await fikenTarget.startSandbox();
  sandboxes.push(sandbox);
  const home = newHome();
  const databaseFile = join(home, 'kassebro.sqlite');
  const db = openDatabase(databaseFile);
  const secrets = homeSecretStore(home);
  const target: TargetRecord = {
    id: 'fiken',
    kind: 'fiken',
    name: 'Fiken',
    settings: { ...sandbox.targetSettings(), authMode: 'oauth' },
    secretRef: 'fiken',
  };
  saveTarget(db, target);
  await secrets.set('fiken', {
    clientId: FIKEN_SANDBOX_DEFAULTS.clientId,
    clientSecret: FIKEN_SANDBOX_DEFAULTS.clientSecret,
  });
  return { sandbox, db, databaseFile, secrets, target };
}

/** What the browser does: open the authorize page, which redirects (the sandbox approves at once). */
async function approve(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return response.headers.get('location') ?? '';
}

async function connectorSays(setup: Awaited<ReturnType<typeof fikenHome>>): Promise<string> {
  const connector = fikenTarget.createConnector({
    targetId: 'fiken',
    settings: setup.target.settings,
    secrets: setup.secrets,
    secretRef: 'fiken',
  });
  return (await connector.testConnection()).company;
}

describe('OAuth connect over a loopback listener (Fiken sandbox)', () => {
  it('follows the browser back to 127.0.0.1, checks state, stores working tokens before reporting success', async () => {
    const setup = await fikenHome();
    const attempt = await startOAuthConnect(setup);
    expect(attempt.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/kassebro\/oauth\/callback$/);
    const authorize = new URL(attempt.url);
    expect(authorize.searchParams.get('client_id')).toBe(FIKEN_SANDBOX_DEFAULTS.clientId);
    expect(authorize.searchParams.get('redirect_uri')).toBe(attempt.redirectUri);
    const state = authorize.searchParams.get('state') ?? '';
    expect(state.length).toBeGreaterThanOrEqual(32);

    const back = await approve(attempt.url);
    // A forged return (another state) is refused and the attempt keeps waiting.
    const forged = new URL(back);
    forged.searchParams.set('state', 'not-the-state');
    expect((await fetch(forged)).status).toBe(400);

    const page = await fetch(back);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Kassebro er tilkoblet');
    await attempt.done;
    const stored = await setup.secrets.get('fiken');
    expect(stored).toMatchObject({ clientId: FIKEN_SANDBOX_DEFAULTS.clientId, clientSecret: expect.any(String) });
    expect(stored?.['accessToken']).toMatch(/.{16,}/);
    expect(stored?.['refreshToken']).toMatch(/.{16,}/);
    expect(await connectorSays(setup)).toBe('Demo Butikk AS');
    // The listener is gone once the connect is done.
    await expect(fetch(back)).rejects.toThrow();
  });

  it('accepts the pasted redirect address instead, and refuses one from another attempt', async () => {
    const setup = await fikenHome();
    const other = await startOAuthConnect(setup);
    const otherBack = await approve(other.url);
    await other.close();
    await expect(other.done).rejects.toThrow('The connect was cancelled');

    const attempt = await startOAuthConnect(setup);
    await expect(attempt.finish(otherBack)).rejects.toThrow(ConnectError);
    const again = await startOAuthConnect(setup);
    await again.finish(await approve(again.url));
    await again.done;
    expect(await connectorSays(setup)).toBe('Demo Butikk AS');
    await attempt.close();
  });

  it('sends Fiken only the parameters Fiken documents, and the state again on the exchange', async () => {
    const setup = await fikenHome();
    const attempt = await startOAuthConnect(setup);
    const authorize = new URL(attempt.url);
    expect([...authorize.searchParams.keys()].sort()).toEqual(['client_id', 'redirect_uri', 'response_type', 'state']);
    // The sandbox holds Fiken's rules: another provider's parameter is refused at authorize…
    const foreign = new URL(authorize);
    foreign.searchParams.set('access_type', 'offline');
    expect((await fetch(foreign, { redirect: 'manual' })).status).toBe(400);
    // …and a code exchanged without the attempt's state is refused.
    const back = new URL(await approve(attempt.url));
    const basic = Buffer.from(`${FIKEN_SANDBOX_DEFAULTS.clientId}:${FIKEN_SANDBOX_DEFAULTS.clientSecret}`);
    const withoutState = await fetch(setup.target.settings['tokenUrl'] as string, {
      method: 'POST',
      headers: { authorization: `Basic ${basic.toString('base64')}` },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: back.searchParams.get('code') ?? '',
        redirect_uri: attempt.redirectUri,
      }),
    });
    expect(withoutState.status).toBe(400);
    expect(await withoutState.json()).toMatchObject({ error: 'invalid_request' });
    // Kassebro's own exchange sends it, so the same code still works.
    await attempt.finish(back.toString());
    expect(await connectorSays(setup)).toBe('Demo Butikk AS');
  });

  it('refuses to connect a Fiken target that logs in with a personal API token', async () => {
    const setup = await fikenHome();
    const target = { ...setup.target, settings: { ...setup.target.settings, authMode: 'token' } };
    await expect(startOAuthConnect({ ...setup, target })).rejects.toThrow('logs in with an API token, not OAuth');
  });

  it('says plainly when the app has no OAuth client stored', async () => {
    const setup = await fikenHome();
    await setup.secrets.delete('fiken');
    await expect(startOAuthConnect(setup)).rejects.toThrow(
      'Target "fiken" has no OAuth client id and secret; enter them in the setup before connecting',
    );
  });
});

describe('kassebro target connect', () => {
  it('prints the address, waits for the browser and ends with working tokens in the store', async () => {
    const setup = await fikenHome();
    setup.db.close();
    let stdout = '';
    let stderr = '';
    const running = main(['--db', setup.databaseFile, 'target', 'connect', 'fiken'], {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
    });
    await expect.poll(() => /https?:\/\/\S+authorize\S+/.exec(stdout)?.[0], { timeout: 10_000 }).toBeTruthy();
    const url = /https?:\/\/\S+authorize\S+/.exec(stdout)?.[0] ?? '';
    expect((await fetch(await approve(url))).status).toBe(200);
    expect(await running).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('Connected: the tokens of "fiken" are stored.');
    expect(await connectorSays(setup)).toBe('Demo Butikk AS');
  });

  it('finishes an earlier attempt with --code (the address the browser ended on)', async () => {
    const setup = await fikenHome();
    const attempt = await startOAuthConnect(setup);
    const back = await approve(attempt.url);
    await attempt.close();
    setup.db.close();
    let stdout = '';
    const code = await main(['--db', setup.databaseFile, 'target', 'connect', 'fiken', '--code', back], {
      stdout: (text) => (stdout += text),
      stderr: () => undefined,
    });
    expect(code).toBe(0);
    expect(stdout).toContain('Connected');
    expect(await connectorSays(setup)).toBe('Demo Butikk AS');
    let stderr = '';
    const reused = await main(['--db', setup.databaseFile, 'target', 'connect', 'fiken', '--code', back], {
      stdout: () => undefined,
      stderr: (text) => (stderr += text),
    });
    expect(reused).toBe(1);
    expect(stderr).toContain('No connect is waiting for target "fiken"');
  });
});
