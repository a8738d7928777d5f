/**
 * Email authentication checks: SPF (one record, syntax, recursive lookup and void-lookup
 * counts), DKIM key records per selector, DMARC (valid, policy, reporting) and the
 * lock-down of names that send no mail. Parsing is lib/email's; this module queries.
 */
import { createPublicKey } from "crypto";
import type { DomainMap } from "../../lib/domain-map";
import { externalReportAuthName, isDmarcRecord, parseDmarc, reportDomains, type DmarcRecord } from "../../policies/shared/dmarc";
import { isSpfRecord, parseSpf, SPF_MAX_LOOKUPS } from "../../policies/shared/spf";
import { unquoteTxt } from "../../policies/shared/dns-text";
import { whereToCopy } from "../../lib/email/senders";
import { senderEntry } from "../../policies/shared/senders";
import type { Net } from "./net";
import { evaluateSpf, SPF_MAX_VOID_LOOKUPS } from "./spf-live";
import { makeRow, unanswered, viaPulumiUp, type Fix } from "./row";
import type { CheckResult, Status } from "./types";

// ---- SPF ------------------------------------------------------------------------------

export async function checkSpfLive(net: Net, domain: string, senders: DomainMap["email"]["senders"] = []): Promise<CheckResult[]> {
  const ev = await evaluateSpf(net, domain);
  if (ev.dnsError) {
    return [
      makeRow({
        id: "email.spf",
        check: "SPF record",
        target: domain,
        status: "fail",
        detail: `could not be evaluated: ${ev.dnsError}`,
        fix: "check the zone's nameservers answer, then re-run verify",
      }),
    ];
  }
  const out: CheckResult[] = [];
  const recordErrors = ev.parsed ? ev.parsed.errors : ev.errors;
  const record = ev.records.length === 1 ? ev.records[0] : undefined;
  if (recordErrors.length) {
    const fix = recordErrors.join("; ");
    out.push(
      makeRow({
        id: "email.spf",
        check: "SPF record",
        target: domain,
        status: "fail",
        detail: record ? `"${record}": ${fix}` : fix,
        fix,
        data: { records: ev.records },
      }),
    );
  } else {
    out.push(
      makeRow({
        id: "email.spf",
        check: "SPF record",
        target: domain,
        status: "pass",
        detail: `"${record}" (all: ${ev.parsed?.all ?? `redirect=${ev.parsed?.redirect}`})`,
        data: {
          records: ev.records,
        },
      }),
    );
  }
  if (!ev.parsed) return out;

  const treeErrors = ev.errors.filter((e) => !recordErrors.includes(e));
  const shown = ev.tree.map((l) => l.trim());
  const tree = shown.length ? `; ${shown.slice(0, 8).join(", ")}${shown.length > 8 ? `, ... (${shown.length - 8} more)` : ""}` : "";
  const summary = `${ev.lookups}/${SPF_MAX_LOOKUPS} DNS lookups, ${ev.voidLookups}/${SPF_MAX_VOID_LOOKUPS} void lookups${tree}`;
  const data = { lookups: ev.lookups, voidLookups: ev.voidLookups, voids: ev.voids, tree: ev.tree };
  if (treeErrors.length) {
    out.push(
      makeRow({
        id: "email.spf.lookups",
        check: "SPF evaluation",
        target: domain,
        status: "fail",
        detail: `${summary}. ${treeErrors.join("; ")}`,
        fix: treeErrors.join("; "),
        data,
      }),
    );
  } else if (ev.warnings.length) {
    out.push(
      makeRow({
        id: "email.spf.lookups",
        check: "SPF evaluation",
        target: domain,
        status: "warn",
        detail: `${summary}. ${ev.warnings.join("; ")}`,
        fix: ev.warnings.join("; "),
        data,
      }),
    );
  } else {
    out.push(makeRow({ id: "email.spf.lookups", check: "SPF evaluation", target: domain, status: "pass", detail: summary, data }));
  }
  for (const s of senders.filter((x) => x.spfInclude && (x.spfDomain ?? x.sendingDomain).toLowerCase() === domain.toLowerCase())) {
    const inc = s.spfInclude!.toLowerCase();
    out.push(
      ev.reached.includes(inc)
        ? makeRow({ id: "email.spf.sender", check: "SPF authorises sender", target: domain, status: "pass", detail: `${s.name} (include:${inc})` })
        : makeRow({
            id: "email.spf.sender",
            check: "SPF authorises sender",
            target: domain,
            status: "fail",
            detail: `${s.name}'s include:${inc} is not in the live SPF record, so its mail fails SPF`,
            fix: viaPulumiUp(`add include:${inc} to the SPF record at ${domain}`),
          }),
    );
  }
  return out;
}

