/** How invoice sales reach a target (src/main/invoices/config.ts explains each). Its own module, free of zod, for the CLI's help. */
export const INVOICE_MODES = ['invoice-in-target', 'pos-issued'] as const;
export type InvoiceMode = (typeof INVOICE_MODES)[number];
