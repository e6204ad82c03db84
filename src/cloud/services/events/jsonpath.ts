/**
 * The JSONPath subset EventBridge evaluates in InputPath and InputPathsMap [doc]: `$`, dot
 * notation with names of letters, digits, `_`, `-` and `/`, array indices `[0]`, and wildcards
 * (`.*`, `[*]`). A path without a wildcard selects one value (or nothing); a path with one selects
 * the list of every match.
 */

type Segment = { kind: 'name'; name: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };

export interface JsonPath {
  readonly text: string;
  /** The selected value; undefined when the path selects nothing. */
  select(root: unknown): unknown;
}

/** Compile a path; undefined when it is outside the subset. */
export function compileJsonPath(text: string): JsonPath | undefined {
  if (!text.startsWith('$')) return undefined;
  const segments: Segment[] = [];
  let i = 1;
  while (i < text.length) {
    const rest = text.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^\.\*/.exec(rest)) || (m = /^\[\*\]/.exec(rest))) {
      segments.push({ kind: 'wildcard' });
    } else if ((m = /^\.([A-Za-z0-9_\-/]+)/.exec(rest))) {
      segments.push({ kind: 'name', name: m[1] });
    } else if ((m = /^\[(\d+)\]/.exec(rest))) {
      segments.push({ kind: 'index', index: Number(m[1]) });
    } else {
      return undefined;
    }
    i += m[0].length;
  }
  const indefinite = segments.some((s) => s.kind === 'wildcard');
  return {
    text,
    select(root: unknown): unknown {
      let current: unknown[] = [root];
      for (const s of segments) {
        const next: unknown[] = [];
        for (const v of current) {
          if (s.kind === 'name') {
            if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, s.name)) {
              next.push((v as Record<string, unknown>)[s.name]);
            }
          } else if (s.kind === 'index') {
            if (Array.isArray(v) && s.index < v.length) next.push(v[s.index]);
          } else if (Array.isArray(v)) {
            next.push(...v);
          } else if (v !== null && typeof v === 'object') {
            next.push(...Object.values(v));
          }
        }
        current = next;
      }
      if (indefinite) return current.length ? current : undefined;
      return current[0];
    },
  };
}
