import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type ConditionContext, ConditionSyntaxError, conditionPaths, evaluateCondition, parseCondition } from '../../workflows/conditions';

const facts = { technical: true, stabilityRisk: false, nonDisclosable: false, count: 0, label: '', nested: { deep: 'yes' } };
const outcome = { legality_review: 'lawful', risk_assessment: 'not-controllable' };
const ctx = { facts, outcome };
const run = (text: string, c: ConditionContext = ctx) => evaluateCondition(parseCondition(text), c);

function syntaxError(text: string): ConditionSyntaxError {
  try {
    parseCondition(text);
  } catch (err) {
    if (err instanceof ConditionSyntaxError) return err;
    throw err;
  }
  throw new Error(`${JSON.stringify(text)} parsed, but a syntax error was expected`);
}

describe('parseCondition', () => {
  it('parses paths and literals', () => {
    expect(parseCondition('facts.technical')).toEqual({ op: 'path', path: ['facts', 'technical'] });
    expect(parseCondition('outcome.legality_review')).toEqual({ op: 'path', path: ['outcome', 'legality_review'] });
    expect(parseCondition('outcome.step-1.detail')).toEqual({ op: 'path', path: ['outcome', 'step-1', 'detail'] });
    expect(parseCondition('"a b"')).toEqual({ op: 'lit', value: 'a b' });
    expect(parseCondition("'it\\'s'")).toEqual({ op: 'lit', value: "it's" });
    expect(parseCondition('42')).toEqual({ op: 'lit', value: 42 });
    expect(parseCondition('-1.5')).toEqual({ op: 'lit', value: -1.5 });
    expect(parseCondition('true')).toEqual({ op: 'lit', value: true });
    expect(parseCondition('false')).toEqual({ op: 'lit', value: false });
    expect(parseCondition('null')).toEqual({ op: 'lit', value: null });
  });

  it('binds && tighter than ||', () => {
    expect(parseCondition('facts.a || facts.b && facts.c')).toEqual({
      op: 'or',
      args: [
        { op: 'path', path: ['facts', 'a'] },
        { op: 'and', args: [{ op: 'path', path: ['facts', 'b'] }, { op: 'path', path: ['facts', 'c'] }] },
      ],
    });
  });

  it('binds == tighter than &&, and ! looser than == (grammar: unary := "!" unary | cmp)', () => {
    expect(parseCondition('facts.a == 1 && facts.b != "x"')).toEqual({
      op: 'and',
      args: [
        { op: 'eq', left: { op: 'path', path: ['facts', 'a'] }, right: { op: 'lit', value: 1 } },
        { op: 'ne', left: { op: 'path', path: ['facts', 'b'] }, right: { op: 'lit', value: 'x' } },
      ],
    });
    expect(parseCondition('!facts.a == true')).toEqual({
      op: 'not',
      arg: { op: 'eq', left: { op: 'path', path: ['facts', 'a'] }, right: { op: 'lit', value: true } },
    });
  });

  it('flattens chains and lets parentheses override precedence', () => {
    expect(parseCondition('facts.a || facts.b || facts.c')).toMatchObject({ op: 'or', args: [{}, {}, {}] });
    expect(parseCondition('(facts.a || facts.b) && facts.c')).toEqual({
      op: 'and',
      args: [{ op: 'or', args: [{ op: 'path', path: ['facts', 'a'] }, { op: 'path', path: ['facts', 'b'] }] }, { op: 'path', path: ['facts', 'c'] }],
    });
  });

  it('ignores whitespace, including newlines from a BPMN text body', () => {
    expect(parseCondition('\n  facts.a\n    &&\tfacts.b  ')).toEqual(parseCondition('facts.a&&facts.b'));
  });
});

describe('parseCondition syntax errors', () => {
  it.each([
    ['', 0, /empty condition/],
    ['   ', 3, /empty condition/],
    ['facts.technical ==', 18, /expected a value.*end of input/],
    ["facts.technical = 'x'", 16, /use '=='/],
    ['facts.a & facts.b', 8, /use '&&'/],
    ['facts.a | facts.b', 8, /use '\|\|'/],
    ['(facts.a || facts.b', 19, /expected '\)' to close '\(' at position 0/],
    ['facts.a)', 7, /unexpected '\)' after a complete expression/],
    ["facts.a 'x'", 8, /unexpected ''x'' after a complete expression/],
    ['"unterminated', 0, /unterminated string/],
    ['facts.', 6, /expected a name after '\.'/],
    ['facts.a == "x" == "y"', 15, /cannot be chained/],
    ['facts.a && #', 11, /unexpected character "#"/],
    ['12abc', 0, /malformed number/],
    ['!', 1, /expected a value/],
  ])('%j fails at position %i', (text, position, message) => {
    const err = syntaxError(text);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ConditionSyntaxError');
    expect(err.position).toBe(position);
    expect(err.reason).toMatch(message);
    expect(err.message).toContain(`at position ${position}`);
  });

  it.each([
    ['case.technical', 0],
    ['facts.a && decision.x', 11],
    ['technical', 0],
    ['Facts.technical', 0],
  ])('refuses the unknown root in %j', (text, position) => {
    const err = syntaxError(text);
    expect(err.position).toBe(position);
    expect(err.reason).toMatch(/must start with 'facts\.' or 'outcome\.'/);
  });
});

