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
  /** The field belongs to one way of logging in: shown, required and stored only when `key` has `value`. */
  readonly onlyWhen?: { readonly key: string; readonly value: string };
}

/** How the target's credentials are obtained. */
export type SetupAuth =
  /** Tokens or keys typed into the fields. */
  | { readonly kind: 'fields' }
  /** OAuth2 authorization code: the fields hold the app's client id/secret; `connect` opens the browser. */
  | { readonly kind: 'oauth' }
  /** The person chooses: OAuth when the field `key` holds `value`, typed-in tokens otherwise. */
  | { readonly kind: 'oauth-when'; readonly key: string; readonly value: string };

type Values = Readonly<Record<string, unknown>>;

/** The value a field has once defaults apply (settings and typed values alike). */
const valueOf = (setup: TargetSetup, values: Values, key: string): unknown =>
  values[key] ?? setup.fields.find((field) => field.key === key)?.defaultValue;

/** Whether a target set up with these values logs in through OAuth (and so needs `connect`). */
export function usesOAuth(setup: TargetSetup, values: Values): boolean {
  if (setup.auth.kind === 'fields') return false;
  if (setup.auth.kind === 'oauth') return true;
  return valueOf(setup, values, setup.auth.key) === setup.auth.value;
}

/** Whether a field is part of the login chosen by these values (see `SetupField.onlyWhen`). */
export function fieldApplies(setup: TargetSetup, field: SetupField, values: Values): boolean {
  return !field.onlyWhen || valueOf(setup, values, field.onlyWhen.key) === field.onlyWhen.value;
}

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
    // Fiken: a shop's own personal API token, or the app's OAuth client for accounting firms and apps.
    auth: { kind: 'oauth-when', key: 'authMode', value: 'oauth' },
    choices: ['company'],
    fields: [
      {
        key: 'authMode',
        input: 'select',
        secret: false,
        required: true,
        defaultValue: 'token',
        label: text('Innlogging', 'Inloggning', 'Login'),
        help: text(
          'Egen butikk: personlig API-nøkkel. Regnskapsbyrå eller app: OAuth, der en administrator godkjenner i Fiken.',
          'Egen butik: personlig API-nyckel. Redovisningsbyrå eller app: OAuth, där en administratör godkänner i Fiken.',
          'Your own shop: a personal API token. An accounting firm or app: OAuth, approved by an administrator in Fiken.',
        ),
        options: [
          { value: 'token', label: text('Personlig API-nøkkel', 'Personlig API-nyckel', 'Personal API token') },
          {
            value: 'oauth',
            label: text('OAuth (godkjenn i Fiken)', 'OAuth (godkänn i Fiken)', 'OAuth (approve in Fiken)'),
          },
        ],
      },
      {
        key: 'accessToken',
        input: 'password',
        secret: true,
        required: true,
        onlyWhen: { key: 'authMode', value: 'token' },
        env: 'KASSEBRO_FIKEN_ACCESS_TOKEN',
        label: text('API-nøkkel', 'API-nyckel', 'API token'),
        help: text(
          'Personlig API-nøkkel fra Fiken: Rediger konto → Andre innstillinger → API.',
          'Personlig API-nyckel från Fiken: Redigera konto → Andra inställningar → API.',
          'Personal API token from Fiken: Edit account → Other settings → API.',
        ),
      },
      {
        key: 'clientId',
        input: 'text',
        secret: true,
        required: true,
        onlyWhen: { key: 'authMode', value: 'oauth' },
        env: 'KASSEBRO_FIKEN_CLIENT_ID',
        label: text('Klient-id', 'Klient-id', 'Client id'),
        help: text(
          'OAuth-klientens id fra Fiken (Rediger konto → Andre innstillinger → API → Apper).',
          'OAuth-klientens id från Fiken (Redigera konto → Andra inställningar → API → Appar).',
          'The OAuth client’s id from Fiken (Edit account → Other settings → API → Apps).',
        ),
      },
      {
        key: 'clientSecret',
        input: 'password',
        secret: true,
        required: true,
        onlyWhen: { key: 'authMode', value: 'oauth' },
        env: 'KASSEBRO_FIKEN_CLIENT_SECRET',
        label: text('Klient-hemmelighet', 'Klienthemlighet', 'Client secret'),
        help: text(
          'Hører til klient-id-en. Deretter «Koble til»: en administrator i Fiken logger inn og godkjenner.',
          'Hör till klient-id:t. Sedan «Anslut»: en administratör i Fiken loggar in och godkänner.',
          'Belongs to the client id. Then “Connect”: a Fiken administrator signs in and approves.',
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
  fortnox: {
    auth: { kind: 'oauth' },
    choices: ['voucherSeries'],
    fields: [
      {
        key: 'clientId',
        input: 'text',
        secret: true,
        required: true,
        env: 'KASSEBRO_FORTNOX_CLIENT_ID',
        label: text('Klient-id', 'Klient-id', 'Client id'),
        help: text(
          'Integrasjonens Client-ID fra Fortnox Developer Portal (følger med programmet).',
          'Integrationens Client-ID från Fortnox utvecklarportal (följer med programmet).',
          'The integration’s Client ID from the Fortnox Developer Portal (ships with the app).',
        ),
      },
      {
        key: 'clientSecret',
        input: 'password',
        secret: true,
        required: true,
        env: 'KASSEBRO_FORTNOX_CLIENT_SECRET',
        label: text('Klient-hemmelighet', 'Client secret', 'Client secret'),
        help: text(
          'Hører til klient-id-en. Deretter «Koble til»: en administrator i Fortnox logger inn og godkjenner.',
          'Hör till klient-id:t. Sedan «Anslut»: en administratör i Fortnox loggar in och godkänner integrationen.',
          'Belongs to the client id. Then “Connect”: a Fortnox administrator signs in and approves.',
        ),
      },
      {
        key: 'voucherSeries',
        input: 'text',
        secret: false,
        required: false,
        defaultValue: 'F',
        pattern: '[A-Za-z0-9]{1,10}',
        label: text('Bilagsserie', 'Verifikationsserie', 'Voucher series'),
        help: text(
          'Serien dagsoppgjørene føres i, vanligvis F (Kassa). Den må tillate manuell kontering i hvert regnskapsår.',
          'Serien dagsavsluten bokförs i, vanligen F (Kassa). Den måste ha «Manuell kontering» ikryssad för varje räkenskapsår.',
          'The series the daily settlements go to, usually F (Kassa). It must allow manual posting in every financial year.',
        ),
      },
      baseUrlField('http://127.0.0.1:PORT/3'),
      {
        key: 'tokenUrl',
        input: 'url',
        secret: false,
        required: false,
        advanced: true,
        label: text('OAuth token-adresse', 'OAuth token-adress', 'OAuth token address'),
        help: text(
          'La stå tom for produksjon. En lokal sandkasse: http://127.0.0.1:PORT/oauth-v1/token',
          'Lämna tom för produktion. En lokal sandlåda: http://127.0.0.1:PORT/oauth-v1/token',
          'Leave empty for production. A local sandbox: http://127.0.0.1:PORT/oauth-v1/token',
        ),
      },
      {
        key: 'refreshToken',
        input: 'password',
        secret: true,
        required: false,
        advanced: true,
        env: 'KASSEBRO_FORTNOX_REFRESH_TOKEN',
        label: text('Refresh token', 'Refresh token', 'Refresh token'),
        help: text(
          'Bare for sandkasse eller flytting av en tilkobling; ellers fylles den av «Koble til». Brukes bare én gang.',
          'Bara för sandlåda eller flytt av en anslutning; annars fylls den i av «Anslut». Kan bara användas en gång.',
          'Only for a sandbox or moving a connection; otherwise “Connect” fills it in. It works only once.',
        ),
      },
      {
        key: 'accessToken',
        input: 'password',
        secret: true,
        required: false,
        advanced: true,
        env: 'KASSEBRO_FORTNOX_ACCESS_TOKEN',
        label: text('Access token', 'Access token', 'Access token'),
        help: text(
          'Følger refresh-tokenet (gyldig én time).',
          'Hör ihop med refresh-token (giltig en timme).',
          'Goes with the refresh token (valid one hour).',
        ),
      },
    ],
  },
  poweroffice: {
    auth: { kind: 'fields' },
    // The client key belongs to one company in Go: nothing to choose after the connection test.
    choices: [],
    fields: [
      {
        key: 'clientKey',
        input: 'password',
        secret: true,
        required: true,
        pattern: '\\S+',
        env: 'KASSEBRO_POWEROFFICE_CLIENT_KEY',
        label: text('Klientnøkkel', 'Klientnyckel', 'Client key'),
        help: text(
          'Lages i PowerOffice Go når Kassebro-integrasjonen aktiveres for firmaet (Innstillinger → Integrasjoner). Én nøkkel per firma.',
          'Skapas i PowerOffice Go när Kassebro-integrationen aktiveras för företaget (Inställningar → Integrationer). En nyckel per företag.',
          'Created in PowerOffice Go when the Kassebro integration is activated for the company (Settings → Integrations). One key per company.',
        ),
      },
      {
        key: 'applicationKey',
        input: 'password',
        secret: true,
        required: true,
        pattern: '\\S+',
        env: 'KASSEBRO_POWEROFFICE_APPLICATION_KEY',
        label: text('Applikasjonsnøkkel', 'Applikationsnyckel', 'Application key'),
        help: text(
          'Kassebros egen nøkkel fra PowerOffice (følger med programmet, den samme for alle butikker).',
          'Kassebros egen nyckel från PowerOffice (följer med programmet, samma för alla butiker).',
          'Kassebro’s own key from PowerOffice (ships with the app, the same for every shop).',
        ),
      },
      {
        key: 'subscriptionKey',
        input: 'password',
        secret: true,
        required: true,
        pattern: '\\S+',
        env: 'KASSEBRO_POWEROFFICE_SUBSCRIPTION_KEY',
        label: text('Abonnementsnøkkel', 'Prenumerationsnyckel', 'Subscription key'),
        help: text(
          'Nøkkelen til PowerOffice Go API v2-abonnementet (følger med programmet).',
          'Nyckeln till prenumerationen på PowerOffice Go API v2 (följer med programmet).',
          'The key of the PowerOffice Go API v2 subscription (ships with the app).',
        ),
      },
      {
        key: 'endpointMode',
        input: 'select',
        secret: false,
        required: true,
        advanced: true,
        defaultValue: 'production',
        options: [
          { value: 'production', label: text('Produksjon', 'Produktion', 'Production') },
          {
            value: 'demo',
            label: text(
              'Demo (PowerOffice sitt testmiljø)',
              'Demo (PowerOffice testmiljö)',
              'Demo (PowerOffice’s test environment)',
            ),
          },
        ],
        label: text('Miljø', 'Miljö', 'Environment'),
        help: text(
          'Produksjon for det ekte regnskapet. Nøklene må komme fra samme miljø, ellers svarer PowerOffice «Client integration not found».',
          'Produktion för den riktiga bokföringen. Nycklarna måste komma från samma miljö, annars svarar PowerOffice «Client integration not found».',
          'Production for the real books. The keys must come from the same environment, or PowerOffice answers "Client integration not found".',
        ),
      },
      baseUrlField('http://127.0.0.1:PORT/v2'),
      {
        key: 'tokenUrl',
        input: 'url',
        secret: false,
        required: false,
        advanced: true,
        label: text('Token-adresse', 'Token-adress', 'Token address'),
        help: text(
          'La stå tom: den følger av miljøet eller API-adressen (…/oauth/Token).',
          'Lämna tom: den följer av miljön eller API-adressen (…/oauth/Token).',
          'Leave empty: it follows from the environment or the API address (…/oauth/Token).',
        ),
      },
    ],
  },
  // One token is one company: the company is chosen on Visma's own login page during `connect`.
  'visma-eaccounting': {
    auth: { kind: 'oauth' },
    choices: [],
    fields: [
      {
        key: 'clientId',
        input: 'text',
        secret: true,
        required: true,
        env: 'KASSEBRO_VISMA_EACCOUNTING_CLIENT_ID',
        label: text('Klient-id', 'Klient-id', 'Client id'),
        help: text(
          'Integrasjonens klient-id fra Visma Developer Portal (følger med programmet).',
          'Integrationens klient-id från Visma Developer Portal (följer med programmet).',
          'The integration’s client id from the Visma Developer Portal (ships with the app).',
        ),
      },
      {
        key: 'clientSecret',
        input: 'password',
        secret: true,
        required: true,
        env: 'KASSEBRO_VISMA_EACCOUNTING_CLIENT_SECRET',
        label: text('Klienthemmelighet', 'Klienthemlighet', 'Client secret'),
        help: text(
          'Hører til klient-id-en. Etterpå logger du inn hos Visma i nettleseren og velger firmaet.',
          'Hör till klient-id:t. Sedan loggar du in hos Visma i webbläsaren och väljer företaget.',
          'Belongs to the client id. Then you log in at Visma in the browser and pick the company.',
        ),
      },
      baseUrlField('http://127.0.0.1:PORT/v2'),
      {
        key: 'authorizeUrl',
        input: 'url',
        secret: false,
        required: false,
        advanced: true,
        label: text('Innloggingsadresse', 'Inloggningsadress', 'Authorize address'),
        help: text(
          'La stå tom for produksjon. Sandkasse: http://127.0.0.1:PORT/connect/authorize',
          'Lämna tom för produktion. Sandlåda: http://127.0.0.1:PORT/connect/authorize',
          'Leave empty for production. Sandbox: http://127.0.0.1:PORT/connect/authorize',
        ),
      },
      {
        key: 'tokenUrl',
        input: 'url',
        secret: false,
        required: false,
        advanced: true,
        label: text('OAuth token-adresse', 'OAuth token-adress', 'OAuth token address'),
        help: text(
          'La stå tom for produksjon. Sandkasse: http://127.0.0.1:PORT/connect/token',
          'Lämna tom för produktion. Sandlåda: http://127.0.0.1:PORT/connect/token',
          'Leave empty for production. Sandbox: http://127.0.0.1:PORT/connect/token',
        ),
      },
    ],
  },
  '24sevenoffice': {
    auth: { kind: 'fields' },
    choices: ['company'],
    fields: [
      {
        key: 'username',
        input: 'text',
        secret: true,
        required: true,
        env: 'KASSEBRO_24SEVENOFFICE_USERNAME',
        pattern: '[^@\\s]+@[^@\\s]+',
        label: text('Brukernavn (e-post)', 'Användarnamn (e-post)', 'User name (e-mail)'),
        help: text(
          'E-postadressen du logger inn i 24SevenOffice med. Bruk gjerne en egen bruker for kassen med rett til å føre bilag.',
          'E-postadressen du loggar in i 24SevenOffice med. Använd gärna en egen användare för kassan som får bokföra.',
          'The e-mail address you log in to 24SevenOffice with. Preferably a user of its own for the till, allowed to post vouchers.',
        ),
      },
      {
        key: 'password',
        input: 'password',
        secret: true,
        required: true,
        env: 'KASSEBRO_24SEVENOFFICE_PASSWORD',
        label: text('Passord', 'Lösenord', 'Password'),
        help: text(
          'Passordet til brukeren over. Lagres kryptert på denne maskinen.',
          'Lösenordet till användaren ovan. Sparas krypterat på den här datorn.',
          'The password of that user. Stored encrypted on this machine.',
        ),
      },
      {
        key: 'applicationId',
        input: 'text',
        secret: true,
        required: true,
        advanced: true,
        env: 'KASSEBRO_24SEVENOFFICE_APPLICATION_ID',
        pattern: '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}',
        label: text('Applikasjons-id', 'Applikations-id', 'Application id'),
        help: text(
          'Integrasjonens id fra 24SevenOffice (følger med Kassebro; gjelder alle kunder).',
          'Integrationens id från 24SevenOffice (följer med Kassebro; gäller alla kunder).',
          'The integration’s id from 24SevenOffice (ships with Kassebro; the same for every customer).',
        ),
      },
      {
        key: 'identityId',
        input: 'text',
        secret: false,
        required: false,
        pattern: '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}',
        label: text('Firma (identitet)', 'Bolag (identitet)', 'Company (identity)'),
        help: text(
          'Hvilket firma bilagene føres i, når brukeren har tilgang til flere. Velges fra listen etter «Test forbindelsen»; tom = brukerens standardfirma.',
          'Vilket bolag verifikationerna bokförs i, när användaren har åtkomst till flera. Väljs i listan efter «Testa anslutningen»; tom = användarens standardbolag.',
          'Which company the vouchers go to when the user has access to several. Picked from the list after “Test connection”; empty = the user’s default company.',
        ),
      },
      {
        key: 'typeNo',
        input: 'number',
        secret: false,
        required: false,
        advanced: true,
        pattern: '\\d+',
        label: text('Bilagsart', 'Verifikationstyp', 'Voucher type'),
        help: text(
          'Nummeret på bilagsarten dagsoppgjørene føres med (regnskapsfører vet). Tom = en art med «kasse» i navnet, ellers den første.',
          'Numret på verifikationstypen dagsavslutet bokförs med (redovisningskonsulten vet). Tom = en typ med «kasse» i namnet, annars den första.',
          'Number of the voucher type the daily settlements are posted with (ask the accountant). Empty = a type named “kasse”, else the first.',
        ),
      },
      baseUrlField('http://127.0.0.1:PORT'),
    ],
  },
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
