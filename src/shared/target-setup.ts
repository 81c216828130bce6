import type { Language } from './settlement-keys';
import type { TargetKind } from './targets';
import { FILE_TARGET_SETUP } from './file-target-setup';

type Text = Readonly<Record<Language, string>>;

/**
 * One input of a target's setup, as data: the CLI reads it from `--set key=value` (or the named
 * environment variable for secrets), the setup wizard renders it. Adding a target adds fields here,
 * not screens.
 */
export interface SetupField {
  /** Key in the target's settings, or in its secret-store entry when `secret`. */
  readonly key: string;
  readonly input: 'text' | 'password' | 'url' | 'number' | 'select';
  /** Stored encrypted in the secret store, never in settings, logs or the support bundle. */
  readonly secret: boolean;
  readonly required: boolean;
  readonly label: Text;
  readonly help: Text;
  /** Whole-value pattern the input must match (a JavaScript RegExp source). */
  readonly pattern?: string;
  readonly options?: readonly { readonly value: string; readonly label: Text }[];
  readonly defaultValue?: string;
  /** Environment variable the CLI reads the value from (keeps secrets out of shell history). */
  readonly env?: string;
  /** A technician-only field (sandbox addresses, endpoint mode): the wizard folds it away. */
  readonly advanced?: boolean;
}

/** How the target's credentials are obtained. */
export type SetupAuth =
  /** Tokens or keys typed into the fields. */
  | { readonly kind: 'fields' }
  /** OAuth2 authorization code: the fields hold the app's client id/secret; `connect` opens the browser. */
  | { readonly kind: 'oauth' };

export interface TargetSetup {
  readonly auth: SetupAuth;
  readonly fields: readonly SetupField[];
  /** After a successful connection test the user picks one of these from what the target returned. */
  readonly choices: readonly ('company' | 'voucherSeries' | 'department')[];
}

const text = (nb: string, sv: string, en: string): Text => ({ nb, sv, en });

const baseUrlField = (example: string): SetupField => ({
  key: 'baseUrl',
  input: 'url',
  secret: false,
  required: false,
  advanced: true,
  label: text('API-adresse', 'API-adress', 'API address'),
  help: text(
    `La stå tom for produksjon. En lokal sandkasse: ${example}`,
    `Lämna tom för produktion. En lokal sandlåda: ${example}`,
    `Leave empty for production. A local sandbox: ${example}`,
  ),
});

/**
 * Setup fields per target. API targets whose connector is not built yet still list theirs so the
 * wizard can say what will be asked.
 */
export const TARGET_SETUP: Readonly<Record<TargetKind, TargetSetup>> = {
  tripletex: {
    auth: { kind: 'fields' },
    choices: ['company'],
    fields: [
      {
        key: 'consumerToken',
        input: 'password',
        secret: true,
        required: true,
        env: 'KASSEBRO_TRIPLETEX_CONSUMER_TOKEN',
        label: text('Consumer token', 'Consumer token', 'Consumer token'),
        help: text(
          'Integrasjonens token fra Tripletex (følger med programmet).',
          'Integrationens token från Tripletex (följer med programmet).',
          'The integration’s token from Tripletex (ships with the app).',
        ),
      },
      {
        key: 'employeeToken',
        input: 'password',
        secret: true,
        required: true,
        env: 'KASSEBRO_TRIPLETEX_EMPLOYEE_TOKEN',
        label: text('Ansattoken', 'Anställdtoken', 'Employee token'),
        help: text(
          'Lages i Tripletex under Min profil → API-tilgang, for en bruker med rett til å føre bilag.',
          'Skapas i Tripletex under Min profil → API-åtkomst, för en användare som får bokföra.',
          'Created in Tripletex under My profile → API access, for a user allowed to post vouchers.',
        ),
      },
      {
        key: 'companyId',
        input: 'number',
        secret: false,
        required: false,
        defaultValue: '0',
        pattern: '\\d+',
        label: text('Klient (selskap)', 'Klient (bolag)', 'Client company'),
        help: text(
          '0 = selskapet tokenet tilhører. Regnskapsbyråer oppgir klientens id.',
          '0 = bolaget token tillhör. Redovisningsbyråer anger klientens id.',
          '0 = the token’s own company. Accounting firms give the client’s id.',
        ),
      },
      baseUrlField('http://127.0.0.1:PORT/v2'),
    ],
  },
  fiken: {
    auth: { kind: 'fields' },
    choices: ['company'],
    fields: [
      {
        key: 'accessToken',
        input: 'password',
        secret: true,
        required: true,
        env: 'KASSEBRO_FIKEN_ACCESS_TOKEN',
        label: text('API-nøkkel', 'API-nyckel', 'API token'),
        help: text(
          'Personlig API-nøkkel fra Fiken: Rediger konto → Andre innstillinger → API.',
          'Personlig API-nyckel från Fiken: Redigera konto → Andra inställningar → API.',
          'Personal API token from Fiken: Edit account → Other settings → API.',
        ),
      },
      {
        key: 'companySlug',
        input: 'text',
        secret: false,
        required: true,
        pattern: '[a-z0-9-]+',
        label: text('Selskap', 'Bolag', 'Company'),
        help: text(
          'Selskapets kortnavn i Fiken (i adressen: fiken.no/foretak/KORTNAVN).',
          'Bolagets kortnamn i Fiken (i adressen: fiken.no/foretak/KORTNAMN).',
          'The company’s short name in Fiken (in the address: fiken.no/foretak/SLUG).',
        ),
      },
      baseUrlField('http://127.0.0.1:PORT/api/v2'),
      {
        key: 'tokenUrl',
        input: 'url',
        secret: false,
        required: false,
        advanced: true,
        label: text('OAuth token-adresse', 'OAuth token-adress', 'OAuth token address'),
        help: text(
          'Bare for sandkasse: http://127.0.0.1:PORT/oauth/token',
          'Bara för sandlåda: http://127.0.0.1:PORT/oauth/token',
          'Sandbox only: http://127.0.0.1:PORT/oauth/token',
        ),
      },
    ],
  },
  // Filled in by their connectors (issues 5 and 6).
  fortnox: { auth: { kind: 'oauth' }, choices: ['voucherSeries'], fields: [] },
  poweroffice: { auth: { kind: 'fields' }, choices: [], fields: [] },
  'visma-eaccounting': { auth: { kind: 'oauth' }, choices: [], fields: [] },
  '24sevenoffice': { auth: { kind: 'fields' }, choices: ['company'], fields: [] },
  ...FILE_TARGET_SETUP,
};
