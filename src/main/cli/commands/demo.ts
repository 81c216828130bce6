import { formatAmount, ore } from '../../../shared/money';
import { describeProblem } from '../../../shared/problems';
import { runDemo, type DemoSummary } from '../../demo/run-demo';
import { dayJson } from '../../reconcile/cli';
import { printTerminalDemo, runTerminalDemo } from '../../terminal/demo';
import { postDemoToSandbox, type DemoPosted } from '../../demo/post-demo';
import type { CliContext } from '../context';
import { secretsOf } from './sync';
import { EXIT, table, type Output } from '../output';

export async function demoCommand(context: CliContext, out: Output, post = true): Promise<number> {
  const started = performance.now();
  const summary = runDemo(context.db, context.databaseFile);
  const terminal = runTerminalDemo(context.db);
  const posted = post ? await postDemoToSandbox(context.db, secretsOf(context)) : null;
  const seconds = (performance.now() - started) / 1000;
  const errors = summary.problems.filter((problem) => problem.severity === 'error');
  if (out.json) {
    out.data({
      ...(demoJson(summary, context.databaseFile, seconds) as object),
      avstemming: terminal.days.map((day) => dayJson(day, out.language)),
      ...(posted ? demoPostedJson(posted) : {}),
    });
  } else {
    printDemo(summary, context.databaseFile, seconds, out);
    if (posted) printPosted(posted, out);
    printTerminalDemo(terminal, out);
  }
  const duplicates = (posted?.duplicates ?? 0) + (posted?.invoices.duplicates ?? 0);
  return errors.length > 0 || !summary.allBalanced || duplicates > 0 ? EXIT.problems : EXIT.ok;
}

function demoPostedJson(posted: DemoPosted): Record<string, unknown> {
  const { invoices, ledgerByRate, ...vouchers } = posted;
  return {
    posted: vouchers,
    invoices,
    ledgerByRate: [...ledgerByRate]
      .sort(([a], [b]) => b - a)
      .map(([rateBp, gross]) => ({ rate: `${rateBp / 100}`, gross: formatAmount(ore(gross)) })),
  };
}

function demoJson(summary: DemoSummary, databaseFile: string, seconds: number): unknown {
  return {
    database: databaseFile,
    posDatabase: summary.posDatabase,
    settlements: summary.settlements,
    invoiceSales: summary.invoiceSales,
    vouchers: summary.vouchers,
    allBalanced: summary.allBalanced,
    salesByRate: summary.salesByRate.map((rate) => ({
      rate: `${rate.rateBp / 100}`,
      net: formatAmount(rate.net),
      vat: formatAmount(rate.vat),
      gross: formatAmount(rate.gross),
    })),
    problems: summary.problems.map((problem) => ({
      ...problem,
      amount: problem.amount === undefined ? undefined : formatAmount(problem.amount),
    })),
    seconds: Number(seconds.toFixed(3)),
  };
}

function printPosted(posted: DemoPosted, out: Output): void {
  out.line(
    `Posted to a local Tripletex sandbox: ${posted.vouchers} vouchers sent; the sandbox holds ${posted.sandboxVouchers} ` +
      `(${posted.matching} match the local voucher to the øre), duplicates: ${posted.duplicates}` +
      (posted.postedBefore ? `; ${posted.postedBefore} were posted by an earlier demo run` : ''),
  );
  const { invoices } = posted;
  out.line(
    `Invoice sales sent as Tripletex invoices: ${invoices.sent} sent; the sandbox holds ${invoices.sandboxInvoices} ` +
      `invoices for ${invoices.customers} customers, duplicates: ${invoices.duplicates}` +
      (invoices.unsent ? `; ${invoices.unsent} not sent (see "kassebro log")` : ''),
  );
}

function printDemo(summary: DemoSummary, databaseFile: string, seconds: number, out: Output): void {
  const { settlements, vouchers } = summary;
  out.line(`Kassebro demo — ${databaseFile}`);
  out.line(`  demo POS database: ${summary.posDatabase}`);
  out.line(
    `Settlements: ${settlements.z} Z-reports and ${settlements.x} X-reports (X are never posted); ${settlements.newlyImported} new this run`,
  );
  out.line(
    `Vouchers for target "demo" (Tripletex style, Norwegian preset): ${vouchers.ready} ready, ${vouchers.blocked} blocked, ` +
      `${vouchers.skipped} skipped (empty Z-reports)${vouchers.frozen ? `, ${vouchers.frozen} already sent` : ''}`,
  );
  out.line(`All vouchers balance: ${summary.allBalanced ? 'yes' : 'NO'}`);
  out.line('Sales in Z-reports per VAT rate:');
  const rows = [['  rate', 'net', 'VAT', 'gross']];
  for (const rate of summary.salesByRate) {
    rows.push([`  ${rate.rateBp / 100} %`, formatAmount(rate.net), formatAmount(rate.vat), formatAmount(rate.gross)]);
  }
  for (const row of table(rows, [1, 2, 3])) out.line(row);
  const byCode = new Map<string, number>();
  for (const problem of summary.problems) byCode.set(problem.code, (byCode.get(problem.code) ?? 0) + 1);
  if (byCode.size === 0) {
    out.line('Problems: none');
  } else {
    out.line(`Problems and notes: ${[...byCode].map(([code, count]) => `${count} × ${code}`).join(', ')}`);
    for (const problem of summary.problems.filter((p) => p.severity !== 'skip').slice(0, 5)) {
      out.line(`  ${problem.severity}: ${describeProblem(problem, out.language)}`);
    }
  }
  out.line(`Done in ${seconds.toFixed(2)} s. Next: "kassebro vouchers", "kassebro validate", "kassebro mapping show".`);
}
