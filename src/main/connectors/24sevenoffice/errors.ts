import type { Language } from '../../../shared/settlement-keys';
import { ConnectorError, type Explanation, type SyncErrorCode } from '../errors';

type Explained = Readonly<Record<Language, Explanation>>;

/** Where the generic explanation of the code would send the user the wrong way. */
const EXPLAINED = {
  identity: {
    nb: {
      explanation:
        'Innloggingen virket, men brukeren har ikke (lenger) tilgang til det valgte firmaet (identiteten) i 24SevenOffice.',
      hint: 'Velg firma på nytt i oppsettet av målet (eller la feltet stå tomt for brukerens standardfirma). Sjekk i 24SevenOffice at brukeren fortsatt har tilgang til firmaet.',
    },
    sv: {
      explanation:
        'Inloggningen fungerade, men användaren har inte (längre) åtkomst till det valda bolaget (identiteten) i 24SevenOffice.',
      hint: 'Välj bolag igen i inställningen av målet (eller lämna fältet tomt för användarens standardbolag). Kontrollera i 24SevenOffice att användaren fortfarande har åtkomst.',
    },
    en: {
      explanation:
        'The login worked, but the user has no (longer any) access to the chosen company (identity) in 24SevenOffice.',
      hint: 'Choose the company again in the target setup (or leave it empty for the user’s default company). Check in 24SevenOffice that the user still has access to it.',
    },
  },
  notAuthenticated: {
    nb: {
      explanation:
        '24SevenOffice godtok ikke økten, heller ikke etter en ny innlogging (økten ble avsluttet, eller brukeren ble logget ut eller sperret).',
      hint: 'Kontroller brukernavn, passord og applikasjons-id i oppsettet og at brukeren kan logge inn i 24SevenOffice. For mange innlogginger på kort tid blir strupet: vent litt og prøv igjen.',
    },
    sv: {
      explanation:
        '24SevenOffice godtog inte sessionen, inte heller efter en ny inloggning (sessionen avslutades eller användaren loggades ut eller spärrades).',
      hint: 'Kontrollera användarnamn, lösenord och applikations-id i inställningen och att användaren kan logga in i 24SevenOffice. För många inloggningar på kort tid stryps: vänta och försök igen.',
    },
    en: {
      explanation:
        '24SevenOffice did not accept the session, not even after logging in again (the session ended, or the user was logged out or blocked).',
      hint: 'Check user name, password and application id in the setup and that the user can log in to 24SevenOffice. Many logins in a short time are throttled: wait a little and try again.',
    },
  },
  loginRefused: {
    nb: {
      explanation:
        '24SevenOffice svarte på innloggingen uten økt: brukernavn, passord eller applikasjons-id stemmer ikke.',
      hint: 'Skriv inn passordet på nytt i oppsettet (brukernavnet er en e-postadresse). Applikasjons-id-en følger med Kassebro og skal normalt ikke endres.',
    },
    sv: {
      explanation:
        '24SevenOffice svarade på inloggningen utan session: användarnamn, lösenord eller applikations-id stämmer inte.',
      hint: 'Ange lösenordet igen i inställningen (användarnamnet är en e-postadress). Applikations-id följer med Kassebro och ska normalt inte ändras.',
    },
    en: {
      explanation:
        '24SevenOffice answered the login without a session: user name, password or application id is wrong.',
      hint: 'Enter the password again in the setup (the user name is an e-mail address). The application id ships with Kassebro and normally stays as it is.',
    },
  },
  unmappedKey: {
    nb: {
      explanation:
        'En linje på bilaget har ingen konto (24SevenOffice leser en tom konto som konto 0): en betalingsmåte eller linje, ofte gavekort, tilgodelapp eller avvik, har beløp men ingen konto i kontooppsettet.',
      hint: 'Åpne kontooppsettet, gi linjen en konto og send dagen på nytt.',
    },
    sv: {
      explanation:
        'En rad på verifikationen saknar konto (24SevenOffice läser ett tomt konto som konto 0): ett betalsätt eller en rad, ofta presentkort, tillgodokvitto eller differens, har belopp men inget konto i konteringen.',
      hint: 'Öppna konteringen, ge raden ett konto och skicka dagen igen.',
    },
    en: {
      explanation:
        'A line of the voucher has no account (24SevenOffice reads an empty account as account 0): a payment kind or line, often a gift card, credit note or difference, has an amount but no account in the mapping.',
      hint: 'Open the account mapping, give the line an account and send the day again.',
    },
  },
} as const satisfies Record<string, Explained>;

