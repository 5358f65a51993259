import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({ level, base: undefined });
}

export const silentLogger: Logger = pino({ level: 'silent' });
