import type { Language } from '../../shared/settlement-keys';
import type { InvoiceSetupView } from '../../shared/setup-schemas';
import { ConnectorError, explainError } from '../connectors/errors';
import type { InvoiceConnector } from '../connectors/invoice-connector';
import type { Db } from '../store/database';
import {
  DoubleBookingError,
  INVOICE_MODES,
  invoiceConfigSchema,
  loadInvoiceConfig,
  saveInvoiceConfig,
  type InvoiceConfig,
  type InvoiceMode,
} from './config';
import { checkNumberSeries, type NumberSeriesCheck } from './number-series';
import { listInvoiceOutbox, listInvoiceSales } from './store';

/** What each choice means for the owner, said where it is chosen (CLI and wizard). */
export interface InvoiceChoiceTexts {
  readonly off: string;
  readonly modes: Readonly<Record<InvoiceMode, string>>;
  /** The "include invoiced sales in the Z revenue" switch and why it stays off with transfer on. */
  readonly zRevenueInclude: string;
  /** Said when the target has no invoice connection in Kassebro. */
  readonly unavailable: string;
  /** Said when the target's connection cannot do the chosen mode. */
  readonly modeUnavailable: string;
}

const TEXTS: Readonly<Record<Language, InvoiceChoiceTexts>> = {
  en: {
    off: 'Invoice sales stay in the daily settlement: they are booked as revenue there, with the amount on the invoice clearing account (1530). Customers and invoices are made in the accounting system by hand.',
    modes: {
      'invoice-in-target':
        'The accounting system numbers and sends the invoices; the POS number is kept as a reference. Kassebro creates the customer (or finds it by organisation number, customer number or e-mail) and sends the order lines. The daily settlement then books invoice sales on the invoice clearing account only, so nothing is booked twice.',
      'pos-issued':
        "The POS has already given the customer the invoice; Kassebro posts it with the POS's number to the customer ledger. The POS's number series must not overlap the accounting system's: Kassebro checks it now. The daily settlement books invoice sales on the invoice clearing account only.",
    },
    zRevenueInclude:
      'The POS (back office) also counts invoiced sales as revenue in the daily settlement. Leave this off while invoices are transferred: the revenue and VAT would be booked twice.',
    unavailable:
      'Kassebro cannot send invoices to this accounting system yet; invoice sales stay in the daily settlement.',
    modeUnavailable: 'Kassebro cannot send invoices to this accounting system that way; choose the other way.',
  },
  nb: {
    off: 'Fakturasalg blir i dagsoppgjøret: de bokføres som omsetning der, med beløpet på mellomregningskontoen for faktura (1530). Kunder og fakturaer lages for hånd i regnskapssystemet.',
    modes: {
      'invoice-in-target':
        'Regnskapssystemet nummererer og sender fakturaene; kassens nummer følger med som referanse. Kassebro oppretter kunden (eller finner den på organisasjonsnummer, kundenummer eller e-post) og sender ordrelinjene. Dagsoppgjøret fører da fakturasalg bare mot mellomregningskontoen, så ingenting bokføres to ganger.',
      'pos-issued':
        'Kassen har allerede gitt kunden fakturaen; Kassebro fører den med kassens nummer i kundereskontroen. Kassens nummerserie må ikke overlappe regnskapssystemets: Kassebro sjekker det nå. Dagsoppgjøret fører fakturasalg bare mot mellomregningskontoen.',
    },
    zRevenueInclude:
      'Kassen (back office) tar også med fakturert salg som omsetning i dagsoppgjøret. La dette være av mens fakturaer overføres: omsetningen og mvaen ville blitt bokført to ganger.',
    unavailable:
      'Kassebro kan ikke sende fakturaer til dette regnskapssystemet ennå; fakturasalg blir i dagsoppgjøret.',
    modeUnavailable: 'Kassebro kan ikke sende fakturaer til dette regnskapssystemet på den måten; velg den andre.',
  },
  sv: {
    off: 'Fakturaförsäljning stannar i dagsavslutet: den bokförs som omsättning där, med beloppet på avräkningskontot för faktura (1530). Kunder och fakturor skapas för hand i bokföringssystemet.',
    modes: {
      'invoice-in-target':
        'Bokföringssystemet numrerar och skickar fakturorna; kassans nummer följer med som referens. Kassebro skapar kunden (eller hittar den på organisationsnummer, kundnummer eller e-post) och skickar orderraderna. Dagsavslutet bokför då fakturaförsäljning bara mot avräkningskontot, så inget bokförs två gånger.',
      'pos-issued':
        'Kassan har redan gett kunden fakturan; Kassebro bokför den med kassans nummer i kundreskontran. Kassans nummerserie får inte överlappa bokföringssystemets: Kassebro kontrollerar det nu. Dagsavslutet bokför fakturaförsäljning bara mot avräkningskontot.',
    },
    zRevenueInclude:
      'Kassan (back office) räknar också fakturerad försäljning som omsättning i dagsavslutet. Låt detta vara av medan fakturor överförs: omsättningen och momsen skulle bokföras två gånger.',
    unavailable:
      'Kassebro kan inte skicka fakturor till det här bokföringssystemet ännu; fakturaförsäljning stannar i dagsavslutet.',
    modeUnavailable: 'Kassebro kan inte skicka fakturor till det här bokföringssystemet på det sättet; välj det andra.',
  },
};

