/** Email senders, their SPF/DKIM records, locked-down names, and the DMARC ramp. */
import type { DomainMap, EmailSenderEntry } from "../../domain-map";
import { blocks, bullets, code, heading, numbered, shell, table } from "../markdown";
import { unquoteTxt } from "../../../policies/shared/dns-text";
import { setPathCommand } from "../../config/project";
import { displayContent } from "./domains";
import { senderEntry } from "../../../policies/shared/senders";

/** The DKIM record names a sender publishes: `<selector>._domainkey.<domain>`. */
export function dkimRecordNames(map: DomainMap, sender: EmailSenderEntry): string[] {
  return sender.dkimSelectors.map((sel) => {
    const found = map.records.find((r) => r.purpose === "dkim" && r.name.startsWith(`${sel}._domainkey.`));
    return found ? found.name : `${sel}._domainkey.${sender.sendingDomain}`;
  });
}

function spfRecordOf(map: DomainMap, name: string): string | undefined {
  const record = map.records.find((r) => r.name === name && r.type === "TXT" && r.purpose === "spf");
  return record && displayContent(record);
}

function sendersTable(map: DomainMap): string {
  const rows = map.email.senders.map((s) => [
    s.name,
    s.kind,
    code(s.sendingDomain),
    code(s.spfDomain ?? s.sendingDomain),
    s.spfInclude ? code(`include:${s.spfInclude}`) : "none",
    dkimRecordNames(map, s).map(code).join(", ") || "none",
  ]);
  return table(["Sender", "Kind", "Sends as", "SPF on", "SPF entry", "DKIM records"], rows);
}

function spfTable(map: DomainMap): string {
  const rows = map.email.sendingDomains.map((d) => [code(d), code(spfRecordOf(map, d) ?? "(not found in the stack)")]);
  return table(["Sending name", "SPF record (TXT)"], rows);
}

/** The records the stack publishes for one sender: at its DKIM names and its SPF / return-path name. */
function publishedFor(map: DomainMap, sender: EmailSenderEntry): string[] {
  const dkim = new Set(dkimRecordNames(map, sender));
  const spfName = sender.spfDomain ?? sender.sendingDomain;
  return map.records
    .filter((r) => dkim.has(r.name) || (r.name === spfName && ["spf", "mx", "verification"].includes(r.purpose)))
    .map((r) => `${code(r.name)} ${r.type} ${code(displayContent(r))}`);
}

/** Per sender, from the mail sender catalogue: what the stack published, what is left in the provider's dashboard, how to tell it works. */
function perProvider(map: DomainMap): string | undefined {
  const items = map.email.senders.flatMap((s) => {
    const entry = senderEntry(s.kind);
    if (!entry) return [];
    const returnPath = entry.returnPath && s.spfDomain && s.spfDomain !== s.sendingDomain ? ` and the custom return path ${code(s.spfDomain)}` : "";
    return [
      blocks(
        `**${s.name}** (${entry.name})`,
        bullets([
          `Published: ${publishedFor(map, s).join("; ") || "nothing (check the sender's config)"}.`,
          `Still to do in ${entry.dashboard}: verify the domain${returnPath}; the values came from there (${entry.copy}). Setup page: ${entry.setupPage.url}.`,
          `How to tell it works: ${code("npm run verify")} shows the sender's SPF and DKIM rows as pass; send a test message to a Gmail address and open "Show original": ` +
            `${code("Authentication-Results")} should read ${code(`dkim=pass header.d=${s.sendingDomain}`)} and ${code("dmarc=pass")}.`,
        ]),
      ),
    ];
  });
  return items.length ? blocks(heading(3, "Each sender, step by step"), ...items) : undefined;
}

/** `project`: the config namespace (Pulumi.yaml `name`), for the DMARC commands. */
export function emailSection(map: DomainMap, project: string): string {
  const senders =
    map.email.senders.length === 0
      ? "No email sender is configured: the stack publishes records saying this domain sends no mail, so nobody can send mail as it. Add a sender to the stack config before sending any email (sign-up confirmations, password resets)."
      : blocks(sendersTable(map), map.email.sendingDomains.length ? spfTable(map) : undefined, perProvider(map));
  const locked = map.email.nonSendingDomains.length
    ? `These names send no mail and say so (${code("v=spf1 -all")}, DMARC reject), so nobody can spoof them: ${map.email.nonSendingDomains.map(code).join(", ")}.`
    : undefined;
  const addSender = `To add or remove a sender, edit ${code("email.senders")} in ${code(`Pulumi.${map.stack}.yaml`)}, then run the preview and ${code("pulumi up")} (see "Deploy, redeploy and roll back"). The stack rebuilds the SPF record and counts its DNS lookups (at most 10).`;
  return blocks(heading(2, "Email"), senders, locked, addSender, dmarcSection(map, project));
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
  const facts = table(
    ["DMARC", "Now"],
    [
      ["Record", `${code(dmarc.name)} TXT ${code(unquoteTxt(dmarc.record))}`],
      ["Policy now", code(`p=${dmarc.policy}`)],
      ["Daily reports go to", reportAddresses(map)],
    ],
  );
  return blocks(heading(3, "DMARC"), facts, dmarcRamp(map, project));
}

function dmarcRamp(map: DomainMap, project: string): string {
  const { dmarc } = map.email;
  if (dmarc.policy === "reject") {
    return "The policy is already `reject`, the strongest: mail that fails SPF and DKIM alignment is refused. Keep reading the reports after adding any new sender.";
  }
  const steps = [
    "Read the daily aggregate reports for 2 to 4 weeks (a free DMARC report viewer makes the XML readable). List every service that sends as your domain.",
    "Make sure each legitimate service passes SPF or DKIM with your domain; add any missing one as a sender in the stack config.",
    dmarc.policy === "none"
      ? `Move to quarantine with the commands below. The record becomes ${code(withDmarcPolicy(dmarc.record, "quarantine"))}.`
      : "The policy is quarantine now: failing mail goes to spam.",
    "Watch the reports (and support email about lost messages) for 2 more weeks.",
    `Move to reject: run the same commands with ${code("reject")} in place of ${code("quarantine")}. The record becomes ${code(withDmarcPolicy(dmarc.record, "reject"))}.`,
  ];
  return blocks(
    heading(3, `Tightening DMARC (now p=${dmarc.policy})`),
    "DMARC tells receivers what to do with mail that claims to be from you but is not: `none` only reports, `quarantine` sends it to spam, `reject` refuses it.",
    numbered(steps),
    "Each step is one setting (it is saved in the stack file; commit it):",
    shell([
      setPathCommand(project, "email.dmarc.policy", dmarc.policy === "none" ? "quarantine" : "reject", map.stack),
      `pulumi preview --stack ${map.stack} --policy-pack policies`,
      `pulumi up --stack ${map.stack}`,
    ]),
    bullets(["If real mail starts failing, set the previous policy back with the same commands; DMARC changes reach receivers within the record's TTL."]),
  );
}
