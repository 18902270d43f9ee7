// A field whose value is a list (RFC 9110 §5.6.1: elements separated by commas, optional
// whitespace around each), asked whether it holds one token; tokens compare case-insensitively.

/** True when the list `value` has `token` (given in lower case) as one of its elements. */
export function listHasToken(value: string, token: string): boolean {
  for (const element of value.split(',')) if (element.trim().toLowerCase() === token) return true;
  return false;
}
