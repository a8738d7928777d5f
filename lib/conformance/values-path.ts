/**
 * Walks a resource's input properties along a fact's path ("rules[].ratelimit.period"; "*" for every value of a map),
 * yielding every concrete value with its concrete path ("rules[2].ratelimit.period").
 */
import { isSecretValue } from "../planned/secrets";

/** The engine's marker for a value not known until the deployment runs. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** That sentinel as people read it, in the plan text and the stack outputs a preview shows. */
export const UNKNOWN_OUTPUT = "[known after pulumi up]";

export interface Located {
  path: string;
  value: unknown;
  secret: boolean;
  /** The list element entered at the first "[]" (a ruleset's rule), for rules that depend on it. */
  item?: Record<string, unknown>;
}

export function locate(root: unknown, path: string): Located[] {
  const segments = path.split(".");
  const out: Located[] = [];
  const walk = (value: unknown, i: number, at: string, secret: boolean, item: Record<string, unknown> | undefined) => {
    if (isSecretValue(value)) return walk(value.value, i, at, true, item);
    if (i === segments.length) {
      if (value !== undefined && value !== null && value !== UNKNOWN) out.push({ path: at, value, secret, item });
      return;
    }
    if (typeof value !== "object" || value === null) return;
    const seg = segments[i];
    // "*" walks every value of a map keyed by data (a rewrite rule's headers, by header name).
    if (seg === "*") {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, i + 1, at ? `${at}.${k}` : k, secret, item);
      return;
    }
    const each = seg.endsWith("[]");
    const key = each ? seg.slice(0, -2) : seg;
    const next = (value as Record<string, unknown>)[key];
    const here = at ? `${at}.${key}` : key;
    if (!each) return walk(next, i + 1, here, secret, item);
    const list = isSecretValue(next) ? next.value : next;
    if (!Array.isArray(list)) return;
    list.forEach((el, n) => {
      const unwrapped = isSecretValue(el) ? el.value : el;
      const enter = item ?? (typeof unwrapped === "object" && unwrapped !== null ? (unwrapped as Record<string, unknown>) : undefined);
      walk(el, i + 1, `${here}[${n}]`, secret || isSecretValue(next), enter);
    });
  };
  walk(root, 0, "", false, undefined);
  return out;
}

/** A value as a finding prints it: never a secret, never a page of JSON. */
export function printable(value: unknown, secret: boolean): string {
  if (secret) return "[secret]";
  const text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
