/**
 * Email authentication records for a site: one SPF per sending name, DKIM per
 * sender, DMARC with reporting, MX (or a null MX), and "sends no mail" records for
 * every other name, so no subdomain can be spoofed.
 */
import type { EmailConfig, SenderConfig, ZoneConfig } from "../config/schema";
import type { EmailSenderEntry } from "../domain-map";
import type { RecordSpec, WebHost } from "../dns/records";
import { txtContent } from "../../policies/shared/dns-text";
import { fqdn } from "../../policies/shared/names";
import { buildDmarcRecord, NO_MAIL_DMARC, reportDomains, externalReportAuthName } from "../../policies/shared/dmarc";
import { buildSpfRecord, checkSpf, isSpfRecord, NO_MAIL_SPF } from "../../policies/shared/spf";
import { layoutSender, SenderLayout } from "./senders";

export interface EmailPlan {
  records: RecordSpec[];
  senders: EmailSenderEntry[];
  sendingDomains: string[];
  nonSendingDomains: string[];
  dmarc: { name: string; record: string; policy: string; rua: string[] };
  /** SMTP TLS reporting (RFC 8460) for the name that receives mail, when it does. */
  tlsReporting?: { names: string[]; record: string; rua: string[] };
  /** Config problems: path below `email`, and the message. */
  problems: Array<{ path: string; message: string }>;
  notes: string[];
}

export interface EmailInput {
  zone: ZoneConfig;
  /** The site's relative name: DMARC and inbound MX live here ("@" in production). */
  siteName: string;
  email?: EmailConfig;
  hosts: readonly WebHost[];
  /** Relative names that hold a CNAME: no other record may share their name. */
  cnameNames: ReadonlySet<string>;
}

/** What planEmail builds, in order: each step appends its records, problems and notes. */
interface EmailOut {
  records: RecordSpec[];
  problems: EmailPlan["problems"];
  notes: string[];
}

/** The input with each sender's layout beside it (layouts[i] is senders[i]'s). */
interface EmailContext extends EmailInput {
  senders: readonly SenderConfig[];
  layouts: readonly SenderLayout[];
}

export function planEmail(input: EmailInput): EmailPlan {
  const { zone, siteName, email } = input;
  const out: EmailOut = { records: [], problems: [], notes: [] };
  const senders = email?.senders ?? [];

  // Where each sender's records go comes from the catalogue: SPF at the apex or at the provider's return path, or none.
  const layouts: SenderLayout[] = senders.map((sender, index) => layoutSender({ zone, siteName, sender, index }));
  for (const l of layouts) {
    out.problems.push(...l.problems);
    out.notes.push(...l.notes);
  }
  const ctx: EmailContext = { ...input, senders, layouts };
  const bySendingName = sendersBySpfName(ctx);

  addSpfRecords(ctx, bySendingName, out);
  senders.forEach((_, i) => out.records.push(...layouts[i].records));
  const seenDkim = new Set<string>();
  senders.forEach((sender, i) => {
    addDkimRecords(ctx, sender, i, seenDkim, out);
    addRequiredRecords(ctx, sender, i, out);
  });

  /** Names that send: From domains and envelope (return-path) domains. Everything else is locked down. */
  const sendingNames = new Set([
    ...bySendingName.keys(),
    ...senders.map((s) => s.domain),
    ...layouts.flatMap((l) => (l.returnPathName ? [l.returnPathName] : [])),
  ]);
  const dmarc = addSiteMail(ctx, bySendingName, out);
  const nonSending = addLockDownRecords(ctx, sendingNames, out);
  const tlsReporting = addTlsReporting(ctx, out);

  return {
    records: out.records,
    senders: senderEntries(ctx),
    sendingDomains: [...bySendingName.keys()].map((n) => fqdn(n, zone.name)),
    nonSendingDomains: nonSending,
    dmarc,
    ...(tlsReporting ? { tlsReporting } : {}),
    problems: out.problems,
    notes: out.notes,
  };
}

/** Senders grouped by the name their SPF goes at (a sender without SPF is in no group). */
function sendersBySpfName({ senders, layouts }: EmailContext): Map<string, SenderConfig[]> {
  const bySendingName = new Map<string, SenderConfig[]>();
  senders.forEach((s, i) => {
    const spfName = layouts[i].spfName;
    if (spfName !== undefined) bySendingName.set(spfName, [...(bySendingName.get(spfName) ?? []), s]);
  });
  return bySendingName;
}

