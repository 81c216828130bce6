import { formatAmountForPeople, type Ore } from './money';
import { keyInfo, type Language, type LineKey } from './settlement-keys';

/** Machine codes of everything that can stop (or annotate) a voucher before it is queued. */
export type ProblemCode =
  | 'interim_report'
  | 'empty_settlement'
  | 'unmapped_key'
  | 'missing_vat_code'
  | 'missing_vat_account'
  | 'account_missing'
  | 'account_inactive'
  | 'vat_code_unknown'
  | 'vat_code_locked'
  | 'unbalanced'
  | 'residual_to_rounding'
  | 'residual_to_difference'
  | 'invoice_double_booking'
  | 'invoice_clearing_open'
  | 'invoice_after_z'
  | 'amounts_too_large'
  | 'build_failed';

/** error: the voucher is refused. skip: nothing to post, on purpose. warning: posted, but look. */
export type Severity = 'error' | 'skip' | 'warning';

export interface SettlementRef {
  readonly id: number;
  readonly registerId: string;
  readonly reportNumber: string;
  readonly businessDate: string;
  readonly kind: 'Z' | 'X';
}

export interface Problem {
  readonly code: ProblemCode;
  readonly severity: Severity;
  readonly settlement: SettlementRef;
  readonly key?: LineKey;
  readonly account?: string;
  readonly vatCode?: string;
  /** The code the account is locked to, for vat_code_locked. */
  readonly lockedVatCode?: string;
  readonly amount?: Ore;
  /** The POS's own code for the line, when the source gave one. */
  readonly sourceCode?: string;
  /** Invoice sales of the report, for the invoice problems. */
  readonly invoiceCount?: number;
  /** The one invoice sale a problem is about: the POS's number, the customer, and who issued it. */
  readonly invoice?: { readonly posNumber: string; readonly customer: string; readonly issuedByPos: boolean };
  /** What went wrong, for build_failed: the error's own words. */
  readonly detail?: string;
}

export const SEVERITY_OF: Readonly<Record<ProblemCode, Severity>> = {
  interim_report: 'skip',
  empty_settlement: 'skip',
  unmapped_key: 'error',
  missing_vat_code: 'error',
  missing_vat_account: 'error',
  account_missing: 'error',
  account_inactive: 'error',
  vat_code_unknown: 'error',
  vat_code_locked: 'error',
  unbalanced: 'error',
  residual_to_rounding: 'warning',
  residual_to_difference: 'warning',
  invoice_double_booking: 'error',
  invoice_clearing_open: 'warning',
  invoice_after_z: 'warning',
  amounts_too_large: 'error',
  build_failed: 'error',
};

type Texts = (p: Problem, fmt: Formatters) => string;
interface Formatters {
  readonly key: string;
  readonly amount: string;
  readonly report: string;
}

