// Design: APP is Gunicorn's `MODULE:VARIABLE`, for JavaScript: `MODULE[:EXPORT]`, where EXPORT
// may be a dotted path (`server.js:app.handler`) and may call a factory with literal
// arguments (`app.js:createApp('prod', 2)`). The arguments are parsed, never evaluated.

import { NarwhalError } from '../errors.js';

export interface AppSpec {
  readonly module: string;
  /** Property path into the module namespace; empty for the default export. */
  readonly exportPath: readonly string[];
  /** Present when EXPORT is a call: the literal arguments. */
  readonly args: readonly unknown[] | null;
  readonly text: string;
}

const EXPORT_FORM = /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(\((.*)\))?$/s;

export function parseAppSpec(text: string): AppSpec {
  // The module part may itself contain colons only in odd paths; the export is what follows the
  // first colon whose remainder reads as an export.
  for (let colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', colon + 1)) {
    const match = EXPORT_FORM.exec(text.slice(colon + 1));
    if (match && colon > 0) {
      const args = match[2] === undefined ? null : parseLiteralArguments(match[3]!, text);
      return { module: text.slice(0, colon), exportPath: match[1]!.split('.'), args, text };
    }
  }
  if (text === '') throw new NarwhalError('NARWHAL_E_USAGE', 'APP is empty; give MODULE[:EXPORT]');
  if (text.endsWith(':')) throw new NarwhalError('NARWHAL_E_APP_EXPORT', `'${text}' has nothing after the colon; give MODULE:EXPORT or just MODULE`);
  return { module: text, exportPath: [], args: null, text };
}

/** Parses `'a', "b", 1, -2.5, true, false, null` into values. */
function parseLiteralArguments(source: string, text: string): unknown[] {
  const values: unknown[] = [];
  let index = 0;
  const fail = (): never => {
    throw new NarwhalError('NARWHAL_E_APP_EXPORT', `'${text}': factory arguments must be string, number, boolean or null literals`);
  };
  const skipBlanks = (): void => {
    while (/\s/.test(source[index] ?? '')) index++;
  };
  skipBlanks();
  while (index < source.length) {
    const char = source[index]!;
    if (char === "'" || char === '"') {
      let value = '';
      index++;
      while (index < source.length && source[index] !== char) {
        value += source[index] === '\\' ? source[++index] ?? '' : source[index];
        index++;
      }
      if (source[index] !== char) fail();
      index++;
      values.push(value);
    } else {
      const token = /^[^,\s]+/.exec(source.slice(index))?.[0] ?? fail();
      index += token.length;
      if (token === 'true' || token === 'false') values.push(token === 'true');
      else if (token === 'null') values.push(null);
      else if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(token)) values.push(Number(token));
      else fail();
    }
    skipBlanks();
    if (index < source.length) {
      if (source[index] !== ',') fail();
      index++;
      skipBlanks();
    }
  }
  return values;
}
