/**
 * SPF (RFC 7208) parsing, building and DNS-lookup counting.
 *
 * Pure functions: the program uses them to build records and check config, the
 * policy pack to judge any TXT record, and `verify` to judge the live record.
 */

import { unquoteTxt } from "./dns-text";
import { includeLookupCosts } from "./senders";

export type SpfQualifier = "+" | "-" | "~" | "?";

export interface SpfTerm {
  /** The term as written, e.g. `~all` or `include:_spf.google.com`. */
  raw: string;
  kind: "mechanism" | "modifier";
  qualifier: SpfQualifier;
  /** Mechanism or modifier name, lower-cased: `include`, `ip4`, `redirect`... */
  name: string;
  /** What follows `:` or `=` (or `/` for a bare `a/24`), if anything. */
  value?: string;
}

export interface SpfRecord {
  terms: SpfTerm[];
  /** The qualifier of the `all` mechanism, when there is one. */
  all?: SpfQualifier;
  includes: string[];
  redirect?: string;
  /** Problems that make the record invalid or unsafe; empty when it is fine. */
  errors: string[];
}

/** Mechanisms and modifiers that cost a DNS lookup (RFC 7208 section 4.6.4). */
const LOOKUP_TERMS = new Set(["include", "a", "mx", "ptr", "exists", "redirect"]);
const MECHANISMS = new Set(["all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"]);
/** The RFC's limit on DNS-querying terms, counted across includes. */
export const SPF_MAX_LOOKUPS = 10;

const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
const IPV6_CIDR = /^[0-9a-f:.]*:[0-9a-f:.]*(\/(12[0-8]|1[01]\d|[1-9]?\d))?$/i;
const DOMAIN_SPEC = /^[a-z0-9%{}_.+-]+(\/\/?\d+)*$/i;

/** True when the TXT content is an SPF record at all (starts with `v=spf1`). */
/**
 * A domain an SPF term may name (include:, a:, mx:, exists:, redirect=), by RFC 7208's
 * grammar rather than web hostname rules: a label may hold any visible character but "%"
 * and "." (so "_spf.salesforce.com" is valid), the last label is a `toplabel` (alphanumeric,
 * inner hyphens, not all digits), at most 63 octets a label and 253 in all (RFC 7208 §7.1,
 * §4.3; macros are not supported here).
 */
export function isSpfDomain(domain: string): boolean {
  if (domain.length === 0 || domain.length > 253 || domain !== domain.toLowerCase()) return false;
  const labels = domain.split(".");
  if (labels.length < 2) return false;
  const top = labels[labels.length - 1];
  const toplabel = /^(?:[a-z0-9]*[a-z][a-z0-9]*|[a-z0-9]+-[a-z0-9-]*[a-z0-9])$/;
  return toplabel.test(top) && labels.every((l) => l.length >= 1 && l.length <= 63 && /^[\x21-\x24\x26-\x2d\x2f-\x7e]+$/.test(l));
}

export function isSpfRecord(txt: string): boolean {
  return /^v=spf1(\s|$)/i.test(unquoteTxt(txt).trim());
}

export function parseSpf(txt: string): SpfRecord {
  const text = unquoteTxt(txt).trim();
  const errors: string[] = [];
  const terms: SpfTerm[] = [];
  const includes: string[] = [];
  let redirect: string | undefined;
  let all: SpfQualifier | undefined;

  const words = text.split(/\s+/).filter(Boolean);
  if (words.length === 0 || words[0].toLowerCase() !== "v=spf1") {
    errors.push('an SPF record must start with "v=spf1"');
    return { terms, includes, errors };
  }
  for (const raw of words.slice(1)) {
    const modifier = /^([a-z][a-z0-9_.-]*)=(.*)$/i.exec(raw);
    if (modifier) {
      const name = modifier[1].toLowerCase();
      const value = modifier[2];
      if (terms.some((t) => t.kind === "modifier" && t.name === name) && (name === "redirect" || name === "exp")) {
        errors.push(`"${name}=" appears more than once`);
      }
      if ((name === "redirect" || name === "exp") && !DOMAIN_SPEC.test(value)) {
        errors.push(`"${raw}" has an invalid domain`);
      }
      if (name === "redirect") redirect = value;
      terms.push({ raw, kind: "modifier", qualifier: "+", name, value });
      continue;
    }
    const mech = /^([+\-~?]?)([a-z0-9]+)(?:([:/])(.*))?$/i.exec(raw);
    if (!mech || !MECHANISMS.has(mech[2].toLowerCase())) {
      errors.push(`"${raw}" is not an SPF mechanism (all, include, a, mx, ptr, ip4, ip6, exists) or modifier`);
      continue;
    }
    const qualifier = (mech[1] || "+") as SpfQualifier;
    const name = mech[2].toLowerCase();
    const value = mech[3] === "/" ? `/${mech[4]}` : mech[4];
    terms.push({ raw, kind: "mechanism", qualifier, name, value });
    switch (name) {
      case "all":
        if (value !== undefined) errors.push(`"${raw}": all takes no value`);
        all = qualifier;
        break;
      case "include":
      case "exists":
        if (!value || !DOMAIN_SPEC.test(value)) errors.push(`"${raw}" needs a domain, e.g. ${name}:example.com`);
        else if (name === "include") includes.push(value.toLowerCase());
        break;
      case "ip4":
        if (!value || !IPV4_CIDR.test(value)) errors.push(`"${raw}" is not a valid IPv4 address or CIDR`);
        break;
      case "ip6":
        if (!value || !IPV6_CIDR.test(value)) errors.push(`"${raw}" is not a valid IPv6 address or CIDR`);
        break;
      default:
        if (value !== undefined && !value.startsWith("/") && !DOMAIN_SPEC.test(value)) {
          errors.push(`"${raw}" has an invalid domain`);
        }
    }
  }
  if (all === "+") errors.push('"+all" lets anyone send as this domain: use "~all" or "-all"');
  if (all === "?") errors.push('"?all" (neutral) protects nothing: use "~all" or "-all"');
  const allIndex = terms.findIndex((t) => t.kind === "mechanism" && t.name === "all");
  if (allIndex >= 0 && allIndex < terms.length - 1 && terms.slice(allIndex + 1).some((t) => t.kind === "mechanism")) {
    errors.push('mechanisms after "all" are never evaluated: put "all" last');
  }
  if (all !== undefined && redirect !== undefined) {
    errors.push('"redirect=" is ignored when "all" is present: keep one of them');
  }
  if (all === undefined && redirect === undefined) {
    errors.push('the record has no "all" mechanism: end it with "~all" or "-all"');
  }
  if (terms.some((t) => t.name === "ptr")) {
    errors.push('"ptr" is deprecated (RFC 7208 5.5) and slow: list ip4/ip6 or include instead');
  }
  return { terms, all, includes, redirect, errors };
}

