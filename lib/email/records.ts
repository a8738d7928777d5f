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

export function planEmail(input: EmailInput): EmailPlan {
  const { zone, siteName, email, hosts, cnameNames } = input;
  const records: RecordSpec[] = [];
  const problems: EmailPlan["problems"] = [];
  const notes: string[] = [];
  const senders = email?.senders ?? [];
  const spfAll = email?.spfAll ?? "~all";

  // Where each sender's records go comes from the catalogue: SPF at the apex or at the provider's return path, or none.
  const layouts: SenderLayout[] = senders.map((sender, index) => layoutSender({ zone, siteName, sender, index }));
  for (const l of layouts) {
    problems.push(...l.problems);
    notes.push(...l.notes);
  }
  const bySendingName = new Map<string, SenderConfig[]>();
  senders.forEach((s, i) => {
    const spfName = layouts[i].spfName;
    if (spfName !== undefined) bySendingName.set(spfName, [...(bySendingName.get(spfName) ?? []), s]);
  });

  for (const [name, group] of bySendingName) {
    const host = fqdn(name, zone.name);
    if (cnameNames.has(name)) {
      problems.push({
        path: "senders",
        message: `${host} is a CNAME (a web host), so it cannot also hold SPF/MX records: send from the apex or a dedicated subdomain such as "mail"`,
      });
      continue;
    }
    const includes = group.map((s) => layouts[senders.indexOf(s)].spfInclude).filter((x): x is string => !!x);
    const spf = buildSpfRecord({ includes, ip4: group.flatMap((s) => s.ip4), all: spfAll });
    const { errors, lookups } = checkSpf(spf);
    for (const e of errors) problems.push({ path: "senders", message: `SPF for ${host} (${group.map((s) => s.name).join(", ")}): ${e}` });
    if (lookups.unknownIncludes.length) {
      notes.push(
        `SPF for ${host}: nested lookups of ${lookups.unknownIncludes.join(", ")} are not known offline (counted as 1 each); \`npm run verify\` counts the live tree.`,
      );
    }
    const first = senders.indexOf(group[0]);
    records.push({
      ...txt(name, zone, spf, "spf", `SPF for ${group.map((s) => s.name).join(", ")}`),
      configKey: `email.senders[${first}].${group[0].mailFrom ? "mailFrom" : "domain"}`,
    });
  }
  senders.forEach((_, i) => records.push(...layouts[i].records));

  const seenDkim = new Set<string>();
  senders.forEach((s, i) => {
    for (const [j, key] of s.dkim.entries()) {
      const name = layouts[i].dkimNames[j];
      if (seenDkim.has(name)) {
        problems.push({ path: `senders[${i}].dkim`, message: `DKIM selector ${name} is declared twice: each sender needs its own selector` });
        continue;
      }
      seenDkim.add(name);
      records.push({
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
    for (const [j, r] of s.records.entries()) {
      if (r.type === "TXT" && isSpfRecord(r.content)) {
        problems.push({
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
      if (r.type === "MX" && r.priority === undefined) problems.push({ path: `senders[${i}].records`, message: `MX record for ${r.name} needs a priority` });
      records.push({ ...spec, configKey: `email.senders[${i}].records[${j}]` });
    }
  });

  /** Names that send: From domains and envelope (return-path) domains. Everything else is locked down. */
  const sendingNames = new Set([
    ...bySendingName.keys(),
    ...senders.map((s) => s.domain),
    ...layouts.flatMap((l) => (l.returnPathName ? [l.returnPathName] : [])),
  ]);

  // DMARC and inbound mail for the site's own name.
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
  // Lock-down records report too: a spoofing attempt on a silent name is worth knowing about.
  const lockDownDmarc = email ? buildDmarcRecord({ policy: "reject", adkim: "s", aspf: "s", rua: email.dmarc.rua }) : NO_MAIL_DMARC;
  records.push(txt(dmarcName, zone, dmarcRecord, "dmarc", "DMARC"));
  for (const d of reportDomains(email?.dmarc.rua.map((a) => `mailto:${a}`) ?? [])) {
    if (d !== zone.name && !d.endsWith(`.${zone.name}`)) {
      notes.push(`DMARC reports go to ${d}: it must publish ${externalReportAuthName(zone.name, d)} TXT "v=DMARC1" or receivers drop them.`);
    }
  }
  if (!cnameNames.has(siteName)) {
    const mx = email?.mx ?? [];
    if (mx.length > 0) {
      mx.forEach((m) =>
        records.push({
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
      records.push(nullMx(siteName, zone));
    }
    if (!bySendingName.has(siteName)) records.push(txt(siteName, zone, NO_MAIL_SPF, "no-mail", "this name sends no mail"));
  }

  // Every other name that does not send gets locked down.
  const lockDown = new Set([...hosts.map((h) => h.name), ...(email?.lockDown ?? [])]);
  lockDown.delete(siteName);
  const nonSending: string[] = [];
  for (const name of [...lockDown].sort()) {
    if (sendingNames.has(name)) continue;
    nonSending.push(fqdn(name, zone.name));
    records.push(txt(`_dmarc.${name}`, zone, lockDownDmarc, "no-mail", "this name sends no mail"));
    if (cnameNames.has(name)) continue; // a CNAME owns its name: the DMARC reject above still covers it
    records.push(txt(name, zone, NO_MAIL_SPF, "no-mail", "this name sends no mail"));
    records.push(nullMx(name, zone));
  }
  if (!sendingNames.has(siteName)) nonSending.unshift(fqdn(siteName, zone.name));

  // Every name that receives mail (the site's MX, a sender's bounce MX) asks for TLS failure reports.
  let tlsReporting: EmailPlan["tlsReporting"];
  const receiving = [...new Set(records.filter((r) => r.type === "MX" && r.purpose === "mx").map((r) => r.name))];
  if (email?.tlsReporting.enabled && receiving.length) {
    const rua = email.tlsReporting.rua ?? email.dmarc.rua;
    tlsReporting = { names: receiving.map((n) => fqdn(tlsRptName(n), zone.name)), record: tlsRptRecord(rua), rua };
    for (const n of receiving) records.push(txt(tlsRptName(n), zone, tlsReporting.record, "tls-reporting", "SMTP TLS reporting (RFC 8460)"));
  }

  return {
    records,
    senders: senders.map((s, i) => ({
      name: s.name,
      kind: s.kind,
      sendingDomain: fqdn(s.domain, zone.name),
      spfDomain: fqdn(layouts[i].returnPathName ?? layouts[i].spfName ?? s.domain, zone.name),
      ...(layouts[i].spfInclude ? { spfInclude: layouts[i].spfInclude } : {}),
      dkimSelectors: [...s.dkim.map((d) => d.selector), ...layouts[i].dkimNames.slice(s.dkim.length).map((n) => n.split("._domainkey")[0])],
    })),
    sendingDomains: [...bySendingName.keys()].map((n) => fqdn(n, zone.name)),
    nonSendingDomains: nonSending,
    dmarc: { name: fqdn(dmarcName, zone.name), record: dmarcRecord, policy: email?.dmarc.policy ?? "reject", rua: email?.dmarc.rua ?? [] },
    ...(tlsReporting ? { tlsReporting } : {}),
    problems,
    notes,
  };
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
