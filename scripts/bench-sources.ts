/**
 * SAF-T Cash Register reader benchmark. Generates files with `generateSaft` (test/fixtures/saft.ts:
 * 365 days × 2 registers of varied receipts, Z totals that mostly match), then in fresh processes:
 *
 * - speed, on a 35 MB file: CPU time (process.cpuUsage, user + system) of `readSaftFile` against a
 *   bare saxes parse of the same file with no handlers — the baseline of issue 16: 1 MiB chunks,
 *   TextDecoder, namespaces on (`xmlns: true`). Module loading is outside both timings.
 *   Goal: the reader at ≥ 0.8 of the bare parse's speed.
 * - memory, on 20 MB and 200 MB files: peak RSS of the reader. Goal: 200 MB ≤ 1.5 × 20 MB.
 *
 * Each figure is the best of three processes (the machine is shared). `BENCH_SAFT_MB=35,20,200`
 * changes the sizes (speed file first); `generate FILE MB` only writes a file, e.g. to try
 * `kassebro import` on it.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SaxesParser } from 'saxes';
import { readSaftFile } from '../src/main/sources/saft/read-saft';
import { generateSaft } from '../test/fixtures/saft';

const MB = 1024 * 1024;
/** Measured size of one generated receipt, to aim the file at a size. */
const RECEIPT_BYTES = 1235;
const DAYS = 365;
const REGISTERS = 2;
const SPEED_GOAL = 0.8;
const RSS_GOAL = 1.5;

function generate(path: string, targetMb: number): void {
  const receiptsPerDay = Math.max(1, Math.round((targetMb * MB) / RECEIPT_BYTES / DAYS / REGISTERS));
  const fd = openSync(path, 'w');
  let pending = '';
  generateSaft(
    (text) => {
      pending += text;
      if (pending.length > MB) {
        writeSync(fd, pending);
        pending = '';
      }
    },
    { days: DAYS, receiptsPerDay },
  );
  writeSync(fd, pending);
  closeSync(fd);
}

function bareParse(path: string): void {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const decoder = new TextDecoder('utf-8');
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(MB);
  for (let bytes = readSync(fd, buffer); bytes > 0; bytes = readSync(fd, buffer)) {
    parser.write(decoder.decode(buffer.subarray(0, bytes), { stream: true }));
  }
  parser.close();
  closeSync(fd);
}

interface Measure {
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly reports?: number;
}

type Mode = 'bare' | 'read';

/** Best of three fresh processes: the machine is shared, so one run can be slowed by others. */
function best(mode: Mode, path: string): Measure {
  const runs = [1, 2, 3].map(() => {
    const output = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), mode, path], {
      encoding: 'utf8',
    });
    return JSON.parse(output) as Measure;
  });
  return {
    ...runs[0]!,
    cpuSeconds: Math.min(...runs.map((run) => run.cpuSeconds)),
    peakRssMb: Math.max(...runs.map((run) => run.peakRssMb)),
  };
}

function measureHere(mode: Mode, path: string): Measure {
  const started = process.cpuUsage();
  const reports = mode === 'bare' ? (bareParse(path), undefined) : readSaftFile(path).drafts.length;
  const used = process.cpuUsage(started);
  return {
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    ...(reports === undefined ? {} : { reports }),
  };
}

const [mode, childPath, sizeMb] = process.argv.slice(2);
if (mode === 'generate' && childPath) {
  generate(childPath, Number(sizeMb ?? 20));
} else if ((mode === 'bare' || mode === 'read') && childPath) {
  process.stdout.write(JSON.stringify(measureHere(mode, childPath)));
} else {
  const [speedMb = 35, ...rssSizes] = (process.env['BENCH_SAFT_MB'] ?? '35,20,200').split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'kassebro-bench-saft-'));
  const file = (size: number): { path: string; mb: number } => {
    const path = join(dir, `saft-${size}.xml`);
    generate(path, size);
    return { path, mb: statSync(path).size / MB };
  };
  try {
    const speed = file(speedMb);
    const bare = best('bare', speed.path);
    const read = best('read', speed.path);
    const ratio = bare.cpuSeconds / read.cpuSeconds;
    console.log(
      `SAF-T ${speed.mb.toFixed(0)} MB, CPU time: bare saxes parse (xmlns on, 1 MiB chunks) ${bare.cpuSeconds.toFixed(2)} s = ${(speed.mb / bare.cpuSeconds).toFixed(1)} MB/s; ` +
        `readSaftFile ${read.cpuSeconds.toFixed(2)} s = ${(speed.mb / read.cpuSeconds).toFixed(1)} MB/s, ${read.reports} reports; ` +
        `reader/bare ${ratio.toFixed(2)} (goal ≥ ${SPEED_GOAL}) ${ratio >= SPEED_GOAL ? 'met' : 'NOT MET'}`,
    );
    rmSync(speed.path);
    const peaks = rssSizes.map((size) => {
      const { path, mb } = file(size);
      const { peakRssMb } = best('read', path);
      console.log(`SAF-T ${mb.toFixed(0)} MB: readSaftFile peak RSS ${peakRssMb.toFixed(0)} MB`);
      rmSync(path);
      return peakRssMb;
    });
    if (peaks.length >= 2) {
      const growth = peaks.at(-1)! / peaks[0]!;
      console.log(
        `SAF-T peak RSS ${rssSizes.at(-1)} MB file / ${rssSizes[0]} MB file: ${growth.toFixed(2)} (goal ≤ ${RSS_GOAL}) ${growth <= RSS_GOAL ? 'met' : 'NOT MET'}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
