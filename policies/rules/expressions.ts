// Cloudflare rule expressions and rulesets: the literals, hosts and path segments an expression names, and a ruleset's rules.
import { isHostLiteral } from "../shared/bar";
import { normHost } from "./hosts";
import { arr, obj, str } from "./util";

/** Every double-quoted string literal in a Cloudflare rules expression. */
export function expressionLiterals(expression: unknown): string[] {
  const s = str(expression);
  if (!s) return [];
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) out.push(m[1].replace(/\\(.)/g, "$1"));
  return out;
}

/** Host names an expression compares http.host to. */
export function expressionHosts(expression: unknown): string[] {
  const s = str(expression);
  if (!s || !/http\.host|http\.request\.full_uri|http\.request\.uri/.test(s)) return [];
  return expressionLiterals(s)
    .map((l) => l.replace(/^https?:\/\//, "").split("/")[0])
    .filter(isHostLiteral)
    .map(normHost);
}

/** True when the expression constrains the request path in some way. */
export function expressionMentionsPath(expression: unknown): boolean {
  return /http\.request\.uri(\.path|\b)|http\.request\.full_uri|raw\.http\.request\.uri/.test(str(expression) ?? "");
}

/**
 * The path segments (from `segments`) that a rule expression's literals name, e.g.
 * `starts_with(http.request.uri.path, "/api/")` names "api". Matches whole path
 * segments: "/api/", "/api", "^/api", "/v1/auth/login", "*\/admin*".
 */
export function expressionPathSegments(expression: unknown, segments: readonly string[]): string[] {
  const found = new Set<string>();
  for (const lit of expressionLiterals(expression)) {
    // Only literals that look like paths (or path patterns), not hosts or header values.
    if (!/[/]/.test(lit) && (!expressionMentionsPath(expression) || isHostLiteral(lit))) continue;
    const lower = lit.toLowerCase();
    for (const seg of segments) {
      const s = seg.toLowerCase().replace(/^\/+|\/+$/g, "");
      const re = new RegExp(`(^|[/^*])${escapeRe(s)}($|[/.*?_\\-$])`);
      if (re.test(lower)) found.add(seg);
    }
  }
  return [...found];
}

/** The path segments a literal path names (for routes declared outside rule expressions). */
export function pathSegments(path: string, segments: readonly string[]): string[] {
  const lower = path.toLowerCase();
  return segments.filter((seg) => {
    const s = seg.toLowerCase().replace(/^\/+|\/+$/g, "");
    return new RegExp(`(^|[/^*])${escapeRe(s)}($|[/.*?_\\-$])`).test(lower);
  });
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * String literals of a Cloudflare rules expression with their polarity: `negated`
 * when the literal sits under an odd number of `not` / `!` (a `not (...)` group, a
 * `not fn(...)` call) or right after `ne` / `!=`. Enough to tell "cache /static but
 * not /api" from "cache /api".
 */
export function expressionLiteralPolarity(expression: unknown): Array<{ text: string; negated: boolean }> {
  const s = str(expression) ?? "";
  const out: Array<{ text: string; negated: boolean }> = [];
  const stack: boolean[] = [false];
  let pendingNot = false;
  let pendingNe = false;
  let i = 0;
  const neg = () => stack[stack.length - 1];
  while (i < s.length) {
    const c = s[i];
    if (c === '"') {
      let j = i + 1;
      let text = "";
      while (j < s.length && s[j] !== '"') {
        if (s[j] === "\\" && j + 1 < s.length) j++;
        text += s[j];
        j++;
      }
      out.push({ text, negated: neg() !== (pendingNot || pendingNe) });
      pendingNe = false;
      i = j + 1;
      continue;
    }
    if (c === "(" || c === "{") {
      stack.push(neg() !== pendingNot);
      pendingNot = false;
      i++;
      continue;
    }
    if (c === ")" || c === "}") {
      if (stack.length > 1) stack.pop();
      i++;
      continue;
    }
    if (c === "!" && s[i + 1] === "=") {
      pendingNe = true;
      i += 2;
      continue;
    }
    if (c === "!") {
      pendingNot = !pendingNot;
      i++;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.[\]*]*/.exec(s.slice(i));
    if (word) {
      const w = word[0].toLowerCase();
      if (w === "not") pendingNot = !pendingNot;
      else if (w === "ne") pendingNe = true;
      else if (w === "and" || w === "or" || w === "xor") {
        pendingNot = false;
        pendingNe = false;
      }
      i += word[0].length;
      continue;
    }
    if (c === "&" || c === "|") {
      pendingNot = false;
      pendingNe = false;
    }
    i++;
  }
  return out;
}

/** Rules of a ruleset as plain objects, with their `enabled` flag defaulted to true. */
export function rulesOf(props: Record<string, any>): Array<Record<string, any> & { enabled: boolean; index: number }> {
  return arr(props.rules).map((r, index) => {
    const rule: Record<string, any> = obj(r) ?? {};
    return { ...rule, index, enabled: rule.enabled !== false };
  });
}

export function ruleLabel(rule: Record<string, any>): string {
  const d = str(rule.description) ?? str(rule.ref);
  return d ? `rule "${d}"` : `rule #${(rule.index ?? 0) + 1}`;
}
