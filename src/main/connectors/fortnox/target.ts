import type { ApiTarget } from '../api-target';
import { createFortnoxConnector, fortnoxOAuth, fortnoxSecretSchema, fortnoxSettingsSchema } from './connector';

export const fortnoxTarget: ApiTarget = {
  kind: 'fortnox',
  settingsSchema: fortnoxSettingsSchema,
  secretSchema: fortnoxSecretSchema,
  createConnector: createFortnoxConnector,
  oauth: (settings) => fortnoxOAuth(fortnoxSettingsSchema.parse(settings)),
  async startSandbox(options = {}) {
    // The sandbox (servers, fixtures) loads only when one is started, not with the connector.
    const { FORTNOX_SANDBOX_DEFAULTS, startFortnoxSandbox } = await import('../../sandboxes/fortnox');
    const accessTtlMs = options.tokenTtlMs ?? 3_600_000;
    const sandbox = await startFortnoxSandbox({
      accessTtlMs,
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    });
    return {
      ...sandbox,
      targetSettings: () => ({
        baseUrl: `${sandbox.url}/3`,
        tokenUrl: `${sandbox.url}/oauth-v1/token`,
        voucherSeries: 'F',
      }),
      credentials: () => ({
        ...sandbox.issueTokens(),
        accessExpiresAt: new Date(Date.now() + accessTtlMs).toISOString(),
        clientId: FORTNOX_SANDBOX_DEFAULTS.clientId,
        clientSecret: FORTNOX_SANDBOX_DEFAULTS.clientSecret,
      }),
      describe: () => {
        const tokens = sandbox.issueTokens();
        return [
          `Fortnox sandbox on ${sandbox.url}/3 (control: ${sandbox.url}/_sandbox/vouchers), company ${FORTNOX_SANDBOX_DEFAULTS.companyName}.`,
          `OAuth: ${sandbox.url}/oauth-v1/auth and /oauth-v1/token, client ${FORTNOX_SANDBOX_DEFAULTS.clientId} / ${FORTNOX_SANDBOX_DEFAULTS.clientSecret}.`,
          'Voucher series A (Redovisning) and F (Kassa) take manual vouchers; B does not. Financial years 2020 through next year.',
          `Invoices: /3/customers, /3/articles, /3/invoices (read back: ${sandbox.url}/_sandbox/invoices).`,
          `Tokens without the browser: KASSEBRO_FORTNOX_ACCESS_TOKEN=${tokens.accessToken} KASSEBRO_FORTNOX_REFRESH_TOKEN=${tokens.refreshToken}`,
        ];
      },
    };
  },
};
