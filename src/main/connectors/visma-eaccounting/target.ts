import type { ApiTarget } from '../api-target';
import { createVismaConnector, vismaOAuth, vismaSecretSchema, vismaSettingsSchema } from './connector';

export const vismaEaccountingTarget: ApiTarget = {
  kind: 'visma-eaccounting',
  settingsSchema: vismaSettingsSchema,
  secretSchema: vismaSecretSchema,
  createConnector: createVismaConnector,
  oauth: (settings) => vismaOAuth(vismaSettingsSchema.parse(settings)),
  async startSandbox(options = {}) {
    // The sandbox (servers, fixtures) loads only when one is started, not with the connector.
    const { startVismaSandbox, VISMA_SANDBOX_DEFAULTS } = await import('../../sandboxes/visma-eaccounting');
    const accessTtlMs = options.tokenTtlMs ?? VISMA_SANDBOX_DEFAULTS.accessTtlMs;
    const sandbox = await startVismaSandbox({
      accessTtlMs,
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    });
    return {
      ...sandbox,
      targetSettings: () => ({
        baseUrl: `${sandbox.url}/v2`,
        authorizeUrl: `${sandbox.url}/connect/authorize`,
        tokenUrl: `${sandbox.url}/connect/token`,
      }),
      credentials: () => ({
        ...sandbox.issueTokens(),
        accessExpiresAt: new Date(Date.now() + accessTtlMs).toISOString(),
        clientId: VISMA_SANDBOX_DEFAULTS.clientId,
        clientSecret: VISMA_SANDBOX_DEFAULTS.clientSecret,
      }),
      describe: () => [
        `Visma eAccounting sandbox on ${sandbox.url}/v2 (control: ${sandbox.url}/_sandbox/vouchers).`,
        `Identity server: ${sandbox.url}/connect/authorize and /connect/token (Basic auth), client ${VISMA_SANDBOX_DEFAULTS.clientId} / ${VISMA_SANDBOX_DEFAULTS.clientSecret}.`,
      ],
    };
  },
};
