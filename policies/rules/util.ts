/**
 * Helpers shared by the policies. Pure and side-effect free: only *types* come from
 * @pulumi/policy, so importing the rules never loads the policy server.
 */
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { unquoteTxt } from "../../lib/email/spf";

export type LaunchPolicy = ResourceValidationPolicy | StackValidationPolicy;
export type { PolicyResource, ReportViolation, ResourceValidationArgs, StackValidationArgs };

/** Resource type tokens the pack judges (matched as strings: no provider SDK is loaded). */
import { RESOURCE_TYPES as T } from "../../lib/resource-types";
export { T };

/** Stands for a value that is not known yet (a preview of a value computed by a provider). */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

/** The sentinels the engine uses for unknown values (see @pulumi/policy proxy.js). */
const UNKNOWN_SENTINELS = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

export function isUnknown(v: unknown): v is Unknown {
  return v === UNKNOWN;
}

/**
 * The engine wraps props in a proxy that throws on any unknown value. Policies here
 * read a plain copy instead, with unknowns replaced by UNKNOWN, so one unknown field
 * (e.g. an alarm's health check id during preview) never stops a whole stack check.
 */
export function plain(props: unknown): Record<string, any> {
  let raw: any = props;
  try {
    const target = (props as any)?.__getSpecialProxyTarget;
    if (target && typeof target === "object") raw = target;
  } catch {
    /* not a proxy */
  }
  const out = copy(raw);
  return out && typeof out === "object" && !Array.isArray(out) ? (out as Record<string, any>) : {};
}

