// Design: worker packages declare the @narwhal/core they were built for as a peer dependency
// range; the arbiter compares it with the running core and warns on a mismatch (vitest warns on
// mixed versions, Fastify checks plugin ranges). Only the range forms package managers write
// are understood: *, x, exact, ^, ~, >=, >, <=, <, space-joined sets and ||. Anything else
// (`workspace:^`, tags) answers undefined: "cannot tell", and nothing is said.

type Version = readonly [number, number, number];

function parseVersion(text: string): Version | undefined {
  const match = /^v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?(?:[-+].*)?$/.exec(text.trim());
  if (!match) return undefined;
  const part = (value: string | undefined): number => (value === undefined || value === 'x' || value === '*' ? 0 : Number(value));
  return [part(match[1]), part(match[2]), part(match[3])];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function upperBound(kind: '^' | '~', base: Version): Version {
  if (kind === '~') return [base[0], base[1] + 1, 0];
  if (base[0] > 0) return [base[0] + 1, 0, 0];
  return base[1] > 0 ? [0, base[1] + 1, 0] : [0, 0, base[2] + 1];
}

function satisfiesComparator(version: Version, comparator: string): boolean | undefined {
  if (comparator === '*' || comparator === 'x' || comparator === '') return true;
  const match = /^(\^|~|>=|<=|>|<|=)?(.+)$/.exec(comparator);
  const base = match ? parseVersion(match[2]!) : undefined;
  if (!match || base === undefined) return undefined;
  const order = compare(version, base);
  switch (match[1]) {
    case '^':
    case '~':
      return order >= 0 && compare(version, upperBound(match[1], base)) < 0;
    case '>=':
      return order >= 0;
    case '>':
      return order > 0;
    case '<=':
      return order <= 0;
    case '<':
      return order < 0;
    default:
      return order === 0;
  }
}

/** Whether `version` satisfies `range`, or undefined when the range is not one we read. */
export function satisfiesRange(version: string, range: string): boolean | undefined {
  const parsed = parseVersion(version);
  if (parsed === undefined) return undefined;
  let any = false;
  for (const set of range.split('||')) {
    let all: boolean | undefined = true;
    for (const comparator of set.trim().split(/\s+/)) {
      const result = satisfiesComparator(parsed, comparator);
      if (result === undefined) return undefined;
      all &&= result;
    }
    any ||= all === true;
  }
  return any;
}
