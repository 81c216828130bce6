import { redact, redactText } from './redact';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const RANK: Readonly<Record<Level, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogRecord {
  readonly time: string;
  readonly level: Level;
  readonly scope: string;
  readonly message: string;
  readonly data?: unknown;
}

/** Where records go: structured lines headless, electron-log inside the app (set by src/main/app). */
export type LogSink = (record: LogRecord) => void;

const stderrSink: LogSink = (record) => {
  process.stderr.write(`${JSON.stringify(record)}\n`);
};

let sink: LogSink = stderrSink;
let threshold: Level = parseLevel(process.env['KASSEBRO_LOG_LEVEL']) ?? 'warn';

function parseLevel(value: string | undefined): Level | undefined {
  return value && Object.hasOwn(RANK, value) ? (value as Level) : undefined;
}

export function setLogSink(next: LogSink): void {
  sink = next;
}

export function setLogLevel(level: Level): void {
  threshold = level;
}

export interface Logger {
  debug(message: string, data?: unknown): void;
  info(message: string, data?: unknown): void;
  warn(message: string, data?: unknown): void;
  error(message: string, data?: unknown): void;
}

/** A logger for one part of the engine; every record is redacted before any sink sees it. */
export function createLogger(scope: string): Logger {
  const write = (level: Level, message: string, data?: unknown): void => {
    if (RANK[level] < RANK[threshold]) return;
    sink({
      time: new Date().toISOString(),
      level,
      scope,
      message: redactText(message),
      ...(data === undefined ? {} : { data: redact(data) }),
    });
  };
  return {
    debug: (message, data) => write('debug', message, data),
    info: (message, data) => write('info', message, data),
    warn: (message, data) => write('warn', message, data),
    error: (message, data) => write('error', message, data),
  };
}