const QUARANTINE = /Limit exceeded by \d+\. Request is blocked\. Quarantine ends at ([\d\-T:.Z ]+)/i;
const IDENTITY = /IdentityId is (not valid|blocked)/i;
const NOT_AUTHENTICATED = /not authenticated|NotAuthenticated|Authentication failed|session (has )?expired/i;

/** What the target's words mean, checked in this order (the texts are in specs/24sevenoffice.md §6). */
const RULES: readonly { readonly pattern: RegExp; readonly code: SyncErrorCode; readonly explained?: Explained }[] = [
  { pattern: QUARANTINE, code: 'rate_limited' },
  { pattern: IDENTITY, code: 'auth', explained: EXPLAINED.identity },
  { pattern: NOT_AUTHENTICATED, code: 'auth', explained: EXPLAINED.notAuthenticated },
  { pattern: /AccountNo '0' does not exist/i, code: 'invalid_account', explained: EXPLAINED.unmappedKey },
  { pattern: /AccountNo '\d+' does not exist|AccountDontExist/i, code: 'invalid_account' },
  { pattern: /locked to TaxNo|TaxNo '[^']*' does not exist|tax code .* not allowed/i, code: 'vat_code_not_allowed' },
  { pattern: /not in balance|difference/i, code: 'unbalanced' },
  { pattern: /period .* locked|locked period|fiscal year .* (locked|closed|not set up)/i, code: 'locked_period' },
  { pattern: /already (saved|in use)|DuplicateData|DataAlreadySaved/i, code: 'duplicate' },
];

function classified(text: string, fallback: SyncErrorCode, status?: number): ConnectorError {
  const rule = RULES.find((candidate) => candidate.pattern.test(text));
  const code = rule?.code ?? fallback;
  const until = code === 'rate_limited' ? QUARANTINE.exec(text)?.[1] : undefined;
  const retryAfterMs = until
    ? Math.max(0, Date.parse(until.endsWith('Z') ? until : `${until}Z`) - Date.now())
    : undefined;
  return new ConnectorError(code, text, {
    ...(status === undefined ? {} : { status }),
    ...(retryAfterMs === undefined || Number.isNaN(retryAfterMs) ? {} : { retryAfterMs }),
    ...(rule?.explained ? { explained: rule.explained } : {}),
  });
}

/** A SOAP fault (HTTP 500): the .NET faultstring verbatim; an unknown server-side fault is transient. */
export function faultError(faultstring: string, faultcode: string, status: number): ConnectorError {
  return classified(faultstring, /client/i.test(faultcode) ? 'bad_request' : 'server_error', status);
}

/** SaveBundleList answers in-band: SaveResponse.Type ≠ Ok with a human Description. */
export function saveResponseError(type: string, description: string): ConnectorError {
  const text = description ? `${type}: ${description}` : type;
  if (type === 'NotAuthenticated') return classified(text, 'auth');
  if (type === 'DuplicateData' || type === 'DataAlreadySaved') return new ConnectorError('duplicate', text);
  return classified(text, type === 'SystemError' ? 'server_error' : 'bad_request');
}

/** An HTTP answer that is no SOAP envelope (a gateway page, 429 from a proxy). */
export function httpError(status: number, body: string, retryAfterMs: number | undefined): ConnectorError {
  const words = body
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
  const text = `HTTP ${status}${words ? `: ${words}` : ''}`;
  const code: SyncErrorCode =
    status === 429
      ? 'rate_limited'
      : status >= 500
        ? 'server_error'
        : status === 401 || status === 403
          ? 'auth'
          : 'bad_request';
  return new ConnectorError(code, text, { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
}

/** Login answered without a session id (spec §2: an empty LoginResult, UNCONFIRMED against a fault). */
export function loginRefused(): ConnectorError {
  return new ConnectorError('auth', 'Login: LoginResult was empty (no session was created).', {
    explained: EXPLAINED.loginRefused,
  });
}

/** SetIdentityById may also just answer false (the WSDL says bool) instead of the fault. */
export function identityRefused(identityId: string): ConnectorError {
  return new ConnectorError('auth', `SetIdentityById(${identityId}) returned false: the IdentityId is not valid.`, {
    explained: EXPLAINED.identity,
  });
}

/** GetIdentities marks none as current: the session is on no company the user can reach. */
export function noCurrentIdentity(): ConnectorError {
  return new ConnectorError('auth', 'GetIdentities: no identity is marked IsCurrent for this session.', {
    explained: EXPLAINED.identity,
  });
}

/** The session is gone (expired, logged out): worth one new Login before giving up. */
export function isSessionLost(error: unknown): boolean {
  return error instanceof ConnectorError && error.code === 'auth' && NOT_AUTHENTICATED.test(error.targetMessage);
}
