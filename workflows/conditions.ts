/**
 * Sequence-flow conditions: a tiny expression language over case facts and step outcomes.
 * Parsed once by the compiler (outside the workflow); evaluated inside the workflow sandbox,
 * so this file stays pure: no Node built-ins, no I/O, no clock.
 *
 *   expr    := or
 *   or      := and ('||' and)*
 *   and     := unary ('&&' unary)*
 *   unary   := '!' unary | cmp
 *   cmp     := primary (('==' | '!=') primary)?
 *   primary := path | "string" | 'string' | number | true | false | null | '(' expr ')'
 *   path    := ident ('.' ident)*      ident := [A-Za-z_][A-Za-z0-9_-]*, rooted at facts or outcome
 */
import type { Condition } from './procedure';

/** The roots a path may start from. */
export const CONDITION_ROOTS = ['facts', 'outcome'] as const;
export type ConditionRoot = (typeof CONDITION_ROOTS)[number];

export interface ConditionContext {
  facts: Record<string, unknown>;
  outcome: Record<string, unknown>;
}

/** A condition that does not parse; `position` is the 0-based offset into the text. */
export class ConditionSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly position: number,
    readonly text: string,
  ) {
    super(`${reason} at position ${position} in condition ${JSON.stringify(text)}`);
    this.name = 'ConditionSyntaxError';
  }
}

type TokenKind = 'or' | 'and' | 'not' | 'eq' | 'ne' | 'lparen' | 'rparen' | 'dot' | 'ident' | 'string' | 'number' | 'end';
interface Token {
  kind: TokenKind;
  pos: number;
  /** Source text of the token (for messages). */
  raw: string;
  /** Decoded value of string / number tokens. */
  value?: string | number;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_-]/;
const DIGIT = /[0-9]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (reason: string, pos = i): never => {
    throw new ConditionSyntaxError(reason, pos, text);
  };
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    const op2: Record<string, TokenKind> = { '||': 'or', '&&': 'and', '==': 'eq', '!=': 'ne' };
    if (op2[two]) {
      tokens.push({ kind: op2[two], pos: i, raw: two });
      i += 2;
      continue;
    }
    const op1: Record<string, TokenKind> = { '!': 'not', '(': 'lparen', ')': 'rparen', '.': 'dot' };
    if (op1[c]) {
      tokens.push({ kind: op1[c], pos: i, raw: c });
      i++;
      continue;
    }
    if (c === '=') fail(`unexpected '='; use '==' to compare`);
    if (c === '&') fail(`unexpected '&'; use '&&'`);
    if (c === '|') fail(`unexpected '|'; use '||'`);
    if (c === '"' || c === "'") {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) fail('unterminated string', start);
        const d = text[i];
        if (d === c) break;
        if (d === '\\') {
          if (i + 1 >= text.length) fail('unterminated string', start);
          value += text[i + 1];
          i += 2;
          continue;
        }
        value += d;
        i++;
      }
      i++;
      tokens.push({ kind: 'string', pos: start, raw: text.slice(start, i), value });
      continue;
    }
    if (DIGIT.test(c) || (c === '-' && DIGIT.test(text[i + 1] ?? ''))) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(text.slice(i))!;
      if (IDENT_START.test(text[i + m[0].length] ?? '')) fail(`malformed number`, i);
      tokens.push({ kind: 'number', pos: i, raw: m[0], value: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    if (IDENT_START.test(c)) {
      const start = i;
      while (i < text.length && IDENT_PART.test(text[i])) i++;
      tokens.push({ kind: 'ident', pos: start, raw: text.slice(start, i) });
      continue;
    }
    fail(`unexpected character ${JSON.stringify(c)}`);
  }
  tokens.push({ kind: 'end', pos: text.length, raw: '' });
  return tokens;
}

const describe = (t: Token) => (t.kind === 'end' ? 'end of input' : `'${t.raw}'`);