// ---- DKIM -----------------------------------------------------------------------------

/** DKIM key record tags (RFC 6376 3.6.1): "tag=value" separated by ";". */
export function parseDkimTags(txt: string): { tags: Record<string, string>; errors: string[] } {
  const tags: Record<string, string> = {};
  const errors: string[] = [];
  const parts = unquoteTxt(txt)
    .split(";")
    .map((p) => p.trim())
    .filter(Boolean);
  parts.forEach((part, i) => {
    const m = /^([a-z][a-z0-9_]*)\s*=\s*([\s\S]*)$/i.exec(part);
    if (!m) return void errors.push(`"${part}" is not a tag=value pair`);
    const key = m[1].toLowerCase();
    if (key in tags) errors.push(`tag "${key}" appears twice`);
    if (key === "v" && i !== 0) errors.push('"v=DKIM1" must be the first tag');
    tags[key] = m[2].replace(/\s+/g, "");
  });
  return { tags, errors };
}

/** `sender`: the stack's sender; its catalogue kind makes the fix name the provider's dashboard page. */
export async function checkDkim(net: Net, selector: string, domain: string, sender?: { name: string; kind?: string }): Promise<CheckResult> {
  const name = `${selector}._domainkey.${domain}`;
  const check = "DKIM key";
  const who = sender ? ` (${sender.name})` : "";
  const entry = sender?.kind ? senderEntry(sender.kind) : undefined;
  const txt = await net.txt(name);
  if (txt.status === "error") return unanswered({ id: "email.dkim", check, target: name }, txt.error);
  const records = txt.status === "ok" ? txt.records.filter((r) => /(^|;)\s*(v\s*=\s*DKIM1|p\s*=)/i.test(unquoteTxt(r))) : [];
  const publish = entry
    ? viaPulumiUp(`publish the DKIM record ${entry.name} gives for selector "${selector}" (${whereToCopy(entry)}) at ${name}`)
    : viaPulumiUp(`publish the DKIM record your sender${who} gives for selector "${selector}" at ${name}`);
  if (records.length === 0)
    return makeRow({
      id: "email.dkim",
      check,
      target: name,
      status: "fail",
      detail: `no DKIM key record${who}${txt.status === "nxdomain" ? " (NXDOMAIN)" : ""}: receivers cannot verify signatures`,
      fix: publish,
    });
  if (records.length > 1)
    return makeRow({
      id: "email.dkim",
      check,
      target: name,
      status: "fail",
      detail: `${records.length} DKIM records${who}: receivers may pick either`,
      fix: `keep exactly one record at ${name}`,
    });
  const { tags, errors } = parseDkimTags(records[0]);
  if (tags.v !== undefined && tags.v !== "DKIM1") errors.push(`"v=${tags.v}" must be "v=DKIM1"`);
  const k = (tags.k ?? "rsa").toLowerCase();
  if (k !== "rsa" && k !== "ed25519") errors.push(`"k=${tags.k}" must be rsa or ed25519`);
  if (tags.p === undefined) errors.push('the "p=" public key tag is missing');
  if (errors.length)
    return makeRow({ id: "email.dkim", check, target: name, status: "fail", detail: `invalid DKIM record${who}: ${errors.join("; ")}`, fix: publish });
  if (tags.p === "")
    return makeRow({
      id: "email.dkim",
      check,
      target: name,
      status: "fail",
      detail: `the key is revoked (empty "p=")${who}: mail signed with this selector fails DKIM`,
      fix: publish,
    });
  const key = Buffer.from(tags.p!, "base64");
  if (k === "ed25519") {
    return key.length === 32
      ? makeRow({ id: "email.dkim", check, target: name, status: "pass", detail: `ed25519 key${who}` })
      : makeRow({ id: "email.dkim", check, target: name, status: "fail", detail: `"p=" is not a 32-byte ed25519 key${who}`, fix: publish });
  }
  let bits: number | undefined;
  try {
    bits = createPublicKey({ key, format: "der", type: "spki" }).asymmetricKeyDetails?.modulusLength;
  } catch (err) {
    return makeRow({
      id: "email.dkim",
      check,
      target: name,
      status: "fail",
      detail: `"p=" is not a valid RSA public key${who} (${(err as Error).message.split("\n")[0]}): the record was probably truncated or mis-pasted`,
      fix: publish,
    });
  }
  if (bits !== undefined && bits < 1024) {
    return makeRow({
      id: "email.dkim",
      check,
      target: name,
      status: "fail",
      detail: `RSA key is only ${bits} bits${who}: receivers ignore it`,
      fix: `rotate to a 2048-bit key in your sender${who} and publish the new record`,
      data: { bits },
    });
  }
  if (bits !== undefined && bits < 2048) {
    return makeRow({
      id: "email.dkim",
      check,
      target: name,
      status: "warn",
      detail: `RSA key is ${bits} bits${who}`,
      fix: `rotate to a 2048-bit key when your sender${who} allows it`,
      data: { bits },
    });
  }
  return makeRow({ id: "email.dkim", check, target: name, status: "pass", detail: `RSA ${bits ?? "?"}-bit key${who}`, data: { bits } });
}

