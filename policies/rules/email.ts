/**
 * Email authentication: SPF and DMARC records (syntax, safety, uniqueness, presence).
 * The parsing is the shared logic in lib/email.
 */
import { KNOWN_INCLUDE_LOOKUPS, SPF_MAX_LOOKUPS, checkSpf, isSpfRecord, parseSpf } from "../shared/spf";
import { providersOfInclude, senderEntry } from "../shared/senders";
import { isDmarcRecord, parseDmarc } from "../shared/dmarc";
import { LaunchPolicy, StackRes, StackValidationArgs, T, policySettings, setting, forType, stackResources, str } from "./util";
import { RELATIVE_ZONE, apexOf, normHost, recordNamer, shown, txtText } from "./hosts";

function isTxt(props: Record<string, any>): boolean {
  return str(props.type)?.toUpperCase() === "TXT";
}

export const spfValid: LaunchPolicy = {
  name: "spf-record-valid",
  severity: "high",
  remediationSteps:
    'Publish one v=spf1 record per name with only the senders you use, ending in "~all" or "-all", within 10 DNS lookups: drop senders you no longer use, ' +
    "or move a sender to its own subdomain (Launch Ready config email.senders and email.spfAll build it for you).",
  url: "https://www.rfc-editor.org/rfc/rfc7208",
  description:
    `SPF records must be valid and safe: correct syntax, "all" last and never "+all" or "?all", and at most ${SPF_MAX_LOOKUPS} DNS-querying terms ` +
    "(include, a, mx, ptr, exists, redirect) counted across nested includes where known; receivers treat a broken or over-long record as permerror and " +
    "mail fails SPF.",
  enforcementLevel: "mandatory",
  validateResource: forType(T.dnsRecord, (props, args, report) => {
    const text = isTxt(props) ? txtText(props.content) : undefined;
    if (text === undefined || !isSpfRecord(text)) args.notApplicable("not an SPF TXT record");
    const { errors } = checkSpf(text!);
    const name = str(props.name) ?? args.name;
    for (const e of errors) report(`SPF record at ${name}: ${e}.`);
  }),
};

const DMARC_SETTINGS = policySettings({ requireRua: setting.boolean(true), apexDomains: setting.strings() });

export const dmarcValid: LaunchPolicy = {
  name: "dmarc-record-valid",
  severity: "high",
  remediationSteps:
    'Publish "v=DMARC1; p=none; rua=mailto:<reports address>" (e.g. dmarc@<domain>) at _dmarc.<domain> (Launch Ready config email.dmarc), ' +
    "then tighten p to quarantine or reject once the reports are clean.",
  url: "https://www.rfc-editor.org/rfc/rfc7489#section-6.3",
  description:
    'DMARC records must be valid: published at _dmarc.<domain>, "v=DMARC1" first, a "p=" policy (none, quarantine or reject) second, and aggregate ' +
    'reports ("rua=mailto:...") so you can see who sends as your domain before tightening the policy.',
  enforcementLevel: "mandatory",
  configSchema: DMARC_SETTINGS.schema,
  validateResource: forType(T.dnsRecord, (props, args, report) => {
    const text = isTxt(props) ? txtText(props.content) : undefined;
    const name = str(props.name) ?? "";
    const atDmarcName = /^_dmarc(\.|$)/i.test(normHost(name));
    if (text === undefined || (!atDmarcName && !isDmarcRecord(text))) args.notApplicable("not a DMARC TXT record");
    const cfg = DMARC_SETTINGS.read(args);
    if (!atDmarcName) {
      report(`DMARC record published at ${name}: receivers only look it up at _dmarc.${normHost(name)}.`);
    }
    const d = parseDmarc(text!);
    for (const e of d.errors) report(`DMARC record at ${name}: ${e}.`);
    // Reports are the bar where DMARC governs mail: the apex (organizational domain) and any monitor-only (p=none) record.
    // A no-mail lock-down on a subdomain (p=reject, no rua) needs none.
    const domain = normHost(name).replace(/^_dmarc\./, "");
    // A zone apex has at least two labels, so "_dmarc.app" can only be relative to the zone: a subdomain's record
    // ("_dmarc" alone is the apex's). This resource's zone name is not in view; apexDomains names it where it matters.
    const apexes = cfg.apexDomains.map(normHost);
    const atApex =
      atDmarcName &&
      (domain === "_dmarc" || domain === RELATIVE_ZONE || apexes.includes(domain) || (domain.includes(".") && domain === apexOf(domain, apexes)));
    if (cfg.requireRua && d.errors.length === 0 && d.rua.length === 0 && (atApex || d.policy === "none")) {
      report(`DMARC record at ${name} has no rua= reporting address: add rua=mailto:dmarc@${atApex ? domain : "<your domain>"} to receive aggregate reports.`);
    }
  }),
};

