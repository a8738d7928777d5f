/**
 * DMARC (RFC 7489) parsing and building. Pure functions shared by the program,
 * the policy pack and `verify`.
 */
import { unquoteTxt } from "./dns-text";

export type DmarcPolicy = "none" | "quarantine" | "reject";
const POLICIES: readonly string[] = ["none", "quarantine", "reject"];

export interface DmarcRecord {
  tags: Record<string, string>;
  policy?: DmarcPolicy;
  subdomainPolicy?: DmarcPolicy;
  pct?: number;
  rua: string[];
  ruf: string[];
  /** Problems that make the record invalid; empty when it is fine. */
  errors: string[];
}

const MAILTO = /^mailto:([^@\s!,]+)@([a-z0-9-]+(\.[a-z0-9-]+)+)(![0-9]+[kmgt]?)?$/i;

export function isDmarcRecord(txt: string): boolean {
  return /^v\s*=\s*DMARC1/i.test(unquoteTxt(txt).trim());
}

export function parseDmarc(txt: string): DmarcRecord {
  const text = unquoteTxt(txt).trim();
  const errors: string[] = [];
  const tags: Record<string, string> = {};
  const parts = text
    .split(";")
    .map((p) => p.trim())
    .filter(Boolean);
  parts.forEach((part, i) => {
    const m = /^([a-z]+)\s*=\s*(.*)$/i.exec(part);
    if (!m) {
      errors.push(`"${part}" is not a tag=value pair`);
      return;
    }
    const key = m[1].toLowerCase();
    if (i === 0 && key !== "v") errors.push('"v=DMARC1" must be the first tag');
    if (key in tags) errors.push(`tag "${key}" appears twice`);
    tags[key] = m[2].trim();
  });
  if (tags.v !== undefined && tags.v !== "DMARC1") errors.push(`"v=${tags.v}" must be exactly "v=DMARC1"`);
  if (tags.v === undefined && parts.length > 0 && !errors.some((e) => e.includes("first tag"))) {
    errors.push('"v=DMARC1" must be the first tag');
  }
  if (parts.length === 0) errors.push('the record is empty: it must start with "v=DMARC1; p=..."');

  const policy = readPolicy(tags.p, "p", errors);
  if (tags.p === undefined) errors.push('"p=" is required (none, quarantine or reject) and must follow v=DMARC1');
  else if (parts.length > 1 && !/^p\s*=/i.test(parts[1])) errors.push('"p=" must be the second tag, right after v=DMARC1');
  const subdomainPolicy = readPolicy(tags.sp, "sp", errors);

  let pct: number | undefined;
  if (tags.pct !== undefined) {
    pct = Number(tags.pct);
    if (!Number.isInteger(pct) || pct < 0 || pct > 100) errors.push(`"pct=${tags.pct}" must be a whole number from 0 to 100`);
  }
  for (const key of ["adkim", "aspf"]) {
    if (tags[key] !== undefined && !/^[rs]$/.test(tags[key])) errors.push(`"${key}=${tags[key]}" must be r (relaxed) or s (strict)`);
  }
  if (tags.fo !== undefined && !/^[01ds](:[01ds])*$/.test(tags.fo)) errors.push(`"fo=${tags.fo}" must be 0, 1, d or s (colon-separated)`);
  const rua = readUris(tags.rua, "rua", errors);
  const ruf = readUris(tags.ruf, "ruf", errors);
  return { tags, policy, subdomainPolicy, pct, rua, ruf, errors };
}

function readPolicy(value: string | undefined, tag: string, errors: string[]): DmarcPolicy | undefined {
  if (value === undefined) return undefined;
  if (!POLICIES.includes(value)) {
    errors.push(`"${tag}=${value}" must be none, quarantine or reject`);
    return undefined;
  }
  return value as DmarcPolicy;
}

function readUris(value: string | undefined, tag: string, errors: string[]): string[] {
  if (value === undefined) return [];
  const uris = value
    .split(",")
    .map((u) => u.trim())
    .filter(Boolean);
  for (const uri of uris) {
    if (!MAILTO.test(uri)) errors.push(`"${tag}" entry "${uri}" must be a mailto: URI, e.g. mailto:dmarc@example.com`);
  }
  return uris;
}

/** The domain part of each mailto: report address. */
export function reportDomains(uris: readonly string[]): string[] {
  return uris.map((u) => MAILTO.exec(u)?.[2]?.toLowerCase()).filter((d): d is string => !!d);
}

/**
 * The record a report domain must publish to accept reports about another domain
 * (RFC 7489 7.1), e.g. `example.com._report._dmarc.reports.example.net`.
 */
export function externalReportAuthName(domain: string, reportDomain: string): string {
  return `${domain}._report._dmarc.${reportDomain}`;
}

export interface DmarcSpec {
  policy: DmarcPolicy;
  subdomainPolicy?: DmarcPolicy;
  rua?: readonly string[];
  ruf?: readonly string[];
  pct?: number;
  adkim?: "r" | "s";
  aspf?: "r" | "s";
}

/** Builds a record with the tags in the conventional order, v and p first. */
export function buildDmarcRecord(spec: DmarcSpec): string {
  const tags = ["v=DMARC1", `p=${spec.policy}`];
  if (spec.subdomainPolicy && spec.subdomainPolicy !== spec.policy) tags.push(`sp=${spec.subdomainPolicy}`);
  if (spec.pct !== undefined && spec.pct !== 100) tags.push(`pct=${spec.pct}`);
  if (spec.rua?.length) tags.push(`rua=${spec.rua.map(asMailto).join(",")}`);
  if (spec.ruf?.length) tags.push(`ruf=${spec.ruf.map(asMailto).join(",")}`, "fo=1");
  if (spec.adkim) tags.push(`adkim=${spec.adkim}`);
  if (spec.aspf) tags.push(`aspf=${spec.aspf}`);
  return tags.join("; ");
}

/** DMARC for a name that sends no mail: reject everything claiming to be from it. */
export const NO_MAIL_DMARC = buildDmarcRecord({ policy: "reject", adkim: "s", aspf: "s" });

function asMailto(address: string): string {
  return address.startsWith("mailto:") ? address : `mailto:${address}`;
}