/** Parse a condition; throws ConditionSyntaxError with the offending position. */
export function parseCondition(text: string): Condition {
  const tokens = tokenize(text);
  let k = 0;
  const peek = () => tokens[k];
  const next = () => tokens[k++];
  const fail = (reason: string, t: Token): never => {
    throw new ConditionSyntaxError(reason, t.pos, text);
  };

  function or(): Condition {
    const args = [and()];
    while (peek().kind === 'or') {
      next();
      args.push(and());
    }
    return args.length === 1 ? args[0] : { op: 'or', args };
  }
  function and(): Condition {
    const args = [unary()];
    while (peek().kind === 'and') {
      next();
      args.push(unary());
    }
    return args.length === 1 ? args[0] : { op: 'and', args };
  }
  function unary(): Condition {
    if (peek().kind === 'not') {
      next();
      return { op: 'not', arg: unary() };
    }
    return cmp();
  }
  function cmp(): Condition {
    const left = primary();
    const t = peek();
    if (t.kind !== 'eq' && t.kind !== 'ne') return left;
    next();
    const right = primary();
    const after = peek();
    if (after.kind === 'eq' || after.kind === 'ne') fail(`comparisons cannot be chained; use parentheses`, after);
    return { op: t.kind, left, right };
  }
  function primary(): Condition {
    const t = next();
    switch (t.kind) {
      case 'string':
      case 'number':
        return { op: 'lit', value: t.value! };
      case 'lparen': {
        const inner = or();
        const close = next();
        if (close.kind !== 'rparen') fail(`expected ')' to close '(' at position ${t.pos}, found ${describe(close)}`, close);
        return inner;
      }
      case 'ident': {
        if (t.raw === 'true') return { op: 'lit', value: true };
        if (t.raw === 'false') return { op: 'lit', value: false };
        if (t.raw === 'null') return { op: 'lit', value: null };
        if (!(CONDITION_ROOTS as readonly string[]).includes(t.raw))
          fail(`unknown name '${t.raw}'; a path must start with ${CONDITION_ROOTS.map((r) => `'${r}.'`).join(' or ')}`, t);
        const path = [t.raw];
        while (peek().kind === 'dot') {
          next();
          const seg = next();
          if (seg.kind !== 'ident') fail(`expected a name after '.', found ${describe(seg)}`, seg);
          path.push(seg.raw);
        }
        return { op: 'path', path };
      }
      default:
        return fail(`expected a value, path or '(', found ${describe(t)}`, t);
    }
  }

  if (peek().kind === 'end') fail('empty condition', peek());
  const c = or();
  if (peek().kind !== 'end') fail(`unexpected ${describe(peek())} after a complete expression`, peek());
  return c;
}

/** Walk own properties only, so `facts.constructor` and friends resolve to undefined. */
function resolve(path: string[], ctx: ConditionContext): unknown {
  const root = path[0] === 'facts' ? ctx.facts : path[0] === 'outcome' ? ctx.outcome : undefined;
  let cur: unknown = root;
  for (const seg of path.slice(1)) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function value(c: Condition, ctx: ConditionContext): unknown {
  switch (c.op) {
    case 'lit':
      return c.value;
    case 'path':
      return resolve(c.path, ctx);
    case 'not':
      return !value(c.arg, ctx);
    case 'and':
      return c.args.every((a) => Boolean(value(a, ctx)));
    case 'or':
      return c.args.some((a) => Boolean(value(a, ctx)));
    case 'eq':
    case 'ne': {
      // A missing value compares equal to null, so `outcome.x == null` means "not decided yet".
      const l = value(c.left, ctx) ?? null;
      const r = value(c.right, ctx) ?? null;
      return c.op === 'eq' ? l === r : l !== r;
    }
    default:
      throw new Error(`unknown condition op ${JSON.stringify((c as { op: unknown }).op)}`);
  }
}

/**
 * Evaluate a parsed condition. Bare paths use JS truthiness: undefined, null, false, 0, ''
 * and NaN are false. Equality is strict (no coercion between strings, numbers and booleans).
 */
export function evaluateCondition(c: Condition, ctx: ConditionContext): boolean {
  return Boolean(value(c, ctx));
}

/** The distinct paths a condition reads, in order of first appearance. */
export function conditionPaths(c: Condition): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  const walk = (n: Condition) => {
    switch (n.op) {
      case 'path': {
        const key = n.path.join('.');
        if (!seen.has(key)) {
          seen.add(key);
          out.push([...n.path]);
        }
        return;
      }
      case 'not':
        return walk(n.arg);
      case 'and':
      case 'or':
        return n.args.forEach(walk);
      case 'eq':
      case 'ne':
        walk(n.left);
        walk(n.right);
        return;
      case 'lit':
        return;
    }
  };
  walk(c);
  return out;
}
