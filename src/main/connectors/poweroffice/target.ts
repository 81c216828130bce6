import type { ApiTarget } from '../api-target';
import { powerOfficeSecretSchema } from './auth';
import { createPowerOfficeConnector, powerOfficeSettingsSchema } from './connector';

export const powerOfficeTarget: ApiTarget = {
  kind: 'poweroffice',
  settingsSchema: powerOfficeSettingsSchema,
  secretSchema: powerOfficeSecretSchema,
  createConnector: createPowerOfficeConnector,
  async startSandbox(options = {}) {
    // The sandbox (servers, fixtures) loads only when one is started, not with the connector.
    const { POWEROFFICE_SANDBOX_DEFAULTS, startPowerOfficeSandbox } = await import('../../sandboxes/poweroffice');
    const sandbox = await startPowerOfficeSandbox({
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.tokenTtlMs === undefined ? {} : { tokenTtlMs: options.tokenTtlMs }),
      ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    });
    const keys = {
      applicationKey: POWEROFFICE_SANDBOX_DEFAULTS.applicationKey,
      clientKey: POWEROFFICE_SANDBOX_DEFAULTS.clientKey,
      subscriptionKey: POWEROFFICE_SANDBOX_DEFAULTS.subscriptionKey,
    };
    return {
      ...sandbox,
      targetSettings: () => ({ baseUrl: `${sandbox.url}/v2` }),
      credentials: () => keys,
      describe: () => [
        `PowerOffice Go sandbox on ${sandbox.url}/v2, token endpoint ${sandbox.url}/oauth/Token (control: ${sandbox.url}/_sandbox/vouchers, ${sandbox.url}/_sandbox/invoices).`,
        `Keys: application ${keys.applicationKey}, client ${keys.clientKey}, subscription ${keys.subscriptionKey}.`,
      ],
    };
  },
};
