import pino from 'pino';

export type Logger = pino.Logger;

/** Logs go to stderr: standard output is for what a command prints (a report, or JSON to pipe on). */
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined }, pino.destination(2));
}

export const silentLogger: Logger = pino({ level: 'silent' });