export const dmarcEnforcing: LaunchPolicy = {
  name: "dmarc-enforcing-policy",
  severity: "medium",
  remediationSteps:
    "After a few weeks of clean aggregate reports, set Launch Ready config email.dmarc.policy to quarantine, then reject; make this policy mandatory once the domain is warmed up.",
  url: "https://www.rfc-editor.org/rfc/rfc7489#section-6.3",
  description:
    'DMARC should enforce (p=quarantine or p=reject, pct=100): "p=none" only monitors, so spoofed mail is still delivered. p=none with rua reporting ' +
    "is fine at launch; read the aggregate reports, fix legitimate senders, then tighten. Set this policy to mandatory once the domain is warmed up.",
  enforcementLevel: "advisory",
  validateResource: forType(T.dnsRecord, (props, args, report) => {
    const text = isTxt(props) ? txtText(props.content) : undefined;
    if (text === undefined || !isDmarcRecord(text)) args.notApplicable("not a DMARC TXT record");
    const d = parseDmarc(text!);
    const name = str(props.name) ?? args.name;
    if (d.policy === "none") report(`DMARC at ${name} is p=none (monitoring only): move to p=quarantine, then p=reject, once reports are clean.`);
    if (d.subdomainPolicy === "none" && d.policy !== "none") report(`DMARC at ${name} has sp=none: subdomains can still be spoofed.`);
    if (d.pct !== undefined && d.pct < 100) report(`DMARC at ${name} applies to pct=${d.pct}% of mail only: raise it to 100.`);
  }),
};

interface Txt {
  r: StackRes;
  name: string;
  text: string;
}

/** The stack's DNS records that have a name (recordNamer resolves zone-relative ones), with their type upper-cased. */
function namedRecords(args: StackValidationArgs): Array<{ r: StackRes; name: string; type: string | undefined }> {
  const resources = stackResources(args);
  const nameOf = recordNamer(resources);
  return resources
    .filter((r) => r.type === T.dnsRecord)
    .map((r) => ({ r, name: nameOf(r), type: str(r.props.type)?.toUpperCase() }))
    .filter((x) => x.name !== "");
}

function txtRecords(args: StackValidationArgs): Txt[] {
  return namedRecords(args)
    .filter((x) => x.type === "TXT")
    .map(({ r, name }) => ({ r, name, text: txtText(r.props.content) ?? "" }));
}

export const spfOnePerName: LaunchPolicy = {
  name: "spf-one-record-per-name",
  severity: "high",
  remediationSteps:
    "Merge the SPF records of the name into one v=spf1 record listing every sender's include (one v=spf1 ... ~all with all the includes), and delete the others.",
  url: "https://www.rfc-editor.org/rfc/rfc7208#section-3.2",
  description: "Each name may have exactly one SPF record: with two, receivers return permerror (RFC 7208 3.2) and every message fails SPF.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const spf = txtRecords(args).filter((t) => isSpfRecord(t.text));
    if (spf.length === 0) args.notApplicable("no SPF records");
    const byName = new Map<string, Txt[]>();
    for (const t of spf) byName.set(t.name, [...(byName.get(t.name) ?? []), t]);
    for (const [name, list] of byName) {
      if (list.length > 1) {
        report(`${shown(name)} has ${list.length} SPF records (${list.map((t) => t.r.name).join(", ")}): merge them into one.`, list[1].r.urn);
      }
    }
  },
};

const APEX_SETTINGS = policySettings({ apexDomains: setting.strings() });

export const dmarcAtApex: LaunchPolicy = {
  name: "dmarc-at-apex",
  severity: "high",
  remediationSteps:
    'Add a TXT record at _dmarc.<apex> with at least p=none and rua reporting ("v=DMARC1; p=none; rua=mailto:...") (Launch Ready config email.dmarc.rua ' +
    "in the stack that owns the zone); set this policy's apexDomains when the zone is not a registrable domain.",
  url: "https://developers.cloudflare.com/dmarc-management/",
  description:
    "The zone apex must publish DMARC at _dmarc.<apex>: it is the policy receivers apply to the apex and (through sp=) to every subdomain without its own. " +
    "Without it anyone can send mail as your domain and you get no reports. Applies to each apex for which the stack declares apex-level records " +
    "(apexDomains names them when the zone is not a registrable domain); an apex managed by another stack " +
    "(e.g. a staging stack under the production zone) is noted by shared-zone-ownership instead.",
  enforcementLevel: "mandatory",
  configSchema: APEX_SETTINGS.schema,
  validateStack: (args, report) => {
    const cfg = APEX_SETTINGS.read(args);
    const records = namedRecords(args);
    const apexes = new Set<string>();
    for (const { name } of records) {
      const apex = apexOf(name.replace(/^_dmarc\./, ""), cfg.apexDomains);
      if (name === apex || name === `_dmarc.${apex}`) apexes.add(apex);
    }
    if (apexes.size === 0) args.notApplicable("the stack declares no apex-level records");
    for (const apex of apexes) {
      const dmarc = records.filter(
        (x) => x.name === `_dmarc.${apex}` && str(x.r.props.type)?.toUpperCase() === "TXT" && isDmarcRecord(txtText(x.r.props.content) ?? ""),
      );
      if (dmarc.length === 0) {
        const apexRecord = records.find((x) => x.name === apex);
        const domain = apex === RELATIVE_ZONE ? "<your domain>" : apex;
        report(`${shown(apex)} has no DMARC record: publish "v=DMARC1; p=none; rua=mailto:dmarc@${domain}" at _dmarc.${domain}.`, apexRecord?.r.urn);
      } else if (dmarc.length > 1) {
        report(`${shown(`_dmarc.${apex}`)} has ${dmarc.length} DMARC records: receivers ignore DMARC when there is more than one. Keep one.`, dmarc[1].r.urn);
      }
    }
  },
};

