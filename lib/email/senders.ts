/**
 * Where one sender's records go, from the mail sender catalogue (policies/shared/mail-senders.json):
 * its SPF name and include (the apex, or the provider's return-path subdomain, or none when a
 * CNAME to the provider carries SPF), the return-path records, and the DKIM records the catalogue
 * can write itself. A value the catalogue does not hold is asked of the founder, never guessed.
 */
import type { SenderConfig, ZoneConfig } from "../config/schema";
import type { RecordSpec } from "../dns/records";
import { fqdn } from "../../policies/shared/names";
import { SenderEntry, senderEntry, sendsMail } from "../../policies/shared/senders";

export interface SenderLayout {
  /** The relative name whose SPF authorises the sender; undefined when the provider carries SPF itself or sends with its own envelope. */
  spfName?: string;
  spfInclude?: string;
  /** The relative return-path (envelope) name, when the sender has one: it sends mail, so it is never locked down. */
  returnPathName?: string;
  /** Records the catalogue places: the return path's CNAME or MX, DKIM CNAMEs with fixed targets. */
  records: RecordSpec[];
  /** The DKIM record names, relative: the founder's keys and the catalogue's. */
  dkimNames: string[];
  problems: Array<{ path: string; message: string }>;
  notes: string[];
}

export interface SenderContext {
  zone: ZoneConfig;
  /** The site's relative name: its MX is the founder's (email.mx), never a provider's bounce MX. */
  siteName: string;
  sender: SenderConfig;
  index: number;
}

/** `label` below `domain`, both relative to the zone; "@" is the domain itself. */
export function below(label: string, domain: string): string {
  if (label === "@") return domain;
  return domain === "@" ? label : `${label}.${domain}`;
}

/** Where the founder copies the values from, for messages: "Resend dashboard > Domains > <domain> (https://...)". */
export function whereToCopy(entry: SenderEntry): string {
  return `${entry.dashboard} (setup: ${entry.setupPage.url})`;
}

export function layoutSender(ctx: SenderContext): SenderLayout {
  const { sender: s, index: i } = ctx;
  const entry = senderEntry(s.kind);
  const layout: SenderLayout = { records: [], dkimNames: [], problems: [], notes: [] };
  if (!entry) return layout; // the schema refuses an unknown kind
  const problem = (key: string, message: string) => layout.problems.push({ path: `senders[${i}]${key ? `.${key}` : ""}`, message });
  const rp = entry.returnPath;
  layout.returnPathName = s.mailFrom ?? (rp?.label ? below(rp.label, s.domain) : undefined);
  if (rp && !layout.returnPathName && rp.labelFromDashboard) {
    problem("mailFrom", `sender "${s.name}" (${entry.name}) needs its return-path name: copy ${entry.copy} from ${whereToCopy(entry)}`);
  }
  placeSpf(ctx, entry, layout, problem);
  if (rp && layout.returnPathName) placeReturnPath(ctx, entry, layout, problem);
  placeDkim(ctx, entry, layout, problem);
  return layout;
}

type Problem = (key: string, message: string) => void;

function placeSpf(ctx: SenderContext, entry: SenderEntry, layout: SenderLayout, problem: Problem): void {
  const s = ctx.sender;
  const carriedByCname = entry.returnPath?.record === "cname";
  if (s.kind === "custom" || entry.spf?.at === "apex") {
    layout.spfName = s.mailFrom ?? s.domain;
  } else if (entry.spf && !carriedByCname) {
    layout.spfName = layout.returnPathName;
    if (!layout.spfName) {
      layout.notes.push(
        `${entry.name} (sender "${s.name}") sends with its own envelope domain until you set a custom MAIL FROM (email.senders[${ctx.index}].mailFrom): ` +
          "SPF passes for the provider, not for your domain, so DMARC rests on DKIM. No SPF include is published for it.",
      );
    }
  }
  if (!layout.spfName) {
    if (s.spfInclude || s.ip4.length) {
      const why = carriedByCname
        ? `its return path ${fqdn(layout.returnPathName ?? "@", ctx.zone.name)} is a CNAME to the provider, which carries SPF`
        : entry.spf
          ? "it has no return-path name yet to publish SPF on"
          : "it sends with its own envelope domain, so DMARC passes on DKIM";
      problem(
        s.spfInclude ? "spfInclude" : "ip4",
        `${entry.name} needs no SPF entry here: ${why}; remove it (an include at the apex would authorise every customer of the provider)`,
      );
    }
    return;
  }
  layout.spfInclude = s.spfInclude ?? entry.spf?.include ?? undefined;
  if (!layout.spfInclude && s.ip4.length === 0) {
    problem(
      "spfInclude",
      s.kind === "custom"
        ? `sender "${s.name}" is custom: give its SPF include (e.g. spf.provider.com) or ip4 ranges`
        : `sender "${s.name}" (${entry.name}) needs its SPF include, which the catalogue does not hold: copy it from ${whereToCopy(entry)}`,
    );
  }
}

