/** Email senders, their SPF/DKIM records, locked-down names, and the DMARC ramp. */
import type { DnsRecordEntry, DomainMap, EmailSenderEntry } from "../../domain-map";
import { blocks, bullets, code, heading, lead, numbered, table } from "../markdown";
import { unquoteTxt } from "../../../policies/shared/dns-text";
import { setPathCommand } from "../../config/project";
import { senderEntry } from "../../../policies/shared/senders";

/** The DKIM record names a sender publishes: `<selector>._domainkey.<domain>`. */
export function dkimRecordNames(map: DomainMap, sender: EmailSenderEntry): string[] {
  return sender.dkimSelectors.map((sel) => {
    const found = map.records.find((r) => r.purpose === "dkim" && r.name.startsWith(`${sel}._domainkey.`));
    return found ? found.name : `${sel}._domainkey.${sender.sendingDomain}`;
  });
}

/** How a sender's mail passes SPF, from the catalogue and the records the stack declares. */
export function spfOfSender(map: DomainMap, sender: EmailSenderEntry): string {
  const entry = senderEntry(sender.kind);
  const cname = map.records.find((r) => r.name === sender.spfDomain && r.type === "CNAME");
  if (entry?.returnPath?.record === "cname" && cname)
    return `return path ${code(sender.spfDomain)} (CNAME to ${code(cname.content)}, whose SPF the provider keeps)`;
  if (sender.spfInclude) return `${code(`include:${sender.spfInclude}`)} in the SPF of ${code(sender.spfDomain)}`;
  return "no SPF record from this stack (it signs with DKIM)";
}

/** The return-path CNAME of a sender at `record`'s name, if it is one (not a verification record). */
export function returnPathSender(map: DomainMap, record: Pick<DnsRecordEntry, "name" | "type">): EmailSenderEntry | undefined {
  return record.type === "CNAME"
    ? map.email.senders.find((s) => s.spfDomain === record.name && s.spfDomain !== s.sendingDomain && senderEntry(s.kind)?.returnPath?.record === "cname")
    : undefined;
}

function sendersTable(map: DomainMap): string {
  const rows = map.email.senders.map((s) => [
    s.name,
    senderEntry(s.kind)?.name ?? s.kind,
    code(s.sendingDomain),
    spfOfSender(map, s),
    dkimRecordNames(map, s).map(code).join(", ") || "none",
  ]);
  return table(["Sender", "Provider", "Sends as", "SPF", "DKIM records"], rows);
}

/** Per sender: where to verify the domain and the setup page; how to tell it works, once. */
function perProvider(map: DomainMap): string | undefined {
  const items = map.email.senders.flatMap((s) => {
    const entry = senderEntry(s.kind);
    if (!entry) return [];
    const returnPath = entry.returnPath && s.spfDomain !== s.sendingDomain ? ` and the return path ${code(s.spfDomain)}` : "";
    return [
      `**${s.name}**: verify the domain${returnPath} in ${entry.dashboard} (the values came from there: ${entry.copy}). Setup page: ${entry.setupPage.url}.`,
    ];
  });
  if (!items.length) return undefined;
  return blocks(
    bullets([
      ...items,
      `How to tell it works: ${code("npm run verify")} shows each sender's SPF and DKIM rows as pass; a test message to a Gmail address, opened with "Show original", reads ${code("dkim=pass")} with your domain and ${code("dmarc=pass")}.`,
    ]),
  );
}

/** Where the zone's mail is delivered: every MX the stack declares, except a null MX. */
function inbound(map: DomainMap): string | undefined {
  const mx = map.records.filter((r) => r.type === "MX" && r.content !== ".");
  if (!mx.length) return undefined;
  return `Mail is delivered to: ${mx.map((r) => `${code(r.name)} at ${code(r.content)}${r.priority !== undefined ? ` (priority ${r.priority})` : ""}`).join("; ")}.`;
}

/** What each locked name publishes, read from its records: DMARC reject always, `v=spf1 -all` and a null MX where declared. */
export function lockedNames(map: DomainMap): string | undefined {
  const names = map.email.nonSendingDomains;
  if (!names.length) return undefined;
  const withRecord = (pred: (r: DnsRecordEntry, name: string) => boolean) => names.filter((n) => map.records.some((r) => pred(r, n)));
  const spf = withRecord((r, n) => r.name === n && r.type === "TXT" && /^v=spf1\s+-all$/i.test(unquoteTxt(r.content).trim()));
  const nullMx = withRecord((r, n) => r.name === n && r.type === "MX" && r.content === ".");
  const dmarc = withRecord((r, n) => r.name === `_dmarc.${n}` && r.type === "TXT");
  const parts = [
    dmarc.length ? `DMARC ${code("p=reject")} at ${dmarc.length === names.length ? "each" : dmarc.map(code).join(", ")}` : undefined,
    spf.length ? `${code("v=spf1 -all")} at ${spf.map(code).join(", ")}` : undefined,
    nullMx.length ? `a null MX (no mail accepted) at ${nullMx.map(code).join(", ")}` : undefined,
  ].filter(Boolean);
  return `These names send no mail, so receivers refuse mail claiming to come from them: ${names.map(code).join(", ")}. The stack publishes ${parts.join("; ") || "nothing for them"}.`;
}

