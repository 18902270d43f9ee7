// Design: NARWHAL_CMD_ARGS is split the way a POSIX shell splits words (Gunicorn uses shlex):
// blanks separate words, '…' is literal, "…" honours \" \\ \$ \`, and a backslash outside
// quotes escapes the next character. No expansion happens.

export function shellSplit(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quote === "'") {
      if (char === "'") quote = null;
      else word += char;
    } else if (quote === '"') {
      if (char === '"') quote = null;
      else if (char === '\\' && '"\\$`'.includes(text[index + 1] ?? '')) word += text[++index];
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === '\\') {
      word += text[++index] ?? '';
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote !== null) throw new Error(`unclosed ${quote} quote`);
  if (inWord) words.push(word);
  return words;
}
