import type { Language } from '../../shared/settlement-keys';

/** What went wrong at a target, in the app's words; every connector maps its target's errors onto these. */
export type SyncErrorCode =
  | 'auth'
  | 'invalid_account'
  | 'vat_code_not_allowed'
  | 'locked_period'
  | 'duplicate'
  | 'unbalanced'
  | 'rate_limited'
  | 'server_error'
  | 'bad_request'
  | 'offline'
  | 'unknown_outcome';

/**
 * Transient errors are retried by the engine on its own; the others wait for a person, because
 * sending the same voucher again would get the same answer.
 */
export const TRANSIENT_CODES: ReadonlySet<SyncErrorCode> = new Set<SyncErrorCode>([
  'rate_limited',
  'server_error',
  'offline',
  'unknown_outcome',
]);

export function isTransient(code: SyncErrorCode): boolean {
  return TRANSIENT_CODES.has(code);
}

/** A target's answer (or the lack of one), mapped: the target's own words are kept verbatim. */
export class ConnectorError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    /** The target's message verbatim (after redaction), or our description of a network failure. */
    readonly targetMessage: string,
    readonly detail: {
      readonly status?: number;
      /** Milliseconds the target asked us to wait (Retry-After / reset headers). */
      readonly retryAfterMs?: number;
      /** True when the request may have reached the target (timeout/dropped connection after sending). */
      readonly mayHaveArrived?: boolean;
      /** A target-specific explanation where the generic one for the code would mislead. */
      readonly explained?: Readonly<Record<Language, Explanation>>;
    } = {},
  ) {
    super(`${code}: ${targetMessage}`);
    this.name = 'ConnectorError';
  }
}

export interface Explanation {
  readonly explanation: string;
  readonly hint: string;
}