/** Re-exported for tests and docs: the includes whose nested lookup cost is known offline. */
export { KNOWN_INCLUDE_LOOKUPS };

/** A DKIM record's name: `<selector>._domainkey.<signing domain>`, the selector and the domain; undefined for any other name. */
function dkimName(name: string): { selector: string; domain: string } | undefined {
  const m = /^(.+?)\._domainkey\.(.+)$/.exec(name);
  return m ? { selector: m[1], domain: m[2] } : undefined;
}

/** The name and its parents, up to (not past) the zone apex: where a DKIM key signing for mail with this envelope name may live. */
function selfAndParents(name: string, apexes: readonly string[]): string[] {
  const apex = apexOf(name, apexes);
  const out = [name];
  for (let n = name; n !== apex && n.includes(".");) out.push((n = n.slice(n.indexOf(".") + 1)));
  return out;
}

export const dkimForSpfSenders: LaunchPolicy = {
  name: "dkim-for-spf-senders",
  severity: "high",
  remediationSteps:
    "Publish the DKIM records the provider's dashboard shows for each sender the SPF names (Launch Ready config email.senders[].dkim; the error names the page), or remove the SPF include of a provider you do not use.",
  url: "https://www.rfc-editor.org/rfc/rfc7489#section-3.1",
  description:
    "Every catalogued sending provider an SPF record authorises (include:amazonses.com, include:_spf.google.com...) must also have a DKIM record (<selector>._domainkey) " +
    "at the SPF's name or a parent of it, with the provider's own selector where it has fixed ones: SPF alone rarely aligns (the envelope is the provider's) and breaks on " +
    "forwarding, so without DKIM the provider's mail fails DMARC, and once DMARC enforces (quarantine, reject) sign-up and password-reset mail is refused. " +
    "The providers, includes and selectors come from the pack's mail sender catalogue (shared/mail-senders.json).",
  enforcementLevel: "mandatory",
  configSchema: APEX_SETTINGS.schema,
  validateStack: (args, report) => {
    const cfg = APEX_SETTINGS.read(args);
    const dkim = namedRecords(args)
      .filter((x) => x.type === "TXT" || x.type === "CNAME")
      .flatMap((x) => dkimName(x.name) ?? []);
    const authorised = txtRecords(args)
      .filter((t) => isSpfRecord(t.text))
      .flatMap((t) => parseSpf(t.text).includes.map((include) => ({ t, include, kinds: providersOfInclude(include) })))
      .filter((x) => x.kinds.length > 0);
    if (authorised.length === 0) args.notApplicable("no SPF record names a catalogued sending provider");
    for (const { t, include, kinds } of authorised) {
      const entries = kinds.map((k) => senderEntry(k)!);
      // Where every provider of the include has fixed selectors, one of them must be there; else any key will do.
      const fixed = entries.every((e) => e.dkim?.selectors) ? entries.flatMap((e) => e.dkim!.selectors!) : undefined;
      const domains = selfAndParents(t.name, cfg.apexDomains.map(normHost));
      const found = dkim.some((d) => domains.includes(d.domain) && (!fixed || fixed.includes(d.selector)));
      if (!found) {
        const names = entries.map((e) => e.name).join(" or ");
        const where = entries.map((e) => `${e.dashboard} (${e.setupPage.url})`).join("; or ");
        report(
          `SPF at ${shown(t.name)} authorises ${names} (include:${include}) but the stack has no DKIM record for it ` +
            `(${fixed ? fixed.map((s) => `${s}._domainkey`).join(", ") : "<selector>._domainkey"} at ${shown(domains[domains.length - 1])} or below): ` +
            `publish the keys from ${where}.`,
          t.r.urn,
        );
      }
    }
  },
};