export function invoiceChoiceTexts(language: Language): InvoiceChoiceTexts {
  return TEXTS[language];
}

/** The wizard's invoice step: what the target can do, the current choice, and what each means. */
export function invoiceSetupView(
  db: Db,
  targetId: string,
  connector: InvoiceConnector | undefined,
  language: Language,
): InvoiceSetupView {
  return {
    modes: [...(connector?.modes ?? [])],
    config: loadInvoiceConfig(db, targetId),
    texts: TEXTS[language],
    invoiceSales: listInvoiceSales(db).length,
  };
}

export type InvoiceSetupResult =
  | { readonly saved: true; readonly config: InvoiceConfig; readonly numberSeries: NumberSeriesCheck | null }
  | { readonly saved: false; readonly reason: string };

export class InvoiceSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvoiceSetupError';
  }
}

/**
 * Stores a target's invoice choice, refusing a combination that would book invoice revenue twice
 * or a mode the target cannot do, and for POS-issued invoices compares the POS's number series
 * with the target's next number (a conflict is saved but said, so the owner can choose again).
 */
export async function applyInvoiceSetup(
  db: Db,
  targetId: string,
  connector: InvoiceConnector | undefined,
  wanted: Partial<InvoiceConfig>,
  language: Language,
): Promise<InvoiceSetupResult> {
  const parsed = invoiceConfigSchema.safeParse({ ...loadInvoiceConfig(db, targetId), ...wanted });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvoiceSetupError(
      `${issue?.path.join('.') ?? 'invoices'}: ${issue?.message ?? 'invalid'} (modes: ${INVOICE_MODES.join(', ')})`,
    );
  }
  const config = parsed.data;
  if (config.enabled && !connector) return { saved: false, reason: TEXTS[language].unavailable };
  if (config.enabled && connector && !connector.modes.includes(config.mode))
    return { saved: false, reason: TEXTS[language].modeUnavailable };
  try {
    saveInvoiceConfig(db, targetId, config, language);
  } catch (error) {
    if (error instanceof DoubleBookingError) return { saved: false, reason: error.explanation };
    throw error;
  }
  const numberSeries =
    config.enabled && config.mode === 'pos-issued' && connector
      ? await seriesCheck(db, targetId, connector, language)
      : null;
  return { saved: true, config, numberSeries };
}

async function seriesCheck(
  db: Db,
  targetId: string,
  connector: InvoiceConnector,
  language: Language,
): Promise<NumberSeriesCheck> {
  let next: number | null;
  try {
    next = await connector.nextInvoiceNumber();
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    const explained = explainError(error, language);
    return { status: 'unknown', message: `${explained.explanation} ${explained.hint} (${error.targetMessage})` };
  }
  const numbers = listInvoiceSales(db)
    .map((invoice) => Number(invoice.sale.posNumber))
    .filter(Number.isSafeInteger);
  const pos = numbers.length ? { lowest: Math.min(...numbers), highest: Math.max(...numbers) } : null;
  const postedByUs = new Set(
    listInvoiceOutbox(db, targetId)
      .filter((row) => row.state === 'posted' && row.mode === 'pos-issued')
      .map((row) => Number(row.externalNumber)),
  );
  return checkNumberSeries(pos, next, language, postedByUs);
}