/** One SPF record per sending name, with every sender of that name (RFC 7208 allows one). */
function addSpfRecords(ctx: EmailContext, bySendingName: ReadonlyMap<string, SenderConfig[]>, out: EmailOut): void {
  const { zone, email, cnameNames, senders, layouts } = ctx;
  const spfAll = email?.spfAll ?? "~all";
  for (const [name, group] of bySendingName) {
    const host = fqdn(name, zone.name);
    if (cnameNames.has(name)) {
      out.problems.push({
        path: "senders",
        message: `${host} is a CNAME (a web host), so it cannot also hold SPF/MX records: send from the apex or a dedicated subdomain such as "mail"`,
      });
      continue;
    }
    const includes = group.map((s) => layouts[senders.indexOf(s)].spfInclude).filter((x): x is string => !!x);
    const spf = buildSpfRecord({ includes, ip4: group.flatMap((s) => s.ip4), all: spfAll });
    const { errors, lookups } = checkSpf(spf);
    for (const e of errors) out.problems.push({ path: "senders", message: `SPF for ${host} (${group.map((s) => s.name).join(", ")}): ${e}` });
    if (lookups.unknownIncludes.length) {
      out.notes.push(
        `SPF for ${host}: nested lookups of ${lookups.unknownIncludes.join(", ")} are not known offline (counted as 1 each); \`npm run verify\` counts the live tree.`,
      );
    }
    const first = senders.indexOf(group[0]);
    out.records.push({
      ...txt(name, zone, spf, "spf", `SPF for ${group.map((s) => s.name).join(", ")}`),
      configKey: `email.senders[${first}].${group[0].mailFrom ? "mailFrom" : "domain"}`,
    });
  }
}

/** A sender's DKIM keys, as TXT or CNAME; a selector already declared (by any sender) is a problem. */
function addDkimRecords({ zone, layouts }: EmailContext, s: SenderConfig, i: number, seenDkim: Set<string>, out: EmailOut): void {
  for (const [j, key] of s.dkim.entries()) {
    const name = layouts[i].dkimNames[j];
    if (seenDkim.has(name)) {
      out.problems.push({ path: `senders[${i}].dkim`, message: `DKIM selector ${name} is declared twice: each sender needs its own selector` });
      continue;
    }
    seenDkim.add(name);
    out.records.push({
      ...(key.type === "CNAME"
        ? {
            key: `${name} CNAME`,
            name,
            fqdn: fqdn(name, zone.name),
            type: "CNAME",
            content: key.value,
            proxied: false,
            ttl: 1,
            purpose: "dkim",
            comment: `launch-ready: DKIM for ${s.name}`,
          }
        : txt(name, zone, key.value, "dkim", `DKIM for ${s.name}`)),
      configKey: `email.senders[${i}].dkim[${j}]`,
    });
  }
}

/** The records a sender asks for (verification TXT, bounce MX...); an SPF among them is refused, SPF is built from the senders. */
function addRequiredRecords({ zone }: EmailContext, s: SenderConfig, i: number, out: EmailOut): void {
  for (const [j, r] of s.records.entries()) {
    if (r.type === "TXT" && isSpfRecord(r.content)) {
      out.problems.push({
        path: `senders[${i}].records`,
        message: `"${r.content}" is an SPF record: SPF is built from the senders (one record per name); remove it and list the sender instead`,
      });
      continue;
    }
    const spec: RecordSpec =
      r.type === "TXT"
        ? txt(r.name, zone, r.content, "verification", `${s.name} verification`, s.name)
        : {
            key: `${r.name} ${r.type} ${s.name}`,
            name: r.name,
            fqdn: fqdn(r.name, zone.name),
            type: r.type,
            content: r.content,
            proxied: false,
            ttl: 1,
            priority: r.priority,
            purpose: r.type === "MX" ? "mx" : "verification",
            comment: `launch-ready: required by ${s.name}`,
          };
    if (r.type === "MX" && r.priority === undefined) out.problems.push({ path: `senders[${i}].records`, message: `MX record for ${r.name} needs a priority` });
    out.records.push({ ...spec, configKey: `email.senders[${i}].records[${j}]` });
  }
}

/** DMARC and inbound mail for the site's own name: the DMARC record, its MX (or a null MX) and, when it sends nothing, a no-mail SPF. */
function addSiteMail(ctx: EmailContext, bySendingName: ReadonlyMap<string, SenderConfig[]>, out: EmailOut): EmailPlan["dmarc"] {
  const { zone, siteName, email, cnameNames } = ctx;
  const dmarcName = siteName === "@" ? "_dmarc" : `_dmarc.${siteName}`;
  const dmarcRecord = email
    ? buildDmarcRecord({
        policy: email.dmarc.policy,
        subdomainPolicy: email.dmarc.subdomainPolicy,
        rua: email.dmarc.rua,
        ruf: email.dmarc.ruf,
        pct: email.dmarc.pct,
      })
    : NO_MAIL_DMARC;
  out.records.push(txt(dmarcName, zone, dmarcRecord, "dmarc", "DMARC"));
  for (const d of reportDomains(email?.dmarc.rua.map((a) => `mailto:${a}`) ?? [])) {
    if (d !== zone.name && !d.endsWith(`.${zone.name}`)) {
      out.notes.push(`DMARC reports go to ${d}: it must publish ${externalReportAuthName(zone.name, d)} TXT "v=DMARC1" or receivers drop them.`);
    }
  }
  if (!cnameNames.has(siteName)) {
    const mx = email?.mx ?? [];
    if (mx.length > 0) {
      mx.forEach((m) =>
        out.records.push({
          key: `${siteName} MX ${m.host}`,
          name: siteName,
          fqdn: fqdn(siteName, zone.name),
          type: "MX",
          content: m.host,
          priority: m.priority,
          proxied: false,
          ttl: 1,
          purpose: "mx",
          comment: "launch-ready: inbound mail",
          configKey: "email.mx",
        }),
      );
    } else {
      out.records.push(nullMx(siteName, zone));
    }
    if (!bySendingName.has(siteName)) out.records.push(txt(siteName, zone, NO_MAIL_SPF, "no-mail", "this name sends no mail"));
  }
  return { name: fqdn(dmarcName, zone.name), record: dmarcRecord, policy: email?.dmarc.policy ?? "reject", rua: email?.dmarc.rua ?? [] };
}