describe('evaluateCondition', () => {
  it('reads facts and outcomes', () => {
    expect(run('facts.technical')).toBe(true);
    expect(run('facts.stabilityRisk')).toBe(false);
    expect(run('outcome.legality_review == "lawful"')).toBe(true);
    expect(run("outcome.legality_review == 'unlawful'")).toBe(false);
    expect(run('outcome.legality_review != "unlawful"')).toBe(true);
    expect(run('facts.nested.deep == "yes"')).toBe(true);
  });

  it('negates', () => {
    expect(run('!facts.technical')).toBe(false);
    expect(run('!facts.stabilityRisk')).toBe(true);
    expect(run('!!facts.technical')).toBe(true);
    expect(run('!(facts.technical && facts.stabilityRisk)')).toBe(true);
    expect(run('!outcome.risk_assessment == "controllable"')).toBe(true);
  });

  it('applies precedence when evaluating', () => {
    // true || (false && false) = true; (true || false) && false = false
    expect(run('facts.technical || facts.stabilityRisk && facts.nonDisclosable')).toBe(true);
    expect(run('(facts.technical || facts.stabilityRisk) && facts.nonDisclosable')).toBe(false);
  });

  it('compares strictly, without coercion', () => {
    expect(run('facts.technical == true')).toBe(true);
    expect(run('facts.technical == "true"')).toBe(false);
    expect(run('facts.count == 0')).toBe(true);
    expect(run('facts.count == false')).toBe(false);
    expect(run('facts.label == ""')).toBe(true);
  });

  it('treats a missing value as undefined: falsy, and equal to null', () => {
    expect(run('outcome.expert_review')).toBe(false);
    expect(run('outcome.expert_review == null')).toBe(true);
    expect(run('outcome.expert_review != null')).toBe(false);
    expect(run('outcome.expert_review == ""')).toBe(false);
    expect(run('facts.nested.deep.deeper')).toBe(false);
    expect(run('facts.technical.x')).toBe(false);
  });

  it('uses JS truthiness for bare paths, with undefined, null, false, 0 and "" false', () => {
    const c = { facts: { zero: 0, empty: '', no: false, nil: null, one: 1, text: 'x', obj: {} }, outcome: {} };
    for (const p of ['zero', 'empty', 'no', 'nil', 'missing']) expect(run(`facts.${p}`, c)).toBe(false);
    for (const p of ['one', 'text', 'obj']) expect(run(`facts.${p}`, c)).toBe(true);
    expect(run('0', c)).toBe(false);
    expect(run('"x"', c)).toBe(true);
    expect(run('null', c)).toBe(false);
  });

  it('reads own properties only, never the prototype chain', () => {
    expect(run('facts.constructor')).toBe(false);
    expect(run('facts.toString')).toBe(false);
    expect(run('facts.__proto__')).toBe(false);
    expect(run('outcome.hasOwnProperty')).toBe(false);
  });

  it('short-circuits && and ||', () => {
    const c = {
      facts: {},
      outcome: {
        get boom(): never {
          throw new Error('evaluated');
        },
      },
    };
    expect(evaluateCondition(parseCondition('false && outcome.boom'), c)).toBe(false);
    expect(evaluateCondition(parseCondition('true || outcome.boom'), c)).toBe(true);
  });

  it('refuses a malformed condition tree instead of guessing', () => {
    expect(() => evaluateCondition({ op: 'xor' } as never, ctx)).toThrow(/unknown condition op/);
  });
});

describe('conditionPaths', () => {
  it('lists each referenced path once, in order of appearance', () => {
    const c = parseCondition('facts.a && (outcome.x == "y" || !facts.a) && outcome.x != facts.b.c');
    expect(conditionPaths(c)).toEqual([
      ['facts', 'a'],
      ['outcome', 'x'],
      ['facts', 'b', 'c'],
    ]);
  });

  it('is empty for literals', () => {
    expect(conditionPaths(parseCondition('true'))).toEqual([]);
  });
});

describe('workflow sandbox', () => {
  it('conditions.ts imports nothing but types, so it stays deterministic', () => {
    const source = readFileSync(path.join(__dirname, '../../workflows/conditions.ts'), 'utf8');
    const imports = [...source.matchAll(/^import\s.*from\s+'([^']+)';?$/gm)];
    expect(imports.map((m) => m[0])).toEqual(["import type { Condition } from './procedure';"]);
    expect(source).not.toMatch(/\brequire\(|Date\.now|Math\.random|new Date\(/);
  });
});
