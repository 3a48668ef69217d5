/**
 * A tiny evaluator for the few Home Assistant templates our discovery configs use, so tests can
 * check that a state topic's payload renders to what Home Assistant expects. It understands
 * `value`, `value_json.a.b`, string literals, `X if COND else Y` and `is defined`, renders the way
 * Jinja renders Python values (None, True, False), and throws on anything else: a template this
 * cannot read fails the test rather than passing unchecked.
 */
type Value = unknown;
const UNDEFINED = Symbol('undefined');

export function renderTemplate(template: string, payload: string): string {
  const m = /^\{\{\s*(.+?)\s*\}\}$/s.exec(template.trim());
  if (!m) throw new Error(`not a single {{ expression }}: ${template}`);
  let valueJson: Value = UNDEFINED;
  try {
    valueJson = JSON.parse(payload) as Value;
  } catch {
    // Home Assistant leaves value_json undefined when the payload is not JSON.
  }
  const tokens = tokenize(m[1] as string);
  let i = 0;
  const peek = () => tokens[i];
  const take = (want?: string) => {
    const t = tokens[i++];
    if (t === undefined || (want !== undefined && t !== want)) throw new Error(`expected ${want ?? 'a token'} in ${template}`);
    return t;
  };
  const primary = (): Value => {
    const t = take();
    if (t.startsWith("'") || t.startsWith('"')) return t.slice(1, -1);
    if (t === 'value') return payload;
    if (t !== 'value_json') throw new Error(`unsupported name ${t} in ${template}`);
    let v: Value = valueJson;
    while (peek() === '.') {
      take('.');
      const key = take();
      v = v !== UNDEFINED && v !== null && typeof v === 'object' && key in (v as object) ? (v as Record<string, Value>)[key] : UNDEFINED;
    }
    return v;
  };
  const test = (): Value => {
    const v = primary();
    if (peek() === 'is') {
      take('is');
      take('defined');
      return v !== UNDEFINED;
    }
    return v;
  };
  const expr = (): Value => {
    const v = primary();
    if (peek() !== 'if') return v;
    take('if');
    const cond = test();
    take('else');
    const otherwise = expr();
    return truthy(cond) ? v : otherwise;
  };
  // `primary` would evaluate `value_json.status` before the condition is known; that is harmless
  // here (no side effects, undefined renders as ''), and keeps the evaluator small.
  const result = expr();
  if (i !== tokens.length) throw new Error(`unexpected ${tokens[i]} in ${template}`);
  return render(result);
}

function tokenize(s: string): string[] {
  const out: string[] = [];
  const re = /\s*('[^']*'|"[^"]*"|[A-Za-z_][A-Za-z0-9_]*|\.)/y;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < s.length && (m = re.exec(s))) {
    out.push(m[1] as string);
    at = re.lastIndex;
  }
  if (s.slice(at).trim() !== '') throw new Error(`cannot read template expression: ${s}`);
  return out;
}

function truthy(v: Value): boolean {
  if (v === UNDEFINED || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

function render(v: Value): string {
  if (v === UNDEFINED) return '';
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number' || typeof v === 'string') return String(v);
  throw new Error(`a template renders an object or list: ${JSON.stringify(v)}`);
}
