import type { Language } from '../../shared/settlement-keys';
import type { ConnectorError, SyncErrorCode } from '../connectors/errors';

type Explanation = { readonly explanation: string; readonly hint: string };

/** What an invoice failure means, where it differs from a voucher's (errors.ts explains the rest). */
const TEXTS: Readonly<Record<Language, Partial<Record<SyncErrorCode, Explanation>>>> = {
  en: {
    duplicate: {
      explanation:
        "The accounting system already has an invoice (or customer) with this number, and it is not ours: the POS's number series overlaps the accounting system's.",
      hint: 'Move one of the series (e.g. start the POS at 100000) or let the accounting system number the invoices; then send again with "kassebro sync --retry-failed". Nothing was sent twice.',
    },
    bad_request: {
      explanation:
        'The accounting system refused the invoice: a customer or invoice field it requires is missing or invalid.',
      hint: 'Read the target’s message (e.g. a missing customer address), fix the customer in the POS or in the accounting system, then "kassebro sync --retry-failed" sends it once.',
    },
  },
  nb: {
    duplicate: {
      explanation:
        'Regnskapssystemet har allerede en faktura (eller kunde) med dette nummeret, og den er ikke vår: kassens nummerserie overlapper regnskapssystemets.',
      hint: 'Flytt en av seriene (f.eks. start kassen på 100000) eller la regnskapssystemet nummerere fakturaene; send så på nytt med «kassebro sync --retry-failed». Ingenting ble sendt to ganger.',
    },
    bad_request: {
      explanation:
        'Regnskapssystemet avviste fakturaen: et kunde- eller fakturafelt det krever mangler eller er ugyldig.',
      hint: 'Les meldingen fra regnskapssystemet (f.eks. manglende kundeadresse), rett kunden i kassen eller i regnskapssystemet, så sender «kassebro sync --retry-failed» den én gang.',
    },
  },
  sv: {
    duplicate: {
      explanation:
        'Bokföringssystemet har redan en faktura (eller kund) med det här numret, och den är inte vår: kassans nummerserie överlappar bokföringssystemets.',
      hint: 'Flytta en av serierna (t.ex. starta kassan på 100000) eller låt bokföringssystemet numrera fakturorna; skicka sedan igen med "kassebro sync --retry-failed". Inget skickades två gånger.',
    },
    bad_request: {
      explanation:
        'Bokföringssystemet avvisade fakturan: ett kund- eller fakturafält som krävs saknas eller är ogiltigt.',
      hint: 'Läs meddelandet från bokföringssystemet (t.ex. saknad kundadress), rätta kunden i kassan eller i bokföringssystemet, så skickar "kassebro sync --retry-failed" den en gång.',
    },
  },
};

export function explainInvoiceError(error: ConnectorError, language: Language): Explanation | null {
  return TEXTS[language][error.code] ?? null;
}