// ---- DMARC ----------------------------------------------------------------------------

async function fetchDmarc(net: Net, name: string): Promise<{ records: string[]; error?: string }> {
  const txt = await net.txt(name);
  if (txt.status === "error") return { records: [], error: txt.error };
  return { records: txt.status === "ok" ? txt.records.filter(isDmarcRecord) : [] };
}

export async function checkDmarc(net: Net, name: string, planned?: { policy?: string }): Promise<CheckResult[]> {
  const { records, error } = await fetchDmarc(net, name);
  const domain = name.replace(/^_dmarc\./i, "");
  const row = (status: Status, detail: string, fix?: Fix, data?: Record<string, unknown>) =>
    makeRow({ id: "email.dmarc", check: "DMARC record", target: name, status, detail, fix, data });
  if (error) return [unanswered({ id: "email.dmarc", check: "DMARC record", target: name }, error)];
  if (records.length === 0) {
    return [
      row(
        "fail",
        "no DMARC record: anyone can spoof this domain and you get no reports",
        viaPulumiUp(`publish TXT ${name} "v=DMARC1; p=quarantine; rua=mailto:dmarc@${domain}"`),
      ),
    ];
  }
  if (records.length > 1) return [row("fail", `${records.length} DMARC records: receivers ignore DMARC entirely`, `keep exactly one record at ${name}`)];
  const d = parseDmarc(records[0]);
  const data = { policy: d.policy, subdomainPolicy: d.subdomainPolicy, pct: d.pct ?? 100, rua: d.rua, ruf: d.ruf };
  if (d.errors.length) return [row("fail", `"${unquoteTxt(records[0])}": ${d.errors.join("; ")}`, d.errors.join("; "), data)];
  return [dmarcPolicyRow(d, domain, planned, (status, detail, fix) => row(status, detail, fix, data)), ...(await externalReportRows(net, domain, d.rua))];
}

/** The record's policy against the plan and the bar: drift, monitoring only, a partial pct, no reports, or a pass. */
function dmarcPolicyRow(
  d: DmarcRecord,
  domain: string,
  planned: { policy?: string } | undefined,
  row: (status: Status, detail: string, fix?: Fix) => CheckResult,
): CheckResult {
  const pol = `p=${d.policy}${d.subdomainPolicy ? ` sp=${d.subdomainPolicy}` : ""}${d.pct !== undefined ? ` pct=${d.pct}` : ""}; reports to ${d.rua.length ? d.rua.join(", ") : "nobody"}`;
  if (planned?.policy && planned.policy !== d.policy)
    return row("fail", `drift: live p=${d.policy} but the plan says p=${planned.policy} (${pol})`, "run `pulumi up` to publish the planned DMARC record");
  if (d.policy === "none")
    return row(
      "warn",
      `${pol}: p=none only monitors, spoofed mail is still delivered`,
      "once reports show your senders pass, move to p=quarantine, then p=reject",
    );
  if (d.pct !== undefined && d.pct < 100)
    return row("warn", `${pol}: the policy applies to ${d.pct}% of failing mail only`, "raise pct to 100 (or drop the tag)");
  if (!d.rua.length) return row("warn", `${pol}: no aggregate reports, so you will not see who sends as you`, `add rua=mailto:dmarc@${domain}`);
  return row("pass", pol);
}

