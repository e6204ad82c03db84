/**
 * Numbers as the rule engines compare them. JSON number text is kept as text (300.0 stays "300.0");
 * comparisons go through a "comparable key":
 *  - EventBridge and Lambda run the current aws/event-ruler: any double, but only when the text is
 *    exactly the double it parses to (0.1 yes, 0.30000000000000001 no) [obs: event-ruler
 *    ComparableNumber]; other numbers are not comparable ("Cannot compare number : x").
 *  - SNS runs an early event-ruler: -5e9..5e9, truncated to six decimals [obs: event-ruler 1.x
 *    ComparableNumber]; SNS documents ±1e9 with five decimals [doc].
 */

export type NumberModel = 'double' | 'sns';

const FIVE_BILLION = 5e9;

/** Sign, significant digits (no leading/trailing zeros) and exponent: value = 0.digits × 10^exp. */
function decimalParts(text: string): { neg: boolean; digits: string; exp: number } {
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m) return { neg: false, digits: '', exp: 0 };
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  let digits = int + frac;
  let exp = int.length + (m[4] ? parseInt(m[4], 10) : 0);
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead);
  exp -= lead;
  digits = digits.replace(/0+$/, '');
  if (digits === '') return { neg: false, digits: '', exp: 0 };
  return { neg: m[1] === '-', digits, exp };
}

/** True when both texts denote the same decimal value (BigDecimal compareTo == 0). */
export function sameDecimal(a: string, b: string): boolean {
  const x = decimalParts(a);
  const y = decimalParts(b);
  return x.neg === y.neg && x.digits === y.digits && x.exp === y.exp;
}

/**
 * The comparable key of a JSON number text, or undefined when the engine cannot compare it (it then
 * only matches the same text).
 */
export function numberKey(text: string, model: NumberModel): number | undefined {
  const d = Number(text);
  if (!Number.isFinite(d)) return undefined;
  if (model === 'sns') {
    if (d < -FIVE_BILLION || d > FIVE_BILLION) return undefined;
    return Math.floor(1e6 * (FIVE_BILLION + d));
  }
  return sameDecimal(text, String(d)) ? d : undefined;
}

/** The IllegalArgumentException text the engine raises for a number it cannot compare. */
export function uncomparableMessage(text: string, model: NumberModel): string {
  return model === 'sns' ? 'Value must be between -5.0E9 and 5.0E9, inclusive' : `Cannot compare number : ${text}`;
}

/** A numeric range over comparable keys; `=` is a range with bottom == top, both closed. */
export interface NumericRange {
  bottom: number;
  openBottom: boolean;
  top: number;
  openTop: boolean;
}

export function inRange(key: number, r: NumericRange): boolean {
  if (r.openBottom ? key <= r.bottom : key < r.bottom) return false;
  if (r.openTop ? key >= r.top : key > r.top) return false;
  return true;
}

/** Java's Double.toString, as Jackson prints a floating-point node. */
export function javaDoubleString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mant, exp] = d.toExponential().split('e');
  return `${mant.includes('.') ? mant : `${mant}.0`}E${exp.replace('+', '')}`;
}
