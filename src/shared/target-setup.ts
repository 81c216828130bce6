import type { Language } from './settlement-keys';
import type { TargetKind } from './targets';

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

const folderField: SetupField = {
  key: 'folder',
  input: 'text',
  secret: false,
  required: true,
  label: text('Mappe for filene', 'Mapp för filerna', 'Folder for the files'),
  help: text(
    'Filene legges her, én fil per kjøring. Regnskapsfører henter dem herfra.',
    'Filerna läggs här, en fil per körning. Redovisningsbyrån hämtar dem härifrån.',
    'Files are written here, one per run. The accountant picks them up from here.',
  ),
};

const numberStartField: SetupField = {
  key: 'voucherNumberStart',
  input: 'number',
  secret: false,
  required: false,
  pattern: '[1-9]\\d{0,7}',
  label: text('Første bilagsnummer', 'Första verifikationsnummer', 'First voucher number'),
  help: text(
    'Nummerserien regnskapet venter for dagsoppgjør. Numre brukes aldri to ganger.',
    'Nummerserien bokföringen väntar sig för dagskassor. Nummer används aldrig två gånger.',
    'The number series the accounts expect for daily settlements. Numbers are never reused.',
  ),
};

const voucherTypeField: SetupField = {
  key: 'voucherType',
  input: 'number',
  secret: false,
  required: false,
  pattern: '\\d{1,3}',
  advanced: true,
  label: text('Bilagsart', 'Verifikationstyp', 'Voucher type'),
  help: text(
    'Bilagsarten dagsoppgjør importeres som (ofte 6). Spør regnskapsfører.',
    'Verifikationstypen dagskassor importeras som (ofta 6). Fråga redovisningsbyrån.',
    'The voucher type daily settlements are imported as (often 6). Ask the accountant.',
  ),
};

const fileTarget = (...fields: SetupField[]): TargetSetup => ({
  auth: { kind: 'fields' },
  fields: [folderField, ...fields],
  choices: [],
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
  sie4: fileTarget(
    {
      key: 'companyName',
      input: 'text',
      secret: false,
      required: true,
      label: text('Firmanavn', 'Företagsnamn', 'Company name'),
      help: text(
        'Som i regnskapsprogrammet (#FNAMN).',
        'Som i bokföringsprogrammet (#FNAMN).',
        'As the accounting program knows it (#FNAMN).',
      ),
    },
    {
      key: 'orgNumber',
      input: 'text',
      secret: false,
      required: true,
      pattern: '\\d{6}-\\d{4}',
      label: text('Organisasjonsnummer', 'Organisationsnummer', 'Organisation number'),
      help: text(
        'Svensk organisasjonsnummer, f.eks. 556677-8899. Importen sammenligner det med selskapet.',
        'Till exempel 556677-8899. Importen jämför det med bolaget.',
        'Swedish organisation number, e.g. 556677-8899. The import compares it with the company.',
      ),
    },
    {
      key: 'series',
      input: 'text',
      secret: false,
      required: false,
      pattern: '[A-Za-z0-9]{0,8}',
      label: text('Bilagsserie', 'Verifikationsserie', 'Voucher series'),
      help: text(
        'Serien bilagene importeres i (standard A).',
        'Serien verifikationerna importeras i (standard A).',
        'The series the vouchers are imported into (default A).',
      ),
    },
    numberStartField,
  ),
  gbat10: fileTarget(numberStartField, voucherTypeField),
  xledger: fileTarget(
    {
      key: 'entityCode',
      input: 'text',
      secret: false,
      required: true,
      pattern: '\\d{1,10}',
      label: text('Enhetskode (Entity code)', 'Enhetskod (Entity code)', 'Entity code'),
      help: text(
        'Selskapets enhet i Xledger, f.eks. 23001.',
        'Bolagets enhet i Xledger, t.ex. 23001.',
        'The company’s entity in Xledger, e.g. 23001.',
      ),
    },
    numberStartField,
  ),
  duett: fileTarget(
    {
      key: 'amounts',
      input: 'select',
      secret: false,
      required: false,
      defaultValue: 'gross',
      label: text('Beløp', 'Belopp', 'Amounts'),
      help: text(
        'Brutto: Duett beregner MVA selv. Netto: MVA sendes som egne linjer.',
        'Brutto: Duett beräknar momsen själv. Netto: momsen skickas som egna rader.',
        'Gross: Duett computes the VAT. Net: the VAT is sent as lines of its own.',
      ),
      options: [
        { value: 'gross', label: text('Brutto (inkl. MVA)', 'Brutto (inkl. moms)', 'Gross (incl. VAT)') },
        { value: 'net', label: text('Netto + MVA-linjer', 'Netto + momsrader', 'Net + VAT lines') },
      ],
    },
    {
      key: 'department',
      input: 'text',
      secret: false,
      required: false,
      pattern: '\\d{1,4}',
      label: text('Avdeling', 'Avdelning', 'Department'),
      help: text(
        'Avdeling for linjer kontooppsettet ikke gir avdeling.',
        'Avdelning för rader som kontoplanen inte ger avdelning.',
        'Department for lines the account mapping gives none.',
      ),
    },
    numberStartField,
    voucherTypeField,
  ),
};