/** TLS reporting where the zone receives mail, and what MTA-STS would take. */
function mailTls(map: DomainMap): string | undefined {
  const tls = map.email.tlsReporting;
  if (!tls) return undefined;
  return (
    `**Mail delivery over TLS**: servers that send you mail report failed TLS connections to ${tls.rua.map(code).join(", ")} (TLS-RPT at ${tls.names.map(code).join(", ")}); a report with failures means mail to you could have been read or altered on the way. ` +
    "MTA-STS (telling senders to refuse unencrypted delivery) is not declared: it needs a policy file at `https://mta-sts.<your domain>/.well-known/mta-sts.txt`, a host this stack does not serve. " +
    "To add it: serve that file (a small static site or a Cloudflare Worker on `mta-sts`), publish `_mta-sts` TXT `v=STSv1; id=<date>`, start with `mode: testing`, and move to `enforce` once the TLS reports are clean."
  );
}

/** `project`: the config namespace (Pulumi.yaml `name`), for the DMARC commands. */
export function emailSection(map: DomainMap, project: string): string {
  const none = map.zone.managesZoneSettings
    ? "No email sender is configured. Add one to the stack config before sending any email (sign-up confirmations, password resets)."
    : `This stack declares no sender of its own. The mail of ${code(map.zone.name)} (its MX, SPF and DKIM) belongs to the stack that owns the zone: see its handover.`;
  const senders = map.email.senders.length === 0 ? none : blocks(sendersTable(map), perProvider(map));
  const addSender = `To add or remove a sender, edit ${code("email.senders")} in ${code(`Pulumi.${map.stack}.yaml`)}, then preview and ${code("pulumi up")}: the stack rebuilds the SPF record and counts its DNS lookups (at most 10).`;
  return blocks(heading(2, "Email"), senders, [inbound(map), lockedNames(map), addSender].filter(Boolean).join(" "), mailTls(map), dmarcSection(map, project));
}

/** The record with its `p=` tag set to `policy`; other tags unchanged. */
export function withDmarcPolicy(record: string, policy: "none" | "quarantine" | "reject"): string {
  const parts = unquoteTxt(record)
    .split(";")
    .map((p) => p.trim())
    .filter(Boolean);
  return parts.map((p) => (/^p\s*=/i.test(p) ? `p=${policy}` : p)).join("; ");
}

function reportAddresses(map: DomainMap): string {
  const rua = map.email.dmarc.rua.map((u) => u.replace(/^mailto:/i, ""));
  return rua.length ? rua.map(code).join(", ") : "nobody (no `rua=` address: add one before tightening the policy)";
}

function dmarcSection(map: DomainMap, project: string): string {
  const { dmarc } = map.email;
  const facts = `**DMARC**: ${code(dmarc.name)} TXT ${code(unquoteTxt(dmarc.record))}: policy ${code(`p=${dmarc.policy}`)}, daily reports to ${reportAddresses(map)}.`;
  return blocks(facts, dmarcRamp(map, project));
}

function dmarcRamp(map: DomainMap, project: string): string {
  const { dmarc } = map.email;
  if (dmarc.policy === "reject") {
    return "The policy is already `reject`, the strongest: mail that fails SPF and DKIM alignment is refused. Keep reading the reports after adding any new sender.";
  }
  const set = (policy: string) => code(setPathCommand(project, "email.dmarc.policy", policy, map.stack));
  const apply = `then preview and ${code("pulumi up")} (the setting is saved in the stack file: commit it)`;
  const steps = [
    "Read the daily aggregate reports for 2 to 4 weeks (a free DMARC report viewer makes the XML readable): each service that sends as your domain must pass SPF or DKIM with it; add any missing one as a sender.",
    dmarc.policy === "none"
      ? `Move to quarantine: ${set("quarantine")}, ${apply}. The record becomes ${code(withDmarcPolicy(dmarc.record, "quarantine"))}.`
      : "The policy is quarantine now: failing mail goes to spam.",
    `After 2 more weeks of clean reports (and no support email about lost messages), move to reject: ${set("reject")}, ${apply}; the record becomes ${code(withDmarcPolicy(dmarc.record, "reject"))}. If real mail starts failing, set the previous policy back; DMARC changes reach receivers within the record's TTL.`,
  ];
  return blocks(
    lead(
      "Tightening it: DMARC tells receivers what to do with mail that claims to be from you but is not (`none` only reports, `quarantine` sends it to spam, `reject` refuses it).",
      numbered(steps),
    ),
  );
}
