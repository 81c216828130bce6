import type { ApiTarget } from '../api-target';
import { createFikenConnector, fikenOAuth, fikenSecretSchema, fikenSettingsSchema } from './connector';

export const fikenTarget: ApiTarget = {
  kind: 'fiken',
  settingsSchema: fikenSettingsSchema,
  secretSchema: fikenSecretSchema,
  createConnector: createFikenConnector,
  oauth: (settings) => fikenOAuth(fikenSettingsSchema.parse(settings)),
  async startSandbox(options = {}) {
    const { FIKEN_SANDBOX_DEFAULTS, startFikenSandbox } = await import('../../sandboxes/fiken');
    const sandbox = await startFikenSandbox({
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.tokenTtlMs === undefined ? {} : { accessTtlMs: options.tokenTtlMs }),
    });
    return {
      ...sandbox,
      targetSettings: () => ({
        baseUrl: `${sandbox.url}/api/v2`,
        tokenUrl: `${sandbox.url}/oauth/token`,
        companySlug: FIKEN_SANDBOX_DEFAULTS.companySlug,
      }),
      credentials: () => ({
        ...sandbox.issueTokens(),
        clientId: FIKEN_SANDBOX_DEFAULTS.clientId,
        clientSecret: FIKEN_SANDBOX_DEFAULTS.clientSecret,
      }),
      describe: () => [
        `Fiken sandbox on ${sandbox.url}/api/v2, company ${FIKEN_SANDBOX_DEFAULTS.companySlug}.`,
        `OAuth: ${sandbox.url}/oauth/authorize and /oauth/token, client ${FIKEN_SANDBOX_DEFAULTS.clientId} / ${FIKEN_SANDBOX_DEFAULTS.clientSecret}.`,
      ],
      // Fiken logs in two ways: the shop's own personal API token, or the app's OAuth client.
      setups: () => {
        const place = { companySlug: FIKEN_SANDBOX_DEFAULTS.companySlug, baseUrl: `${sandbox.url}/api/v2` };
        return [
          {
            title: 'With a personal API token (own company)',
            values: { authMode: 'token', accessToken: sandbox.issuePersonalToken(), ...place },
          },
          {
            title: 'Or with the OAuth client (approve in the browser)',
            values: {
              authMode: 'oauth',
              clientId: FIKEN_SANDBOX_DEFAULTS.clientId,
              clientSecret: FIKEN_SANDBOX_DEFAULTS.clientSecret,
              tokenUrl: `${sandbox.url}/oauth/token`,
              ...place,
            },
          },
        ];
      },
    };
  },
};