const MESSAGES: Readonly<Record<Language, Readonly<Record<ProblemCode, Texts>>>> = {
  en: {
    interim_report: (_p, f) => `${f.report} is an X-report (interim read-out); only Z-reports are posted.`,
    empty_settlement: (_p, f) => `${f.report} has no sales or payments; nothing to post, so it is skipped.`,
    unmapped_key: (_p, f) =>
      `${f.report}: "${f.key}" has ${f.amount} but no account in the account mapping. Choose an account for "${f.key}".`,
    missing_vat_code: (p, f) =>
      `${f.report}: "${f.key}" (${f.amount}) is mapped to account ${p.account} without a VAT code; sales need one, or the VAT is lost.`,
    missing_vat_account: (_p, f) =>
      `${f.report}: "${f.key}" has VAT of ${f.amount} but no output-VAT account; set the VAT account (26xx) for "${f.key}".`,
    account_missing: (p, f) =>
      `${f.report}: account ${p.account} (for "${f.key}") does not exist in the accounting system's chart of accounts.`,
    account_inactive: (p, f) =>
      `${f.report}: account ${p.account} (for "${f.key}") is inactive in the accounting system; activate it or map "${f.key}" elsewhere.`,
    vat_code_unknown: (p, f) =>
      `${f.report}: VAT code ${p.vatCode} (for "${f.key}") is not one of the accounting system's VAT codes.`,
    vat_code_locked: (p, f) =>
      `${f.report}: account ${p.account} is locked to VAT code ${p.lockedVatCode ?? 'none'}, but "${f.key}" uses ${p.vatCode ?? 'none'}. Change the VAT code or the account.`,
    unbalanced: (_p, f) =>
      `${f.report}: debit and credit differ by ${f.amount}; the report's own lines do not add up, so the voucher is not sent. Check that every payment kind is read.`,
    residual_to_rounding: (_p, f) =>
      `${f.report}: ${f.amount} of rounding was not reported by the POS and is posted as rounding.`,
    residual_to_difference: (_p, f) =>
      `${f.report}: the POS's sales and payments differ by ${f.amount}; it is posted as cash difference. Ask the shop whether a payment is missing.`,
    invoice_double_booking: (p, f) =>
      `${f.report}: ${p.invoiceCount ?? 0} invoice sale(s) (${f.amount}) are sent as invoices while "include invoiced sales in the Z revenue" is on, so their revenue and VAT would be booked twice. Set the Z revenue to "clearing" (invoice sales then go to the invoice clearing account only) or turn invoice transfer off.`,
    invoice_clearing_open: (_p, f) =>
      `${f.report}: the POS reports ${f.amount} more paid by invoice than the invoices read for that day. Until the missing invoice is read, that amount is booked as revenue in this settlement and stands on the invoice clearing account; read the invoice before the voucher is sent and it is sent as an invoice instead.`,
    invoice_after_z: (p, f) =>
      `${f.report}: invoice sale ${p.invoice?.posNumber ?? ''} to ${p.invoice?.customer ?? ''} (${f.amount}) was read after this daily settlement had been sent, and the settlement already booked it as revenue with the amount on account ${p.account ?? f.key}. Kassebro holds the invoice back: sending it as well would book the revenue and VAT twice. ${
        p.invoice?.issuedByPos
          ? `The customer already has the POS's invoice; only the customer-ledger entry is missing: register it in the accounting system against account ${p.account ?? f.key}, not against sales`
          : `The customer has not been invoiced: make the invoice by hand in the accounting system and book it against account ${p.account ?? f.key}, not against sales`
      }, or ask your accountant.`,
    amounts_too_large: (p, f) =>
      `${f.report}: its amounts add up to more than Kassebro can count to the øre (over 90,071,992,547,409.91), so no voucher is built and the report is not sent; the other reports are. Check the report in the POS; if it is wrong, remove it: kassebro settlements remove ${p.settlement.id}.`,
    build_failed: (p, f) =>
      `${f.report}: no voucher could be built (${p.detail ?? 'unknown reason'}), so the report is not sent; the other reports are. Check the report; if it is wrong, remove it: kassebro settlements remove ${p.settlement.id}.`,
  },
  nb: {
    interim_report: (_p, f) => `${f.report} er en X-rapport (mellomrapport); bare Z-rapporter bokføres.`,
    empty_settlement: (_p, f) => `${f.report} har verken salg eller betalinger; ingenting å bokføre, hoppes over.`,
    unmapped_key: (_p, f) =>
      `${f.report}: «${f.key}» har ${f.amount}, men ingen konto i kontooppsettet. Velg en konto for «${f.key}».`,
    missing_vat_code: (p, f) =>
      `${f.report}: «${f.key}» (${f.amount}) går til konto ${p.account} uten mva-kode; salg må ha mva-kode, ellers forsvinner mvaen.`,
    missing_vat_account: (_p, f) =>
      `${f.report}: «${f.key}» har ${f.amount} i mva, men ingen konto for utgående mva; velg mva-konto for «${f.key}».`,
    account_missing: (p, f) =>
      `${f.report}: konto ${p.account} (for «${f.key}») finnes ikke i regnskapssystemets kontoplan.`,
    account_inactive: (p, f) =>
      `${f.report}: konto ${p.account} (for «${f.key}») er inaktiv i regnskapssystemet; aktiver den eller velg en annen konto.`,
    vat_code_unknown: (p, f) => `${f.report}: mva-kode ${p.vatCode} (for «${f.key}») finnes ikke i regnskapssystemet.`,
    vat_code_locked: (p, f) =>
      `${f.report}: konto ${p.account} er låst til mva-kode ${p.lockedVatCode ?? 'ingen'}, men «${f.key}» bruker ${p.vatCode ?? 'ingen'}. Endre mva-koden eller kontoen.`,
    unbalanced: (_p, f) =>
      `${f.report}: debet og kredit avviker med ${f.amount}; rapportens egne linjer går ikke opp, så bilaget sendes ikke. Sjekk at alle betalingsmåter blir lest.`,
    residual_to_rounding: (_p, f) =>
      `${f.report}: ${f.amount} i øreavrunding manglet i rapporten og bokføres som avrunding.`,
    residual_to_difference: (_p, f) =>
      `${f.report}: salg og betalinger i kassen avviker med ${f.amount}; det bokføres som kassedifferanse. Spør butikken om en betaling mangler.`,
    invoice_double_booking: (p, f) =>
      `${f.report}: ${p.invoiceCount ?? 0} fakturasalg (${f.amount}) sendes som fakturaer mens «ta med fakturert salg i Z-omsetningen» er på, så omsetningen og mvaen ville blitt bokført to ganger. Sett Z-omsetningen til «mellomregning» (fakturasalg føres da bare mot mellomregningskontoen) eller slå av fakturaoverføringen.`,
    invoice_clearing_open: (_p, f) =>
      `${f.report}: kassen rapporterer ${f.amount} mer betalt med faktura enn fakturaene som er lest for dagen. Til fakturaen som mangler er lest, føres beløpet som omsetning i dette oppgjøret og står på mellomregningskontoen for faktura; les fakturaen før bilaget sendes, så sendes den som faktura i stedet.`,
    invoice_after_z: (p, f) =>
      `${f.report}: fakturasalg ${p.invoice?.posNumber ?? ''} til ${p.invoice?.customer ?? ''} (${f.amount}) ble lest etter at dette dagsoppgjøret var sendt, og oppgjøret har allerede bokført det som omsetning med beløpet på konto ${p.account ?? f.key}. Kassebro holder fakturaen tilbake: sendes den også, blir omsetningen og mvaen bokført to ganger. ${
        p.invoice?.issuedByPos
          ? `Kunden har allerede fått kassens faktura; bare posteringen i kundereskontroen mangler: før den i regnskapssystemet mot konto ${p.account ?? f.key}, ikke mot salg`
          : `Kunden er ikke fakturert: lag fakturaen for hånd i regnskapssystemet og før den mot konto ${p.account ?? f.key}, ikke mot salg`
      }, eller spør regnskapsføreren.`,
    amounts_too_large: (p, f) =>
      `${f.report}: beløpene summerer seg til mer enn Kassebro kan telle nøyaktig på øren (over 90 071 992 547 409,91), så det lages ikke bilag og rapporten sendes ikke; de andre rapportene sendes. Sjekk rapporten i kassen; er den feil, fjern den: kassebro settlements remove ${p.settlement.id}.`,
    build_failed: (p, f) =>
      `${f.report}: bilaget kunne ikke lages (${p.detail ?? 'ukjent årsak'}), så rapporten sendes ikke; de andre rapportene sendes. Sjekk rapporten; er den feil, fjern den: kassebro settlements remove ${p.settlement.id}.`,
  },
  sv: {
    interim_report: (_p, f) => `${f.report} är en X-rapport (mellanrapport); bara Z-rapporter bokförs.`,
    empty_settlement: (_p, f) =>
      `${f.report} har varken försäljning eller betalningar; inget att bokföra, hoppas över.`,
    unmapped_key: (_p, f) =>
      `${f.report}: "${f.key}" har ${f.amount} men inget konto i konteringen. Välj ett konto för "${f.key}".`,
    missing_vat_code: (p, f) =>
      `${f.report}: "${f.key}" (${f.amount}) går till konto ${p.account} utan momskod; försäljning behöver en, annars försvinner momsen.`,
    missing_vat_account: (_p, f) =>
      `${f.report}: "${f.key}" har ${f.amount} i moms men inget konto för utgående moms; välj momskonto (26xx) för "${f.key}".`,
    account_missing: (p, f) =>
      `${f.report}: konto ${p.account} (för "${f.key}") finns inte i bokföringssystemets kontoplan.`,
    account_inactive: (p, f) =>
      `${f.report}: konto ${p.account} (för "${f.key}") är inaktivt i bokföringssystemet; aktivera det eller välj ett annat konto.`,
    vat_code_unknown: (p, f) => `${f.report}: momskod ${p.vatCode} (för "${f.key}") finns inte i bokföringssystemet.`,
    vat_code_locked: (p, f) =>
      `${f.report}: konto ${p.account} är låst till momskod ${p.lockedVatCode ?? 'ingen'}, men "${f.key}" använder ${p.vatCode ?? 'ingen'}. Ändra momskoden eller kontot.`,
    unbalanced: (_p, f) =>
      `${f.report}: debet och kredit skiljer ${f.amount}; rapportens egna rader går inte ihop, så verifikationen skickas inte. Kontrollera att alla betalsätt läses.`,
    residual_to_rounding: (_p, f) =>
      `${f.report}: ${f.amount} i öresavrundning saknades i rapporten och bokförs som avrundning.`,
    residual_to_difference: (_p, f) =>
      `${f.report}: kassans försäljning och betalningar skiljer ${f.amount}; det bokförs som kassadifferens. Fråga butiken om en betalning saknas.`,
    invoice_double_booking: (p, f) =>
      `${f.report}: ${p.invoiceCount ?? 0} fakturaförsäljning(ar) (${f.amount}) skickas som fakturor medan "ta med fakturerad försäljning i Z-omsättningen" är på, så omsättningen och momsen skulle bokföras två gånger. Ställ Z-omsättningen på "avräkning" (fakturaförsäljning bokförs då bara mot avräkningskontot) eller stäng av fakturaöverföringen.`,
    invoice_clearing_open: (_p, f) =>
      `${f.report}: kassan rapporterar ${f.amount} mer betalt med faktura än fakturorna som lästs för dagen. Tills den saknade fakturan är läst bokförs beloppet som omsättning i det här avslutet och står på avräkningskontot för faktura; läs fakturan innan verifikationen skickas, så skickas den som faktura i stället.`,
    invoice_after_z: (p, f) =>
      `${f.report}: fakturaförsäljning ${p.invoice?.posNumber ?? ''} till ${p.invoice?.customer ?? ''} (${f.amount}) lästes efter att dagsavslutet skickats, och avslutet har redan bokfört den som omsättning med beloppet på konto ${p.account ?? f.key}. Kassebro håller tillbaka fakturan: skickas den också bokförs omsättningen och momsen två gånger. ${
        p.invoice?.issuedByPos
          ? `Kunden har redan fått kassans faktura; bara posteringen i kundreskontran saknas: registrera den i bokföringssystemet mot konto ${p.account ?? f.key}, inte mot försäljning`
          : `Kunden är inte fakturerad: skapa fakturan för hand i bokföringssystemet och bokför den mot konto ${p.account ?? f.key}, inte mot försäljning`
      }, eller fråga din redovisningskonsult.`,
    amounts_too_large: (p, f) =>
      `${f.report}: beloppen summerar till mer än Kassebro kan räkna exakt på öret (över 90 071 992 547 409,91), så ingen verifikation skapas och rapporten skickas inte; de andra rapporterna skickas. Kontrollera rapporten i kassan; är den fel, ta bort den: kassebro settlements remove ${p.settlement.id}.`,
    build_failed: (p, f) =>
      `${f.report}: verifikationen kunde inte skapas (${p.detail ?? 'okänd orsak'}), så rapporten skickas inte; de andra rapporterna skickas. Kontrollera rapporten; är den fel, ta bort den: kassebro settlements remove ${p.settlement.id}.`,
  },
};

const REPORT_WORD: Readonly<Record<Language, string>> = { en: 'Report', nb: 'Rapport', sv: 'Rapport' };
const CURRENCY_LOCALE: Readonly<Record<Language, string>> = { en: 'en-GB', nb: 'nb-NO', sv: 'sv-SE' };

export function describeSettlement(ref: SettlementRef, language: Language): string {
  return `${REPORT_WORD[language]} ${ref.kind} ${ref.reportNumber} ${ref.businessDate}`;
}

/** The plain-language sentence for a problem, naming the report, key, account and amount. */
export function describeProblem(problem: Problem, language: Language): string {
  const formatters: Formatters = {
    key: problem.key ? keyInfo(problem.key).label[language] : '',
    amount:
      problem.amount === undefined ? '' : `${formatAmountForPeople(problem.amount, CURRENCY_LOCALE[language])} kr`,
    report: describeSettlement(problem.settlement, language),
  };
  return MESSAGES[language][problem.code](problem, formatters);
}
