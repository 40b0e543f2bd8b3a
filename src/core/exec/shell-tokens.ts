/**
 * A small tokenizer for the POSIX shell language, enough to classify a command line: words with
 * their quoting and escapes, operators (`;` `&&` `||` `|` `|&` `&` newline `(` `)`), redirections
 * with an optional fd (`>` `>>` `<` `2>` `&>` `>&` `<<` ...), and the command substitutions
 * (`$(...)`, backticks, `<(...)`) found anywhere, also inside double quotes. It never runs anything.
 */

export type OperatorToken = ';' | '&&' | '||' | '|' | '|&' | '&' | '\n' | '(' | ')' | ';;';

export type ShellToken =
  | {
      type: 'word';
      /** The word with quotes and escapes removed; substitutions stay as their source text. */
      value: string;
      /** Contains a parameter or arithmetic expansion ($X, ${X}, $((...))) outside single quotes. */
      expands: boolean;
      /** Contains a command substitution. */
      substituted: boolean;
      /** Some part of it was quoted or escaped. */
      quoted: boolean;
    }
  | { type: 'operator'; value: OperatorToken }
  | { type: 'redirect'; op: string; fd?: number };

export interface TokenizedCommand {
  tokens: ShellToken[];
  /** The source of every command substitution, to be classified as commands of their own. */
  substitutions: string[];
  /** Things that make the line unreadable to us, e.g. an unbalanced quote. */
  problems: string[];
}

const REDIRECT_OPERATORS = ['<<<', '<<-', '&>>', '<<', '<>', '<&', '>>', '>|', '>&', '&>', '<', '>'];

/** Index just after the `)` that closes the `(` at `open`, honouring quotes and nesting; -1 when unbalanced. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) return -1;
      i = end;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

function closingBacktick(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '`') return i;
  }
  return -1;
}

export function tokenizeShell(text: string): TokenizedCommand {
  const tokens: ShellToken[] = [];
  const substitutions: string[] = [];
  const problems: string[] = [];
  let word = '';
  let inWord = false;
  let expands = false;
  let substituted = false;
  let quoted = false;
  const reset = () => {
    word = '';
    inWord = false;
    expands = false;
    substituted = false;
    quoted = false;
  };
  const flush = () => {
    if (inWord) tokens.push({ type: 'word', value: word, expands, substituted, quoted });
    reset();
  };

  /** `$...` or a backtick at `i`; returns the index after it. */
  const expansion = (i: number): number => {
    inWord = true;
    if (text[i] === '`') {
      const end = closingBacktick(text, i);
      if (end === -1) {
        problems.push('an unbalanced backtick');
        substitutions.push(text.slice(i + 1));
        substituted = true;
        return text.length;
      }
      substitutions.push(text.slice(i + 1, end).replace(/\\`/g, '`'));
      substituted = true;
      word += text.slice(i, end + 1);
      return end + 1;
    }
    const next = text[i + 1];
    if (next === '(') {
      const end = closingParen(text, i + 1);
      if (end === -1) {
        problems.push('an unbalanced $(');
        substitutions.push(text.slice(i + 2));
        substituted = true;
        return text.length;
      }
      if (text[i + 2] === '(') {
        // $(( arithmetic )): may still hold a substitution inside.
        expands = true;
        const inner = text.slice(i + 3, end - 2);
        if (/\$\(|`/.test(inner)) {
          substitutions.push(inner);
          substituted = true;
        }
      } else {
        substitutions.push(text.slice(i + 2, end - 1));
        substituted = true;
      }
      word += text.slice(i, end);
      return end;
    }
    if (next === '{') {
      const end = text.indexOf('}', i + 2);
      const inner = end === -1 ? text.slice(i + 2) : text.slice(i + 2, end);
      if (end === -1) problems.push('an unbalanced ${');
      if (/\$\(|`/.test(inner)) {
        substitutions.push(inner);
        substituted = true;
      }
      expands = true;
      word += text.slice(i, end === -1 ? text.length : end + 1);
      return end === -1 ? text.length : end + 1;
    }
    if (next !== undefined && /[A-Za-z0-9_?#@*!$-]/.test(next)) {
      expands = true;
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))?.[0] ?? next;
      word += `$${name}`;
      return i + 1 + name.length;
    }
    word += '$';
    return i + 1;
  };

  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      flush();
      i++;
    } else if (c === '\n') {
      flush();
      tokens.push({ type: 'operator', value: '\n' });
      i++;
    } else if (c === '#' && !inWord) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '\\') {
      if (text[i + 1] === '\n') {
        i += 2;
        continue;
      }
      word += text[i + 1] ?? '';
      inWord = true;
      quoted = true;
      i += 2;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      inWord = true;
      quoted = true;
      if (end === -1) {
        problems.push('an unbalanced single quote');
        word += text.slice(i + 1);
        i = text.length;
      } else {
        word += text.slice(i + 1, end);
        i = end + 1;
      }
    } else if (c === '"') {
      inWord = true;
      quoted = true;
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length && '$`"\\\n'.includes(text[i + 1]!)) {
          word += text[i + 1];
          i += 2;
        } else if (text[i] === '$' || text[i] === '`') {
          i = expansion(i);
        } else {
          word += text[i];
          i++;
        }
      }
      if (i >= text.length) problems.push('an unbalanced double quote');
      i++;
    } else if (c === '$' || c === '`') {
      i = expansion(i);
    } else if ((c === '<' || c === '>') && text[i + 1] === '(') {
      // Process substitution <(...) / >(...): a command of its own.
      const end = closingParen(text, i + 1);
      if (end === -1) problems.push(`an unbalanced ${c}(`);
      substitutions.push(text.slice(i + 2, end === -1 ? text.length : end - 1));
      inWord = true;
      substituted = true;
      word += text.slice(i, end === -1 ? text.length : end);
      i = end === -1 ? text.length : end;
    } else if (c === '<' || c === '>' || (c === '&' && text[i + 1] === '>')) {
      let fd: number | undefined;
      if (inWord && !quoted && !expands && !substituted && /^\d+$/.test(word)) {
        fd = Number(word);
        reset();
      } else flush();
      const op = REDIRECT_OPERATORS.find((candidate) => text.startsWith(candidate, i))!;
      tokens.push({ type: 'redirect', op, ...(fd !== undefined ? { fd } : {}) });
      i += op.length;
    } else if (c === '&' || c === '|' || c === ';' || c === '(' || c === ')') {
      flush();
      const two = text.slice(i, i + 2);
      const op: OperatorToken = two === '&&' || two === '||' || two === '|&' || two === ';;' ? two : (c as OperatorToken);
      tokens.push({ type: 'operator', value: op });
      i += op.length;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  flush();
  return { tokens, substitutions, problems };
}
