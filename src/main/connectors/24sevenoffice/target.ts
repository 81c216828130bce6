import type { ApiTarget } from '../api-target';
import { create24SevenOfficeConnector, tfsoSecretSchema, tfsoSettingsSchema } from './connector';

export const tfsoTarget: ApiTarget = {
  kind: '24sevenoffice',
  settingsSchema: tfsoSettingsSchema,
  secretSchema: tfsoSecretSchema,
  createConnector: create24SevenOfficeConnector,
  async startSandbox(options = {}) {
    // The sandbox (servers, fixtures) loads only when one is started, not with the connector.
    const { startTfsoSandbox, TFSO_SANDBOX_DEFAULTS } = await import('../../sandboxes/24sevenoffice');
    const sandbox = await startTfsoSandbox({
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.tokenTtlMs === undefined ? {} : { sessionTtlMs: options.tokenTtlMs }),
      ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    });
    return {
      ...sandbox,
      targetSettings: () => ({ baseUrl: sandbox.url }),
      credentials: () => ({
        applicationId: TFSO_SANDBOX_DEFAULTS.applicationId,
        username: TFSO_SANDBOX_DEFAULTS.username,
        password: TFSO_SANDBOX_DEFAULTS.password,
      }),
      describe: () => [
        `24SevenOffice sandbox (SOAP 1.1) on ${sandbox.url}: /authenticate/v001/authenticate.asmx, /Economy/Account/V004/Accountservice.asmx, /Economy/Accounting/V001/TransactionService.asmx (?WSDL on each).`,
        `Login for "target add": KASSEBRO_24SEVENOFFICE_APPLICATION_ID=${TFSO_SANDBOX_DEFAULTS.applicationId} KASSEBRO_24SEVENOFFICE_USERNAME=${TFSO_SANDBOX_DEFAULTS.username} KASSEBRO_24SEVENOFFICE_PASSWORD=${TFSO_SANDBOX_DEFAULTS.password}`,
        `Companies (--set identityId=…; empty = the first): ${TFSO_SANDBOX_DEFAULTS.identities.map((identity) => `${identity.id} = ${identity.name}`).join('; ')}.`,
      ],
    };
  },
};