const TEXTS: Readonly<Record<Language, Readonly<Record<SyncErrorCode, Explanation>>>> = {
  en: {
    auth: {
      explanation: 'The accounting system did not accept our login (the key or token is wrong, expired or revoked).',
      hint: 'Check the target’s keys or connect it again (setup, or "kassebro target add" / "target connect"). The user behind them needs the right to post vouchers in this company.',
    },
    invalid_account: {
      explanation: 'An account on the voucher does not exist or is inactive in the accounting system.',
      hint: 'Create or activate the account in the accounting system, or map the line to another account, then retry.',
    },
    vat_code_not_allowed: {
      explanation:
        'The accounting system does not accept the VAT code on a line: the account is locked to another VAT code, or the code does not exist there.',
      hint: 'In the account mapping, use the VAT code the account is locked to (or one the system has), or another account.',
    },
    locked_period: {
      explanation: 'The date of the voucher is in a closed period (VAT return filed, bank reconciled or year closed).',
      hint: 'Ask the accountant to reopen the period, or post this day manually on a date in an open period.',
    },
    duplicate: {
      explanation: 'The accounting system says this voucher (or its number) already exists.',
      hint: 'Check the voucher in the accounting system; Kassebro looked for it by its reference and did not send it again.',
    },
    unbalanced: {
      explanation: 'The accounting system says debit and credit of the voucher differ.',
      hint: 'Check the mapping of every payment kind; Kassebro never sends a voucher it knows is unbalanced, so report this.',
    },
    rate_limited: {
      explanation: 'The accounting system asked us to slow down (too many requests).',
      hint: 'Nothing to do: Kassebro waits as long as asked and continues.',
    },
    server_error: {
      explanation: 'The accounting system had an internal error or is down for maintenance.',
      hint: 'Nothing to do: Kassebro retries later on its own. If it lasts for days, check the target’s status page.',
    },
    bad_request: {
      explanation: 'The accounting system refused the voucher as invalid.',
      hint: 'Read the target’s message; usually a field in the mapping or the setup needs correcting.',
    },
    offline: {
      explanation: 'The accounting system could not be reached (no network or the service is down).',
      hint: 'Nothing to do: the vouchers wait in the queue and are sent when the connection is back.',
    },
    unknown_outcome: {
      explanation: 'The connection dropped after the voucher was sent, so we do not know whether it was stored.',
      hint: 'Nothing to do: before sending again Kassebro asks the accounting system whether it already has it.',
    },
  },
  nb: {
    auth: {
      explanation:
        'Regnskapssystemet godtok ikke innloggingen (nøkkelen eller tokenet er feil, utløpt eller trukket tilbake).',
      hint: 'Sjekk nøklene eller koble til på nytt (oppsett, eller «kassebro target add» / «target connect»). Brukeren bak dem må ha rett til å føre bilag i dette firmaet.',
    },
    invalid_account: {
      explanation: 'En konto på bilaget finnes ikke eller er inaktiv i regnskapssystemet.',
      hint: 'Opprett eller aktiver kontoen i regnskapssystemet, eller velg en annen konto i kontooppsettet, og prøv igjen.',
    },
    vat_code_not_allowed: {
      explanation:
        'Regnskapssystemet godtar ikke mva-koden på en linje: kontoen er låst til en annen mva-kode, eller koden finnes ikke der.',
      hint: 'Bruk mva-koden kontoen er låst til (eller en kode systemet har) i kontooppsettet, eller velg en annen konto.',
    },
    locked_period: {
      explanation: 'Bilagsdatoen ligger i en låst periode (mva-melding sendt, bank avstemt eller året avsluttet).',
      hint: 'Be regnskapsføreren åpne perioden, eller før dagen manuelt på en dato i en åpen periode.',
    },
    duplicate: {
      explanation: 'Regnskapssystemet sier at bilaget (eller nummeret) finnes fra før.',
      hint: 'Sjekk bilaget i regnskapssystemet; Kassebro søkte etter det på referansen og sendte det ikke på nytt.',
    },
    unbalanced: {
      explanation: 'Regnskapssystemet sier at debet og kredit på bilaget ikke går opp.',
      hint: 'Sjekk kontooppsettet for alle betalingsmåter; Kassebro sender aldri et bilag det vet ikke balanserer, så meld fra om dette.',
    },
    rate_limited: {
      explanation: 'Regnskapssystemet ba oss sende saktere (for mange forespørsler).',
      hint: 'Ingenting å gjøre: Kassebro venter så lenge det blir bedt om og fortsetter.',
    },
    server_error: {
      explanation: 'Regnskapssystemet hadde en intern feil eller er nede for vedlikehold.',
      hint: 'Ingenting å gjøre: Kassebro prøver igjen selv. Varer det i dager, sjekk statussiden til systemet.',
    },
    bad_request: {
      explanation: 'Regnskapssystemet avviste bilaget som ugyldig.',
      hint: 'Les meldingen fra systemet; som regel må et felt i kontooppsettet eller oppsettet rettes.',
    },
    offline: {
      explanation: 'Fikk ikke kontakt med regnskapssystemet (ikke nett, eller tjenesten er nede).',
      hint: 'Ingenting å gjøre: bilagene venter i køen og sendes når forbindelsen er tilbake.',
    },
    unknown_outcome: {
      explanation: 'Forbindelsen brøt etter at bilaget ble sendt, så vi vet ikke om det ble lagret.',
      hint: 'Ingenting å gjøre: før det sendes på nytt spør Kassebro regnskapssystemet om det allerede har bilaget.',
    },
  },
  sv: {
    auth: {
      explanation:
        'Bokföringssystemet godtog inte inloggningen (nyckeln eller token är fel, har gått ut eller dragits tillbaka).',
      hint: 'Kontrollera nycklarna eller anslut igen (inställningar, eller «kassebro target add» / «target connect»). Användaren bakom dem måste få bokföra i bolaget; i Fortnox måste en administratör godkänna integrationen.',
    },
    invalid_account: {
      explanation: 'Ett konto på verifikationen finns inte eller är inaktivt i bokföringssystemet.',
      hint: 'Skapa eller aktivera kontot för räkenskapsåret, eller välj ett annat konto i konteringen, och försök igen.',
    },
    vat_code_not_allowed: {
      explanation:
        'Bokföringssystemet godtar inte momskoden på en rad: kontot är låst till en annan momskod, eller koden finns inte där.',
      hint: 'Använd momskoden kontot är låst till (eller en kod systemet har) i konteringen, eller välj ett annat konto.',
    },
    locked_period: {
      explanation:
        'Verifikationens datum ligger i en låst period (momsdeklaration lämnad eller räkenskapsår saknas/stängt).',
      hint: 'Be redovisningskonsulten låsa upp perioden eller skapa räkenskapsåret, eller bokför dagen manuellt i en öppen period.',
    },
    duplicate: {
      explanation: 'Bokföringssystemet säger att verifikationen (eller numret) redan finns.',
      hint: 'Kontrollera verifikationen i bokföringssystemet; Kassebro sökte efter den på referensen och skickade den inte igen.',
    },
    unbalanced: {
      explanation: 'Bokföringssystemet säger att debet och kredit på verifikationen inte går ihop.',
      hint: 'Kontrollera konteringen för alla betalsätt; Kassebro skickar aldrig en verifikation den vet är obalanserad, så rapportera detta.',
    },
    rate_limited: {
      explanation: 'Bokföringssystemet bad oss skicka långsammare (för många anrop).',
      hint: 'Inget att göra: Kassebro väntar så länge som begärs och fortsätter.',
    },
    server_error: {
      explanation: 'Bokföringssystemet hade ett internt fel eller är nere för underhåll.',
      hint: 'Inget att göra: Kassebro försöker igen själv. Om det varar i dagar, kontrollera systemets statussida.',
    },
    bad_request: {
      explanation: 'Bokföringssystemet avvisade verifikationen som ogiltig.',
      hint: 'Läs systemets meddelande; oftast behöver ett fält i konteringen eller inställningen rättas.',
    },
    offline: {
      explanation: 'Fick inte kontakt med bokföringssystemet (inget nät eller tjänsten är nere).',
      hint: 'Inget att göra: verifikationerna väntar i kön och skickas när anslutningen är tillbaka.',
    },
    unknown_outcome: {
      explanation: 'Anslutningen bröts efter att verifikationen skickats, så vi vet inte om den sparades.',
      hint: 'Inget att göra: innan den skickas igen frågar Kassebro bokföringssystemet om den redan finns.',
    },
  },
};

export interface ExplainedError {
  readonly code: SyncErrorCode;
  readonly targetMessage: string;
  readonly explanation: string;
  readonly hint: string;
}

/** The target's words verbatim beside our plain explanation and what to do about it. */
export function explainError(error: ConnectorError, language: Language): ExplainedError {
  const text = error.detail.explained?.[language] ?? TEXTS[language][error.code];
  return { code: error.code, targetMessage: error.targetMessage, explanation: text.explanation, hint: text.hint };
}
