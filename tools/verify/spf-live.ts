/**
 * Live, recursive SPF evaluation (RFC 7208) on top of policies/shared/spf.ts's parser: fetch
 * the record, follow include: and redirect= through DNS, count every DNS-querying term
 * across the tree (limit 10, section 4.6.4) and every void lookup, a query answered by
 * NXDOMAIN or by no records (limit 2, section 4.6.4), and report what breaks SPF.
 * It counts the worst case (every branch), as receivers may have to walk it all.
 */
import { isSpfRecord, parseSpf, SPF_MAX_LOOKUPS, type SpfRecord } from "../../policies/shared/spf";
import { unquoteTxt } from "../../policies/shared/dns-text";
import type { DnsResult, Net } from "./net";

export const SPF_MAX_VOID_LOOKUPS = 2;
/** RFC 7208 4.6.4: an mx mechanism may not look at more than 10 MX hosts. */
const SPF_MAX_MX_HOSTS = 10;
/** Stop walking a pathological tree long after the limit is exceeded. */
const HARD_STOP_LOOKUPS = 40;

export interface SpfEvaluation {
  domain: string;
  /** SPF records published at the domain itself (should be exactly one). */
  records: string[];
  /** The top-level record, parsed, when there is exactly one. */
  parsed?: SpfRecord;
  /** DNS-querying terms across the whole tree (include, a, mx, ptr, exists, redirect). */
  lookups: number;
  voidLookups: number;
  /** Which queries were void, e.g. "a:gone.example.com (NXDOMAIN)". */
  voids: string[];
  /** Every include/redirect domain reached, lower-case. */
  reached: string[];
  /** Problems that make receivers return permerror or that let anyone send: each is a fail. */
  errors: string[];
  /** Problems worth fixing that do not break SPF. */
  warnings: string[];
  /** The tree, one line per include/redirect, indented. */
  tree: string[];
  /** A DNS failure (timeout, SERVFAIL) that left the evaluation incomplete. */
  dnsError?: string;
}

