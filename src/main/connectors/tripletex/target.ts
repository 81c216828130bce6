import type { ApiTarget } from '../api-target';
import { createTripletexConnector, tripletexSecretSchema, tripletexSettingsSchema } from './connector';

export const tripletexTarget: ApiTarget = {
  kind: 'tripletex',
  settingsSchema: tripletexSettingsSchema,
  secretSchema: tripletexSecretSchema,
  createConnector: createTripletexConnector,
  async startSandbox(options = {}) {
    // The sandbox (servers, fixtures) loads only when one is started, not with the connector.
    const { startTripletexSandbox, TRIPLETEX_SANDBOX_DEFAULTS } = await import('../../sandboxes/tripletex');
    const sandbox = await startTripletexSandbox({
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.tokenTtlMs === undefined ? {} : { sessionTtlMs: options.tokenTtlMs }),
      ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    });
    return {
      ...sandbox,
      targetSettings: () => ({ baseUrl: `${sandbox.url}/v2` }),
      credentials: () => ({
        consumerToken: TRIPLETEX_SANDBOX_DEFAULTS.consumerToken,
        employeeToken: TRIPLETEX_SANDBOX_DEFAULTS.employeeToken,
      }),
      describe: () => [
        `Tripletex sandbox on ${sandbox.url}/v2 (control: ${sandbox.url}/_sandbox/vouchers).`,
        `Tokens: consumer ${TRIPLETEX_SANDBOX_DEFAULTS.consumerToken}, employee ${TRIPLETEX_SANDBOX_DEFAULTS.employeeToken}.`,
      ],
    };
  },
};
