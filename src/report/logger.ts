import type { LogLevel, Logger } from '../core/deps.js';
import { redact } from '../core/redact.js';

const ORDER: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };


/** Logger writing to stderr-like `write`, at or above `level`, with secrets redacted. */
export function createLogger(write: (line: string) => void, level: LogLevel, secrets: readonly string[]): Logger {
  const at = (l: LogLevel) => (message: string) => {
    if (ORDER[l] >= ORDER[level]) write(`${l === 'info' ? '' : `${l}: `}${redact(message, secrets)}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