function placeReturnPath(ctx: SenderContext, entry: SenderEntry, layout: SenderLayout, problem: Problem): void {
  const { sender: s, zone } = ctx;
  const rp = entry.returnPath!;
  const name = layout.returnPathName!;
  const configKey = `email.senders[${ctx.index}].${s.mailFrom ? "mailFrom" : "kind"}`;
  const type = rp.record === "cname" ? "CNAME" : "MX";
  // A record the founder copied from the dashboard wins over the catalogue's.
  if (s.records.some((r) => r.name === name && r.type === type)) return;
  if (rp.record === "cname") {
    const target = rp.cnameTarget ?? s.mailFromTarget;
    if (!target) {
      problem("mailFromTarget", `sender "${s.name}" (${entry.name}): copy the CNAME target of ${fqdn(name, zone.name)} from ${whereToCopy(entry)}`);
      return;
    }
    layout.records.push(record(name, zone, "CNAME", target, `${entry.name} return path (carries SPF)`, `${name} CNAME ${s.name}`, configKey));
    return;
  }
  if (name === ctx.siteName) {
    layout.notes.push(`${entry.name}'s bounce MX is not published at ${fqdn(name, zone.name)}: that name's MX is email.mx (or a null MX).`);
    return;
  }
  if (!rp.mx) {
    problem(
      "records",
      `sender "${s.name}" (${entry.name}): copy the MX record of ${fqdn(name, zone.name)} from ${whereToCopy(entry)} into records as { name: ${name}, type: MX, content, priority }`,
    );
    return;
  }
  if (rp.mx.some((m) => m.host.includes("{region}")) && !s.region) {
    problem("region", `sender "${s.name}" (${entry.name}) needs its region for the bounce MX of ${fqdn(name, zone.name)}: copy it from ${whereToCopy(entry)}`);
    return;
  }
  rp.mx.forEach((m, n) => {
    const host = m.host.replace("{region}", s.region ?? "");
    const key = `${name} MX ${s.name}${n === 0 ? "" : ` ${host}`}`;
    layout.records.push({ ...record(name, zone, "MX", host, `${entry.name} return path (bounces)`, key, configKey), priority: m.priority, purpose: "mx" });
  });
}

function placeDkim(ctx: SenderContext, entry: SenderEntry, layout: SenderLayout, problem: Problem): void {
  const { sender: s, zone } = ctx;
  const dkim = entry.dkim;
  const under = dkim?.under === "return-path" && layout.returnPathName ? layout.returnPathName : s.domain;
  const nameOf = (selector: string) => `${selector}._domainkey${under === "@" ? "" : `.${under}`}`;
  if (s.dkim.length === 0) {
    if (dkim?.cnameTargets && dkim.selectors) {
      for (const selector of dkim.selectors) {
        const target = dkim.cnameTargets[selector].replace("{domain}", fqdn(s.domain, zone.name));
        const name = nameOf(selector);
        layout.dkimNames.push(name);
        layout.records.push({
          ...record(name, zone, "CNAME", target, `DKIM for ${s.name}`, `${name} CNAME`, `email.senders[${ctx.index}].kind`),
          purpose: "dkim",
        });
      }
    } else if (sendsMail(entry)) {
      const shape = `{ selector, type${dkim?.type ? `: ${dkim.type}` : ""}, value }`;
      problem(
        "dkim",
        `sender "${s.name}" (${entry.name}) has no DKIM key, so its mail fails DKIM and, once DMARC enforces, is rejected: ` +
          `copy ${entry.copy} from ${whereToCopy(entry)} into email.senders[${ctx.index}].dkim, a list of ${shape}`,
      );
    }
    return;
  }
  s.dkim.forEach((key, j) => {
    layout.dkimNames.push(nameOf(key.selector));
    if (dkim?.type && key.type !== dkim.type)
      problem(`dkim[${j}].type`, `${entry.name}'s DKIM records are ${dkim.type} records (${dkim.source}): copy the type its dashboard shows`);
    if (dkim?.selectors && !dkim.selectors.includes(key.selector)) {
      problem(`dkim[${j}].selector`, `${entry.name}'s DKIM selectors are ${dkim.selectors.join(", ")} (${dkim.source}), not "${key.selector}"`);
    }
  });
  const given = new Set(s.dkim.map((k) => k.selector)).size; // a repeated selector has its own message
  if (dkim?.count && given !== dkim.count) {
    problem(
      "dkim",
      `${entry.name} gives ${dkim.count} DKIM record${dkim.count === 1 ? "" : "s"} (${dkim.source}), ${given} given: copy every one from ${whereToCopy(entry)}`,
    );
  }
}

function record(name: string, zone: ZoneConfig, type: "CNAME" | "MX", content: string, what: string, key: string, configKey: string): RecordSpec {
  return {
    key,
    name,
    fqdn: fqdn(name, zone.name),
    type,
    content,
    proxied: false,
    ttl: 1,
    purpose: "verification",
    comment: `launch-ready: ${what}`,
    configKey,
  };
}
