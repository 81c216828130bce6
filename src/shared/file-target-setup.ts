import type { Language } from './settlement-keys';
import type { SetupField, TargetSetup } from './target-setup';

type Text = Readonly<Record<Language, string>>;
const text = (nb: string, sv: string, en: string): Text => ({ nb, sv, en });

/**
 * Setup fields of the file targets, mirroring each format's settings schema
 * (src/main/exports/<format>/<format>-format.ts), which checks the values again when saved.
 */
const field = (
  key: string,
  label: Text,
  help: Text,
  more: Partial<Omit<SetupField, 'key' | 'label' | 'help'>> = {},
): SetupField => ({ key, input: 'text', secret: false, required: false, label, help, ...more });

const folder = field(
  'folder',
  text('Mappe for filene', 'Mapp för filerna', 'Folder for the files'),
  text(
    'Filene legges her, én fil per kjøring. Regnskapsfører henter dem herfra.',
    'Filerna läggs här, en fil per körning. Redovisningsbyrån hämtar dem härifrån.',
    'Files are written here, one per run. The accountant picks them up from here.',
  ),
  { required: true },
);

const voucherNumberStart = field(
  'voucherNumberStart',
  text('Første bilagsnummer', 'Första verifikationsnummer', 'First voucher number'),
  text(
    'Tom: mottakeren nummererer. Ellers telles det opp herfra, og et nummer brukes aldri to ganger.',
    'Tomt: mottagaren numrerar. Annars räknas det upp härifrån och ett nummer används aldrig två gånger.',
    'Empty: the receiver numbers them. Otherwise numbers count up from here and are never reused.',
  ),
  { input: 'number', pattern: '[1-9]\\d{0,7}', advanced: true },
);

const voucherType = (defaultValue: string, pattern: string, input: 'number' | 'text' = 'number') =>
  field(
    'voucherType',
    text('Bilagsart', 'Verifikationstyp', 'Voucher type'),
    text(
      `Mottakerens bilagsart for dagsoppgjør (vanlig: ${defaultValue}).`,
      `Mottagarens verifikationstyp för dagsavslut (vanligt: ${defaultValue}).`,
      `The receiver's voucher type for daily settlements (usual: ${defaultValue}).`,
    ),
    { input, pattern, defaultValue, advanced: true },
  );

export const FILE_TARGET_SETUP = {
  sie4: {
    auth: { kind: 'fields' },
    choices: [],
    fields: [
      folder,
      field(
        'companyName',
        text('Firmanavn', 'Företagsnamn', 'Company name'),
        text(
          'Slik selskapet heter i regnskapet (#FNAMN).',
          'Som bolaget heter i bokföringen (#FNAMN).',
          'As the accounts name the company (#FNAMN).',
        ),
        { required: true },
      ),
      field(
        'orgNumber',
        text('Organisasjonsnummer', 'Organisationsnummer', 'Organisation number'),
        text(
          'Svensk organisasjonsnummer, f.eks. 556677-8899.',
          'Organisationsnummer, t.ex. 556677-8899. Mottagaren jämför det med bolaget.',
          'Swedish organisation number, e.g. 556677-8899.',
        ),
        { required: true, pattern: '\\d{6}-\\d{4}' },
      ),
      field(
        'series',
        text('Bilagsserie', 'Verifikationsserie', 'Voucher series'),
        text(
          'Serien bilagene legges i (tom = mottakerens standard).',
          'Serien verifikationerna läggs i (tomt = mottagarens standard).',
          'The series the vouchers go to (empty = the receiver’s default).',
        ),
        { pattern: '[A-Za-z0-9]{0,8}', defaultValue: 'A' },
      ),
      voucherNumberStart,
    ],
  },
  gbat10: {
    auth: { kind: 'fields' },
    choices: [],
    fields: [
      folder,
      voucherType('6', '\\d{1,3}'),
      field(
        'encoding',
        text('Tegnsett', 'Teckenkodning', 'Encoding'),
        text(
          'ISO-8859-1 passer de fleste mottakere.',
          'ISO-8859-1 passar de flesta mottagare.',
          'ISO-8859-1 suits most receivers.',
        ),
        {
          input: 'select',
          advanced: true,
          defaultValue: 'iso-8859-1',
          options: [
            { value: 'iso-8859-1', label: text('ISO-8859-1', 'ISO-8859-1', 'ISO-8859-1') },
            { value: 'utf-8', label: text('UTF-8', 'UTF-8', 'UTF-8') },
          ],
        },
      ),
      voucherNumberStart,
    ],
  },
  xledger: {
    auth: { kind: 'fields' },
    choices: [],
    fields: [
      folder,
      field(
        'entityCode',
        text('Enhetskode (selskap)', 'Enhetskod (bolag)', 'Entity code'),
        text(
          'Xledger-enheten linjene hører til, f.eks. 23001.',
          'Xledger-enheten raderna hör till, t.ex. 23001.',
          'The Xledger entity the lines belong to, e.g. 23001.',
        ),
        { required: true, pattern: '\\d{1,10}' },
      ),
      voucherType('GL', '[A-Za-z0-9]{1,8}', 'text'),
      voucherNumberStart,
    ],
  },
  duett: {
    auth: { kind: 'fields' },
    choices: [],
    fields: [
      folder,
      field(
        'amounts',
        text('Beløp', 'Belopp', 'Amounts'),
        text(
          'Brutto: Duett beregner mva selv. Netto: mva skrives som egne linjer.',
          'Brutto: Duett beräknar momsen själv. Netto: momsen skrivs som egna rader.',
          'Gross: Duett computes the VAT. Net: the VAT is written as lines of its own.',
        ),
        {
          input: 'select',
          defaultValue: 'gross',
          options: [
            { value: 'gross', label: text('Brutto (anbefalt)', 'Brutto (rekommenderas)', 'Gross (recommended)') },
            { value: 'net', label: text('Netto + mva-linjer', 'Netto + momsrader', 'Net + VAT lines') },
          ],
        },
      ),
      voucherType('6', '\\d{1,3}'),
      field(
        'department',
        text('Avdeling', 'Avdelning', 'Department'),
        text(
          'Avdeling for linjer uten egen avdeling (1–4 siffer).',
          'Avdelning för rader utan egen avdelning (1–4 siffror).',
          'Department for lines without one (1–4 digits).',
        ),
        { pattern: '\\d{1,4}', advanced: true },
      ),
      voucherNumberStart,
    ],
  },
} as const satisfies Record<'sie4' | 'gbat10' | 'xledger' | 'duett', TargetSetup>;