/** Messages from parseSpf that do not make an included record invalid. */
const NESTED_TOLERATED = [/"\?all"/, /no "all" mechanism/, /"ptr" is deprecated/, /put "all" last/, /redirect=" is ignored/];

export async function evaluateSpf(net: Net, domain: string): Promise<SpfEvaluation> {
  const ev: SpfEvaluation = { domain, records: [], lookups: 0, voidLookups: 0, voids: [], reached: [], errors: [], warnings: [], tree: [] };
  const top = await net.txt(domain);
  if (top.status === "error") {
    ev.dnsError = top.error;
    return ev;
  }
  ev.records = top.status === "ok" ? top.records.filter(isSpfRecord).map((r) => unquoteTxt(r)) : [];
  if (ev.records.length === 0) {
    ev.errors.push(`no SPF record at ${domain}: publish one TXT record "v=spf1 include:<your sender> ~all"`);
    return ev;
  }
  if (ev.records.length > 1) {
    ev.errors.push(`${ev.records.length} SPF records at ${domain} (receivers return permerror): merge them into one "v=spf1 ... ~all" record`);
    return ev;
  }
  ev.parsed = parseSpf(ev.records[0]);
  for (const e of ev.parsed.errors) ev.errors.push(e);
  await walk(net, domain, ev.parsed, ev, [domain.toLowerCase()], 0);

  if (ev.lookups > SPF_MAX_LOOKUPS) {
    ev.errors.push(
      `${ev.lookups} DNS lookups across includes (limit ${SPF_MAX_LOOKUPS}): receivers return permerror and mail fails SPF; ` +
        "remove senders you no longer use, replace includes by ip4/ip6 ranges, or move a sender to its own subdomain",
    );
  }
  if (ev.voidLookups > SPF_MAX_VOID_LOOKUPS) {
    ev.errors.push(
      `${ev.voidLookups} void lookups (limit ${SPF_MAX_VOID_LOOKUPS}: ${ev.voids.join(", ")}): receivers return permerror; ` +
        "remove the terms that point at names with no records",
    );
  } else if (ev.voidLookups > 0) {
    ev.warnings.push(`${ev.voidLookups} void lookup(s) (${ev.voids.join(", ")}): remove terms that point at names with no records`);
  }
  return ev;
}

async function walk(net: Net, domain: string, spf: SpfRecord, ev: SpfEvaluation, stack: string[], depth: number): Promise<void> {
  const indent = "  ".repeat(depth);
  for (const term of spf.terms) {
    if (ev.dnsError || ev.lookups > HARD_STOP_LOOKUPS) return;
    const name = term.name;
    if (!["include", "redirect", "a", "mx", "ptr", "exists"].includes(name)) continue;
    ev.lookups += 1;
    const value = term.value ?? "";
    const target = (name === "a" || name === "mx" ? (value.startsWith("/") ? "" : value.split("/")[0]) : value).toLowerCase() || domain;
    if (name === "ptr") continue;
    if (target.includes("%")) {
      ev.warnings.push(`"${term.raw}" uses macros: its lookups depend on each message and were counted once, not queried`);
      continue;
    }
    if (name === "a" || name === "exists") {
      const a = await net.a(target);
      if (a.status === "error") return void (ev.dnsError = a.error);
      if (a.status !== "ok") {
        if (name === "exists") {
          countVoid(ev, term.raw, a);
        } else {
          const aaaa = await net.aaaa(target);
          if (aaaa.status === "error") return void (ev.dnsError = aaaa.error);
          if (aaaa.status !== "ok") countVoid(ev, term.raw, a);
        }
      }
      continue;
    }
    if (name === "mx") {
      const mx = await net.mx(target);
      if (mx.status === "error") return void (ev.dnsError = mx.error);
      if (mx.status !== "ok") countVoid(ev, term.raw, mx);
      else if (mx.records.length > SPF_MAX_MX_HOSTS) {
        ev.errors.push(`"${term.raw}" finds ${mx.records.length} MX hosts (limit ${SPF_MAX_MX_HOSTS}): list the sending IPs with ip4/ip6 instead`);
      }
      continue;
    }
    // include or redirect: fetch and walk the target's record.
    const label = name === "include" ? `include:${target}` : `redirect=${target}`;
    if (stack.includes(target)) {
      ev.errors.push(`${label} loops back to ${target} (${[...stack, target].join(" -> ")}): remove the circular include`);
      continue;
    }
    ev.reached.push(target);
    const txt = await net.txt(target);
    if (txt.status === "error") return void (ev.dnsError = txt.error);
    if (txt.status !== "ok") countVoid(ev, term.raw, txt);
    const records = txt.status === "ok" ? txt.records.filter(isSpfRecord) : [];
    if (records.length !== 1) {
      ev.tree.push(`${indent}${label} (${records.length ? `${records.length} SPF records` : "no SPF record"})`);
      ev.errors.push(
        records.length === 0
          ? `${label} has no SPF record (receivers return permerror): fix the name or remove the ${name === "include" ? "include" : "redirect"}`
          : `${label} publishes ${records.length} SPF records (permerror): the sender must publish exactly one; remove the ${name}`,
      );
      continue;
    }
    const nested = parseSpf(records[0]);
    const before = ev.lookups;
    const at = ev.tree.length;
    ev.tree.push("");
    for (const e of nested.errors) {
      if (/\+all/.test(e)) {
        ev.errors.push(`${label} ends in "+all", so it authorises every server on the internet to send as ${ev.domain}: remove this ${name}`);
      } else if (!NESTED_TOLERATED.some((re) => re.test(e))) {
        ev.errors.push(`${label} is invalid (${e}): receivers return permerror; remove it or ask the sender to fix it`);
      }
    }
    await walk(net, target, nested, ev, [...stack, target], depth + 1);
    ev.tree[at] = `${indent}${label}${ev.lookups > before ? ` (+${ev.lookups - before})` : ""}`;
  }
}

function countVoid(ev: SpfEvaluation, raw: string, result: DnsResult<unknown>): void {
  ev.voidLookups += 1;
  ev.voids.push(`${raw} (${result.status === "nxdomain" ? "NXDOMAIN" : "no records"})`);
}
