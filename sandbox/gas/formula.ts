import { columnNumber } from './a1';
import { dateSerial, isDateValue, type Stored } from './formats';

/**
 * Evaluates the small formula language people realistically type into a registry: literals,
 * same-sheet cell references, + - * / &, parentheses and a few functions. Anything else shows
 * #NAME? as Sheets does for a function it does not know. The point is fidelity of *storage*
 * (a typed formula is a formula, getFormulas sees it); the evaluator only gives it a value.
 */
type Value = string | number | boolean;
type Lookup = (row: number, col: number) => Stored | undefined;

class FormulaError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

const FUNCTIONS: Record<string, (args: Value[]) => Value> = {
  HYPERLINK: (a) => String(a[1] ?? a[0] ?? ''),
  CONCATENATE: (a) => a.map(String).join(''),
  UPPER: (a) => String(a[0] ?? '').toUpperCase(),
  LOWER: (a) => String(a[0] ?? '').toLowerCase(),
  LEN: (a) => String(a[0] ?? '').length,
  SUM: (a) => a.reduce<number>((s, v) => s + num(v), 0),
};

function num(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === '') return 0;
  const n = Number(v);
  if (Number.isNaN(n)) throw new FormulaError('#VALUE!');
  return n;
}

export function evaluateFormula(formula: string, lookup: Lookup): Value {
  const src = formula.replace(/^=/, '');
  let i = 0;
  const ws = () => {
    while (src[i] === ' ') i++;
  };
  const peek = () => (ws(), src[i]);

  function primary(): Value {
    const ch = peek();
    if (ch === '(') {
      i++;
      const v = expr();
      if (peek() !== ')') throw new FormulaError('#ERROR!');
      i++;
      return v;
    }
    if (ch === '-') {
      i++;
      return -num(primary());
    }
    if (ch === '"') {
      let s = '';
      i++;
      while (i < src.length) {
        if (src[i] === '"' && src[i + 1] === '"') {
          s += '"';
          i += 2;
        } else if (src[i] === '"') break;
        else s += src[i++];
      }
      if (src[i] !== '"') throw new FormulaError('#ERROR!');
      i++;
      return s;
    }
    const rest = src.slice(i);
    const number = /^\d+(\.\d+)?/.exec(rest);
    if (number) {
      i += number[0].length;
      return Number(number[0]);
    }
    const name = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(rest);
    if (!name) throw new FormulaError('#ERROR!');
    i += name[0].length;
    const word = name[0].toUpperCase();
    if (peek() === '(') {
      i++;
      const args: Value[] = [];
      if (peek() !== ')') {
        args.push(expr());
        while (peek() === ',') {
          i++;
          args.push(expr());
        }
      }
      if (peek() !== ')') throw new FormulaError('#ERROR!');
      i++;
      const fn = FUNCTIONS[word];
      if (!fn) throw new FormulaError('#NAME?');
      return fn(args);
    }
    if (word === 'TRUE' || word === 'FALSE') return word === 'TRUE';
    const ref = /^\$?([A-Z]{1,3})\$?(\d+)$/.exec(word);
    if (!ref) throw new FormulaError('#NAME?');
    const v = lookup(Number(ref[2]), columnNumber(ref[1]));
    if (v === undefined) return '';
    return isDateValue(v) ? dateSerial(v) : v;
  }

  function term(): Value {
    let v = primary();
    for (let op = peek(); op === '*' || op === '/'; op = peek()) {
      i++;
      const r = num(primary());
      if (op === '/' && r === 0) throw new FormulaError('#DIV/0!');
      v = op === '*' ? num(v) * r : num(v) / r;
    }
    return v;
  }

  function sum(): Value {
    let v = term();
    for (let op = peek(); op === '+' || op === '-'; op = peek()) {
      i++;
      const r = num(term());
      v = op === '+' ? num(v) + r : num(v) - r;
    }
    return v;
  }

  function expr(): Value {
    let v = sum();
    while (peek() === '&') {
      i++;
      v = String(v) + String(sum());
    }
    return v;
  }

  try {
    const v = expr();
    if (peek() !== undefined) throw new FormulaError('#ERROR!');
    return v;
  } catch (e) {
    if (e instanceof FormulaError) return e.code;
    throw e;
  }
}