function copy(v: unknown): unknown {
  if (typeof v === "string" && UNKNOWN_SENTINELS.has(v)) return UNKNOWN;
  if (Array.isArray(v)) return v.map(copy);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = copy((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** A string or undefined (unknown, missing or another type). */
export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function obj(v: unknown): Record<string, any> | undefined {
  return v && typeof v === "object" && !Array.isArray(v) && !isUnknown(v) ? (v as Record<string, any>) : undefined;
}

/** Config merged over defaults: works whether or not the engine applied schema defaults. */
export function configOf<C extends object>(args: { getConfig<T extends object>(): T }, defaults: C): C {
  let given: Partial<C> = {};
  try {
    given = (args.getConfig<Partial<C>>() ?? {}) as Partial<C>;
  } catch {
    given = {};
  }
  const out: any = { ...defaults };
  for (const [k, v] of Object.entries(given)) if (v !== undefined && k !== "enforcementLevel") out[k] = v;
  return out as C;
}

/** For a resource policy: run `fn` on resources of `type` only, others are not applicable. */
export function forType(
  type: string | readonly string[],
  fn: (props: Record<string, any>, args: ResourceValidationArgs, report: ReportViolation) => void | Promise<void>,
) {
  const types = typeof type === "string" ? [type] : type;
  return (args: ResourceValidationArgs, report: ReportViolation): void | Promise<void> => {
    if (!types.includes(args.type)) {
      args.notApplicable(`applies to ${types.join(", ")} only`);
    }
    return fn(plain(args.props), args, report);
  };
}

/** A stack resource's props as plain data (unknowns replaced by UNKNOWN). */
export interface StackRes {
  type: string;
  urn: string;
  name: string;
  props: Record<string, any>;
  /** URNs this resource depends on (any input). */
  dependsOn: Set<string>;
  /** Per input property, URNs it depends on. */
  propertyDeps: Record<string, Set<string>>;
  parentUrn?: string;
}

export function stackResources(args: StackValidationArgs): StackRes[] {
  return args.resources.map((r: PolicyResource) => {
    const propertyDeps: Record<string, Set<string>> = {};
    for (const [k, deps] of Object.entries(r.propertyDependencies ?? {})) {
      propertyDeps[k] = new Set((deps ?? []).map((d) => d.urn));
    }
    return {
      type: r.type,
      urn: r.urn,
      name: r.name,
      props: plain(r.props),
      dependsOn: new Set((r.dependencies ?? []).map((d) => d.urn)),
      propertyDeps,
      parentUrn: r.parent?.urn ?? r.opts?.parent,
    };
  });
}

/** The stack name in a URN: urn:pulumi:<stack>::<project>::<type>::<name>. */
export function stackOfUrn(urn: string): string | undefined {
  const m = /^urn:pulumi:([^:]+)::/.exec(urn);
  return m?.[1];
}

/** DNS names are case-insensitive and may carry a trailing dot. */
export function normHost(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}

/** TXT content as published: quoted strings joined, or the raw text when unquoted. */
export function txtText(content: unknown): string | undefined {
  const s = str(content);
  return s === undefined ? undefined : unquoteTxt(s);
}

export function isWebRecordType(type: unknown): boolean {
  return type === "A" || type === "AAAA" || type === "CNAME";
}

/**
 * Multi-label public suffixes common enough to matter; for these the registrable
 * domain has three labels (example.co.uk). Everything else: the last two labels.
 */
const MULTI_LABEL_SUFFIXES = new Set([
  "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "ltd.uk", "plc.uk", "net.uk",
  "com.au", "net.au", "org.au", "edu.au", "gov.au",
  "co.nz", "org.nz", "net.nz",
  "co.jp", "ne.jp", "or.jp",
  "com.br", "net.br", "org.br",
  "co.in", "net.in", "org.in", "firm.in",
  "co.za", "org.za",
  "com.mx", "com.ar", "com.tr", "com.sg", "com.hk", "com.tw", "com.cn", "com.my",
  "co.kr", "or.kr", "co.il", "co.id", "co.th",
]);

/** The registrable domain (the zone apex, for the common case) of a host name. */
export function registrableDomain(host: string): string {
  const labels = normHost(host).replace(/^\*\./, "").split(".").filter(Boolean);
  if (labels.length <= 2) return labels.join(".");
  const lastTwo = labels.slice(-2).join(".");
  return MULTI_LABEL_SUFFIXES.has(lastTwo) ? labels.slice(-3).join(".") : lastTwo;
}

/**
 * The apex for a name: the longest configured apex it falls under, else its
 * registrable domain.
 */
export function apexOf(host: string, configuredApexes: readonly string[] = []): string {
  const h = normHost(host);
  const match = configuredApexes
    .map(normHost)
    .filter((a) => h === a || h.endsWith(`.${a}`))
    .sort((a, b) => b.length - a.length)[0];
  return match ?? registrableDomain(h);
}

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
    .filter((l) => /^[a-z0-9*][a-z0-9.-]*\.[a-z]{2,}$/i.test(l))
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
    if (!/[/]/.test(lit) && (!expressionMentionsPath(expression) || /^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/i.test(lit))) continue;
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

/** Rules of a ruleset as plain objects, with their `enabled` flag defaulted to true. */
export function rulesOf(props: Record<string, any>): Array<Record<string, any> & { enabled: boolean; index: number }> {
  return arr(props.rules)
    .map((r, index) => {
      const rule: Record<string, any> = obj(r) ?? {};
      return { ...rule, index, enabled: rule.enabled !== false };
    });
}

export function ruleLabel(rule: Record<string, any>): string {
  const d = str(rule.description) ?? str(rule.ref);
  return d ? `rule "${d}"` : `rule #${(rule.index ?? 0) + 1}`;
}

/** Parses a 1.0 / 1.1 / 1.2 / 1.3 TLS version string. */
export function tlsVersion(v: unknown): number | undefined {
  const s = str(v) ?? (typeof v === "number" ? String(v) : undefined);
  if (!s) return undefined;
  const m = /^(?:TLS\s*v?)?(1\.[0-3])$/i.exec(s.trim());
  return m ? Number(m[1]) : undefined;
}

/** Zone-level Cloudflare configuration: settings or zone rulesets (one entrypoint per phase per zone). */
export function isZoneEdgeConfig(r: { type: string; props: Record<string, any> }): boolean {
  if (r.type === T.zoneSetting || r.type === T.botManagement) return true;
  if (r.type === T.ruleset) return r.props.kind === "zone" || r.props.zoneId !== undefined;
  return false;
}

/** Placeholder zone for hand-written relative names ("@", "www"). */
export const RELATIVE_ZONE = "zone.invalid";

/**
 * A record name as a fully-qualified, lower-case name. Hand-written stacks sometimes
 * use zone-relative names ("@", "www", "_dmarc"); those are qualified with a
 * placeholder zone so apex logic still works.
 */
export function qualify(name: string): string {
  const n = normHost(name);
  if (n === "@" || n === "") return RELATIVE_ZONE;
  if (!n.includes(".")) return `${n}.${RELATIVE_ZONE}`;
  return n;
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