/** Report addresses at another domain need that domain's consent (RFC 7489 7.1). */
async function externalReportRows(net: Net, domain: string, rua: readonly string[]): Promise<CheckResult[]> {
  const org = domain.toLowerCase();
  const out: CheckResult[] = [];
  for (const rd of [...new Set(reportDomains(rua))].filter((x) => x !== org && !x.endsWith(`.${org}`))) {
    const auth = externalReportAuthName(org, rd);
    const t = await net.txt(auth);
    const ok = t.status === "ok" && t.records.some(isDmarcRecord);
    out.push(
      ok
        ? makeRow({ id: "email.dmarc.reports", check: "DMARC external reports", target: auth, status: "pass", detail: `${rd} accepts reports for ${org}` })
        : makeRow({
            id: "email.dmarc.reports",
            check: "DMARC external reports",
            target: auth,
            status: "warn",
            detail: `${rd} has not authorised reports for ${org}: receivers drop the reports${t.status === "error" ? ` (${t.error})` : ""}`,
            fix: `have ${rd} publish TXT ${auth} "v=DMARC1" (report services such as dmarcian/Postmark do this for you once the domain is added)`,
          }),
    );
  }
  return out;
}

// ---- names that send no mail ------------------------------------------------------------

/**
 * A name that sends no mail is locked down when its SPF is exactly "v=spf1 -all" and a
 * DMARC policy of reject covers it (its own record, or the organisational domain's
 * sp=, or p= when there is no sp=). A real MX is reported, not failed.
 */
export async function checkNoMail(net: Net, name: string, orgDomain: string): Promise<CheckResult> {
  const check = "No-mail lock-down";
  const problems: string[] = [];
  const fixes: string[] = [];
  const found: string[] = [];
  const txt = await net.txt(name);
  if (txt.status === "error") return unanswered({ id: "email.nomail", check, target: name }, txt.error);
  const spfs = txt.status === "ok" ? txt.records.filter(isSpfRecord) : [];
  const spf = spfs.length === 1 ? parseSpf(spfs[0]) : undefined;
  const locked = spf && spf.errors.length === 0 && spf.all === "-" && spf.terms.every((t) => t.kind === "mechanism" && t.name === "all");
  if (locked) found.push('SPF "v=spf1 -all"');
  else {
    problems.push(
      spfs.length === 0
        ? "no SPF record, so anyone may send as it"
        : spfs.length > 1
          ? `${spfs.length} SPF records`
          : `SPF "${unquoteTxt(spfs[0])}" authorises senders`,
    );
    fixes.push(`publish TXT ${name} "v=spf1 -all" as its only SPF record`);
  }

  const own = await fetchDmarc(net, `_dmarc.${name}`);
  let dmarc: { record?: DmarcRecord; where: string } = { where: `_dmarc.${name}` };
  if (own.records.length === 1) dmarc.record = parseDmarc(own.records[0]);
  else if (own.records.length === 0 && !own.error && name.toLowerCase() !== orgDomain.toLowerCase()) {
    const org = await fetchDmarc(net, `_dmarc.${orgDomain}`);
    if (org.records.length === 1) dmarc = { record: parseDmarc(org.records[0]), where: `_dmarc.${orgDomain} (inherited)` };
  }
  const rec = dmarc.record;
  const effective = rec && !rec.errors.length ? (dmarc.where.includes("inherited") ? (rec.subdomainPolicy ?? rec.policy) : rec.policy) : undefined;
  if (effective === "reject") found.push(`DMARC reject via ${dmarc.where}`);
  else {
    problems.push(
      own.error
        ? `DMARC could not be checked (${own.error})`
        : effective
          ? `DMARC via ${dmarc.where} is p=${effective}, not reject`
          : "no DMARC policy covers it",
    );
    fixes.push(`publish TXT _dmarc.${name} "v=DMARC1; p=reject; adkim=s; aspf=s"`);
  }

  const mx = await net.mx(name);
  let mxNote = "";
  if (mx.status === "ok") {
    const real = mx.records.filter((m) => m.exchange && m.exchange !== ".");
    mxNote = real.length ? `; note: MX ${real.map((m) => m.exchange).join(", ")} still receives mail` : "; null MX";
  }
  if (problems.length)
    return makeRow({
      id: "email.nomail",
      check,
      target: name,
      status: "fail",
      detail: `not locked down: ${problems.join("; ")}${mxNote}`,
      fix: viaPulumiUp(fixes.join("; ")),
    });
  return makeRow({
    id: "email.nomail",
    check,
    target: name,
    status: mxNote.startsWith("; note") ? "warn" : "pass",
    detail: `${found.join(", ")}${mxNote}`,
    fix: mxNote.startsWith("; note") ? `remove the MX records (or publish a null MX "0 .") if ${name} receives no mail` : undefined,
  });
}
