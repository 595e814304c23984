/** The format every bridged logger gets: redaction first, then the logger's own format. */
import type { Redactor } from '../redaction';
import type { Format } from './internal-types';
import { REDACTING } from './symbols';

/** A format that redacts first, then runs the logger's own format on the copy. */
export function redactingFormat(inner: Format | undefined, redact: Redactor): Format {
  if (inner?.[REDACTING]) return inner;
  return {
    [REDACTING]: true,
    options: inner?.options,
    transform: (info, options) => {
      const clean = redact(info);
      return inner ? inner.transform(clean, options ?? inner.options) : clean;
    },
  };
}