/** Every other name that does not send gets locked down (DMARC reject, no-mail SPF, null MX); returns the non-sending domains. */
function addLockDownRecords(ctx: EmailContext, sendingNames: ReadonlySet<string>, out: EmailOut): string[] {
  const { zone, siteName, email, hosts, cnameNames } = ctx;
  // Lock-down records report too: a spoofing attempt on a silent name is worth knowing about.
  const lockDownDmarc = email ? buildDmarcRecord({ policy: "reject", adkim: "s", aspf: "s", rua: email.dmarc.rua }) : NO_MAIL_DMARC;
  const lockDown = new Set([...hosts.map((h) => h.name), ...(email?.lockDown ?? [])]);
  lockDown.delete(siteName);
  const nonSending: string[] = [];
  for (const name of [...lockDown].sort()) {
    if (sendingNames.has(name)) continue;
    nonSending.push(fqdn(name, zone.name));
    out.records.push(txt(`_dmarc.${name}`, zone, lockDownDmarc, "no-mail", "this name sends no mail"));
    if (cnameNames.has(name)) continue; // a CNAME owns its name: the DMARC reject above still covers it
    out.records.push(txt(name, zone, NO_MAIL_SPF, "no-mail", "this name sends no mail"));
    out.records.push(nullMx(name, zone));
  }
  if (!sendingNames.has(siteName)) nonSending.unshift(fqdn(siteName, zone.name));
  return nonSending;
}

/** Every name that receives mail (the site's MX, a sender's bounce MX) asks for TLS failure reports. */
function addTlsReporting({ zone, email }: EmailContext, out: EmailOut): EmailPlan["tlsReporting"] {
  const receiving = [...new Set(out.records.filter((r) => r.type === "MX" && r.purpose === "mx").map((r) => r.name))];
  if (!email?.tlsReporting.enabled || !receiving.length) return undefined;
  const rua = email.tlsReporting.rua ?? email.dmarc.rua;
  const tlsReporting = { names: receiving.map((n) => fqdn(tlsRptName(n), zone.name)), record: tlsRptRecord(rua), rua };
  for (const n of receiving) out.records.push(txt(tlsRptName(n), zone, tlsReporting.record, "tls-reporting", "SMTP TLS reporting (RFC 8460)"));
  return tlsReporting;
}

/** The domain map's view of each sender: where it sends from, where its SPF is, its DKIM selectors. */
function senderEntries({ zone, senders, layouts }: EmailContext): EmailSenderEntry[] {
  return senders.map((s, i) => ({
    name: s.name,
    kind: s.kind,
    sendingDomain: fqdn(s.domain, zone.name),
    spfDomain: fqdn(layouts[i].returnPathName ?? layouts[i].spfName ?? s.domain, zone.name),
    ...(layouts[i].spfInclude ? { spfInclude: layouts[i].spfInclude } : {}),
    dkimSelectors: [...s.dkim.map((d) => d.selector), ...layouts[i].dkimNames.slice(s.dkim.length).map((n) => n.split("._domainkey")[0])],
  }));
}

function txt(name: string, zone: ZoneConfig, text: string, purpose: RecordSpec["purpose"], what: string, keySuffix: string = purpose): RecordSpec {
  return {
    key: `${name} TXT ${keySuffix}`,
    name,
    fqdn: fqdn(name, zone.name),
    type: "TXT",
    content: txtContent(text),
    proxied: false,
    ttl: 1,
    purpose,
    comment: `launch-ready: ${what}`,
  };
}

/** RFC 8460 section 3: the policy lives at _smtp._tls below the receiving name. */
function tlsRptName(siteName: string): string {
  return siteName === "@" ? "_smtp._tls" : `_smtp._tls.${siteName}`;
}

/** `v=TLSRPTv1; rua=mailto:a@x,mailto:b@y` (RFC 8460 section 3). */
export function tlsRptRecord(rua: readonly string[]): string {
  return `v=TLSRPTv1; rua=${rua.map((a) => `mailto:${a}`).join(",")}`;
}

/** RFC 7505: "this name accepts no mail". */
function nullMx(name: string, zone: ZoneConfig): RecordSpec {
  return {
    key: `${name} MX null`,
    name,
    fqdn: fqdn(name, zone.name),
    type: "MX",
    content: ".",
    priority: 0,
    proxied: false,
    ttl: 1,
    purpose: "no-mail",
    comment: "launch-ready: null MX, this name accepts no mail",
  };
}
