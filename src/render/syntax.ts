import type Handlebars from 'handlebars';
import { problem, type FactsOf, type Problem } from '../core/errors.js';
import type { TemplateSource } from '../core/campaign.js';

/**
 * Handlebars' parse errors in words, at the template's own line and column. The parser says
 * `Expecting 'OPEN_INVERSE_CHAIN', 'INVERSE', 'OPEN_ENDBLOCK', got 'EOF'` with an excerpt; this
 * says which block is never closed, and where it opens.
 */

/** Grammar tokens as a template author knows them. */
const TOKENS: Readonly<Record<string, string>> = {
  CLOSE: '`}}`',
  CLOSE_UNESCAPED: '`}}}`',
  CLOSE_SEXPR: '`)`',
  CLOSE_RAW_BLOCK: '`}}}}`',
  OPEN: '`{{`',
  OPEN_UNESCAPED: '`{{{`',
  OPEN_BLOCK: '`{{#`',
  OPEN_ENDBLOCK: 'a closing `{{/...}}`',
  OPEN_INVERSE: '`{{^`',
  OPEN_INVERSE_CHAIN: '`{{else ...}}`',
  INVERSE: '`{{else}}`',
  OPEN_PARTIAL: '`{{>`',
  OPEN_PARTIAL_BLOCK: '`{{#>`',
  OPEN_RAW_BLOCK: '`{{{{`',
  OPEN_BLOCK_PARAMS: '`as |name|`',
  CLOSE_BLOCK_PARAMS: '`|`',
  EQUALS: '`=`',
  SEP: '`.` or `/`',
  CONTENT: 'text',
  COMMENT: 'a comment',
  EOF: 'the end of the template',
};

/** Everything that can stand for a value; the parser lists each of them. */
const VALUE_TOKENS = new Set(['ID', 'STRING', 'NUMBER', 'BOOLEAN', 'UNDEFINED', 'NULL', 'DATA', 'OPEN_SEXPR']);
const A_VALUE = 'a value (a name, a "string", a number, true/false, or a (helper call))';

function expectedWords(tokens: readonly string[]): string[] {
  const words = tokens.map((t) => (VALUE_TOKENS.has(t) ? A_VALUE : (TOKENS[t] ?? t.toLowerCase())));
  return [...new Set(words)];
}

interface LexerState {
  readonly yylloc?: { readonly first_line: number; readonly first_column: number };
  readonly yytext?: string;
}

/** Where the parser stopped: its lexer holds the last token it read (parsing is synchronous). */
function lexerOf(hbs: typeof Handlebars): LexerState {
  return ((hbs as unknown as { Parser?: { lexer?: LexerState } }).Parser?.lexer ?? {}) as LexerState;
}

/** A block opened and never closed: the last one left open, with its place. */
function unclosedBlock(source: string): { readonly block: string; readonly at: number } | undefined {
  const blank = (m: string) => m.replace(/[^\n]/g, ' ');
  const text = source.replace(/\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}/g, blank);
  const open: { block: string; at: number }[] = [];
  for (const m of text.matchAll(/\{\{~?\s*(#\*?>?|\^|\/)\s*([^\s}~()]+)/g)) {
    const block = m[2] as string;
    if (m[1] !== '/') open.push({ block, at: m.index });
    else if (open.at(-1)?.block === block) open.pop();
  }
  return open.at(-1);
}

function lineColAt(source: string, offset: number): { line: number; col: number } {
  const before = source.slice(0, offset).split('\n');
  return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
}

/** The template's syntax problem, or undefined when it parses. */
export function syntaxProblem(hbs: typeof Handlebars, template: TemplateSource): Problem | undefined {
  try {
    hbs.parse(template.source);
    return undefined;
  } catch (err) {
    const { facts, line, col } = syntaxFacts(String((err as Error).message), template.source, lexerOf(hbs));
    return problem('E_TEMPLATE', facts, { file: template.file, line, col });
  }
}

function syntaxFacts(message: string, source: string, lexer: LexerState): { facts: FactsOf<'E_TEMPLATE'>; line: number; col: number } {
  const stopped = lexer.yylloc ? { line: lexer.yylloc.first_line, col: lexer.yylloc.first_column + 1 } : { line: Number(/line (\d+)/.exec(message)?.[1] ?? 1), col: 1 };
  const mismatch = /^(\S+) doesn't match (\S+) - (\d+):(\d+)/.exec(message);
  if (mismatch) return { facts: { kind: 'mismatched-close', block: mismatch[1]!, close: mismatch[2]! }, line: Number(mismatch[3]), col: Number(mismatch[4]) + 1 };
  if (/^Lexical error/.test(message)) {
    const comment = source.search(/\{\{!--(?![\s\S]*--\}\})/);
    if (comment >= 0) return { facts: { kind: 'unclosed-comment' }, ...lineColAt(source, comment) };
    return { facts: { kind: 'syntax', expected: ['a template expression'], found: 'text Handlebars cannot read' }, ...stopped };
  }
  const parsed = /Expecting (.*), got '([A-Z_]+)'/.exec(message);
  const expected = [...(parsed?.[1] ?? '').matchAll(/'([A-Z_]+)'/g)].map((m) => m[1] as string);
  const got = parsed?.[2] ?? 'INVALID';
  const open = got === 'EOF' && expected.includes('OPEN_ENDBLOCK') ? unclosedBlock(source) : undefined;
  if (open) return { facts: { kind: 'unclosed-block', block: open.block }, ...lineColAt(source, open.at) };
  if (got === 'OPEN_ENDBLOCK') {
    const offset = source.split('\n').slice(0, stopped.line - 1).join('\n').length + (stopped.line > 1 ? 1 : 0) + stopped.col - 1;
    const block = /^\{\{~?\s*\/\s*([^\s}~]+)/.exec(source.slice(offset))?.[1] ?? '...';
    return { facts: { kind: 'stray-close', block }, ...stopped };
  }
  const text = lexer.yytext ? `\`${lexer.yytext}\`` : undefined;
  const found = got === 'EOF' ? (TOKENS['EOF'] as string) : got === 'INVALID' ? `${text ?? 'a character'}, which cannot stand here` : (text ?? TOKENS[got] ?? got.toLowerCase());
  return { facts: { kind: 'syntax', expected: expectedWords(expected), found }, ...stopped };
}