/**
 * How many DNS lookups the catalogued includes cost in total, the include itself and the
 * nested ones it triggers (mail-senders.json `includes`, each with its source). An include
 * not listed is counted as 1 and reported as unknown: `npm run verify` resolves the live tree.
 */
export const KNOWN_INCLUDE_LOOKUPS: Readonly<Record<string, number>> = includeLookupCosts();

export interface SpfLookupCount {
  /** Every DNS-querying term counted, nested ones included where known. */
  total: number;
  /** DNS-querying terms in the record itself. */
  direct: number;
  /** Includes whose nested cost is not known offline (each counted as 1). */
  unknownIncludes: string[];
}

export function countSpfLookups(record: SpfRecord | string, known: Readonly<Record<string, number>> = KNOWN_INCLUDE_LOOKUPS): SpfLookupCount {
  const spf = typeof record === "string" ? parseSpf(record) : record;
  let total = 0;
  let direct = 0;
  const unknownIncludes: string[] = [];
  for (const term of spf.terms) {
    if (!LOOKUP_TERMS.has(term.name)) continue;
    direct += 1;
    const target = (term.value ?? "").toLowerCase();
    if (term.name === "include" || term.name === "redirect") {
      const cost = known[target];
      if (cost === undefined) {
        unknownIncludes.push(target);
        total += 1;
      } else {
        total += cost;
      }
    } else {
      total += 1;
    }
  }
  return { total, direct, unknownIncludes };
}

export interface SpfSpec {
  includes?: readonly string[];
  ip4?: readonly string[];
  ip6?: readonly string[];
  /** Authorise this name's own MX hosts (costs one lookup). */
  mx?: boolean;
  /** `-all` (fail) or `~all` (softfail). There is deliberately no `+all` or `?all`. */
  all: "-all" | "~all";
}

/** Builds one SPF record: ip4/ip6 first (free), then includes, `all` last. */
export function buildSpfRecord(spec: SpfSpec): string {
  const terms = ["v=spf1"];
  for (const ip of spec.ip4 ?? []) terms.push(`ip4:${ip}`);
  for (const ip of spec.ip6 ?? []) terms.push(`ip6:${ip}`);
  if (spec.mx) terms.push("mx");
  for (const inc of dedupe(spec.includes ?? [])) terms.push(`include:${inc}`);
  terms.push(spec.all);
  return terms.join(" ");
}

/** The record for a name that sends no mail: every sender fails. */
export const NO_MAIL_SPF = "v=spf1 -all";

/**
 * Every problem with an SPF record: syntax, unsafe `all`, and too many DNS lookups.
 * Empty when the record is fine. `unknownIncludes` are returned separately because
 * they are a warning, not an error.
 */
export function checkSpf(txt: string): { errors: string[]; lookups: SpfLookupCount } {
  const spf = parseSpf(txt);
  const lookups = countSpfLookups(spf);
  const errors = [...spf.errors];
  if (lookups.total > SPF_MAX_LOOKUPS) {
    errors.push(
      `the record needs ${lookups.total} DNS lookups (limit ${SPF_MAX_LOOKUPS}): receivers return permerror and mail fails SPF; ` +
        "remove senders you no longer use, replace includes by ip4/ip6 ranges, or move a sender to its own subdomain",
    );
  }
  return { errors, lookups };
}

function dedupe(items: readonly string[]): string[] {
  return [...new Set(items.map((i) => i.toLowerCase()))];
}
