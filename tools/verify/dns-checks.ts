/**
 * DNS checks: every declared hostname resolves, and every planned record matches what
 * is live, record by record. Proxied Cloudflare records answer with Cloudflare's edge
 * addresses rather than the planned content, so for those only "resolves" is checked.
 */
import type { DnsRecordEntry, DomainMap } from "../../lib/domain-map";
import { targetText } from "../../lib/dns/records";
import { comparableContent, normName } from "../../policies/shared/dns-text";
import type { DnsResult, Net } from "./net";
import { makeRow, unanswered, type Fix } from "./row";
import type { CheckResult } from "./types";

/** A and AAAA for a name; "resolves" when either answers. */
export async function addresses(net: Net, name: string): Promise<{ addresses: string[]; error?: string; nx: boolean }> {
  const [a, aaaa] = await Promise.all([net.a(name), net.aaaa(name)]);
  const found = [...(a.status === "ok" ? a.records : []), ...(aaaa.status === "ok" ? aaaa.records : [])];
  const error = a.status === "error" ? a.error : aaaa.status === "error" ? aaaa.error : undefined;
  return { addresses: found, error: found.length ? undefined : error, nx: a.status === "nxdomain" };
}

export async function checkHostResolves(net: Net, host: DomainMap["hosts"][number]): Promise<CheckResult> {
  const r = await addresses(net, host.hostname);
  const base = { id: "dns.resolves", check: "Hostname resolves", target: host.hostname };
  if (r.addresses.length) {
    return makeRow({
      ...base,
      status: "pass",
      detail: `${r.addresses.join(", ")}${host.proxied ? " (proxied by Cloudflare)" : ""}`,
      data: { addresses: r.addresses },
    });
  }
  const fix: Fix = {
    stack: `create the ${host.role} record for ${host.hostname} (target ${targetText(host.target)}) and run \`pulumi up\`; check the zone's nameservers are Cloudflare's`,
    withoutStack: `create the ${host.role} record for ${host.hostname} (target ${targetText(host.target)}); check the zone's nameservers are Cloudflare's`,
  };
  const why = r.error ?? (r.nx ? "NXDOMAIN: the name does not exist" : "no A or AAAA record");
  return makeRow({ ...base, status: "fail", detail: `does not resolve (${why})`, fix });
}

/** One row per planned record, plus one per live record of the same name and type that the plan lacks. */
export async function checkRecordGroup(net: Net, planned: DnsRecordEntry[]): Promise<CheckResult[]> {
  const { name, type } = planned[0];
  const group: RecordGroup = { name, type, check: `DNS ${type} record` };
  const proxied = planned.filter((r) => r.proxied);
  const exact = planned.filter((r) => !r.proxied);
  const out = proxied.length ? await proxiedRows(net, group, proxied) : [];
  if (!exact.length) return out;
  const answers = await liveAnswers(net, name, type);
  if (!answers) return out;
  const { live, render } = answers;
  if (live.status === "error") {
    return [...out, ...exact.map(() => unanswered({ id: "dns.record", check: group.check, target: name }, live.error))];
  }
  const liveSet = live.status === "ok" ? live.records : [];
  return [...out, ...plannedRows(group, exact, live, render), ...extraRows(group, exact, liveSet, render)];
}

/** The name and type a group of planned records shares, and its rows' check label. */
interface RecordGroup {
  name: string;
  type: string;
  check: string;
}

const recordFix = (type: string, r: DnsRecordEntry): Fix => ({
  stack: `run \`pulumi up\`, or create ${type} ${r.name} -> ${r.content}${r.priority !== undefined ? ` (priority ${r.priority})` : ""} in Cloudflare`,
  withoutStack: `create ${type} ${r.name} -> ${r.content}${r.priority !== undefined ? ` (priority ${r.priority})` : ""} in Cloudflare`,
});

/** A planned record in the form the live answers are compared in (policies/shared/dns-text.ts). */
const plannedKey = (type: string, r: DnsRecordEntry): string => comparableContent(type, r.content, { priority: type === "MX" ? (r.priority ?? 0) : undefined });

/** Proxied records answer with Cloudflare's edge addresses, so for them only "resolves" is checked. */
async function proxiedRows(net: Net, { name, type, check }: RecordGroup, proxied: readonly DnsRecordEntry[]): Promise<CheckResult[]> {
  const r = await addresses(net, name);
  return proxied.map((rec) =>
    r.addresses.length
      ? makeRow({
          id: "dns.record",
          check,
          target: name,
          status: "pass",
          detail: `proxied (${rec.purpose}): answers with edge address ${r.addresses.join(", ")}; planned ${type} ${rec.content} is hidden behind Cloudflare`,
          data: { addresses: r.addresses },
        })
      : makeRow({
          id: "dns.record",
          check,
          target: name,
          status: "fail",
          detail: `proxied ${type} -> ${rec.content} (${rec.purpose}) does not resolve: ${r.error ?? (r.nx ? "NXDOMAIN" : "no A/AAAA answer")}`,
          fix: recordFix(type, rec),
        }),
  );
}

/** The live answers for a name and type in the comparable form, and how to print one; undefined for a type not checked. */
async function liveAnswers(net: Net, name: string, type: string): Promise<{ live: DnsResult<string>; render: (s: string) => string } | undefined> {
  const asIs = (s: string) => s;
  switch (type) {
    case "A":
      return { live: await net.a(name), render: asIs };
    case "AAAA":
      return { live: await net.aaaa(name), render: asIs };
    case "CNAME": {
      const c = await net.cname(name);
      return { live: c.status === "ok" ? { status: "ok", records: c.records.map((r) => comparableContent("CNAME", r)) } : c, render: asIs };
    }
    case "TXT":
      return { live: await net.txt(name), render: (s) => JSON.stringify(s) };
    case "MX": {
      const m = await net.mx(name);
      return {
        live: m.status === "ok" ? { status: "ok", records: m.records.map((x) => comparableContent("MX", x.exchange, { priority: x.priority })) } : m,
        render: asIs,
      };
    }
    case "CAA": {
      const c = await net.caa(name);
      if (c.status !== "ok") return { live: c, render: asIs };
      const records = c.records.map((x) => {
        const tag = Object.keys(x).find((k) => k !== "critical") ?? "issue";
        return comparableContent("CAA", undefined, { data: { flags: x.critical ? 128 : 0, tag, value: String((x as Record<string, unknown>)[tag]) } });
      });
      return { live: { status: "ok", records }, render: asIs };
    }
    default:
      return undefined;
  }
}

/** Each planned record: a pass when live has it, drift when not (saying what live has instead). */
function plannedRows(
  { name, type, check }: RecordGroup,
  exact: readonly DnsRecordEntry[],
  live: DnsResult<string>,
  render: (s: string) => string,
): CheckResult[] {
  const liveSet = live.status === "ok" ? live.records : [];
  return exact.map((rec) => {
    const key = plannedKey(type, rec);
    if (liveSet.includes(key))
      return makeRow({ id: "dns.record", check, target: name, status: "pass", detail: `${render(key)} (${rec.purpose}) matches the plan` });
    const seen = liveSet.length
      ? `live has ${liveSet.map(render).join(", ")}`
      : live.status === "nxdomain"
        ? "the name does not exist (NXDOMAIN)"
        : `no ${type} record live`;
    return makeRow({
      id: "dns.record",
      check,
      target: name,
      status: "fail",
      detail: `drift: planned ${render(key)} (${rec.purpose}) is missing; ${seen}`,
      fix: recordFix(type, rec),
      data: {
        planned: key,
        live: liveSet,
      },
    });
  });
}

/** Live records the plan lacks: a failure where one record owns the name's answer (CNAME, A, AAAA, MX, CAA), a warning for an extra TXT. */
function extraRows(
  { name, type, check }: RecordGroup,
  exact: readonly DnsRecordEntry[],
  liveSet: readonly string[],
  render: (s: string) => string,
): CheckResult[] {
  const plannedSet = new Set(exact.map((r) => plannedKey(type, r)));
  return liveSet
    .filter((l) => !plannedSet.has(l))
    .map((extra) =>
      type === "CNAME" || type === "A" || type === "AAAA" || type === "MX" || type === "CAA"
        ? makeRow({
            id: "dns.record",
            check,
            target: name,
            status: "fail",
            detail: `drift: live ${render(extra)} is not in the plan (changed outside Pulumi?)`,
            fix: `delete it in Cloudflare or run \`pulumi up\` to restore the planned ${type} record`,
            data: { live: extra },
          })
        : makeRow({
            id: "dns.record",
            check,
            target: name,
            status: "warn",
            detail: `drift: live ${render(extra)} is not in the plan (added outside Pulumi?)`,
            fix: "add it to the stack config so Pulumi manages it, or delete it",
            data: { live: extra },
          }),
    );
}

/** Planned records grouped by name and type. */
export function recordGroups(map: DomainMap): DnsRecordEntry[][] {
  const groups = new Map<string, DnsRecordEntry[]>();
  for (const r of map.records) {
    const key = `${normName(r.name)} ${r.type}`;
    groups.set(key, [...(groups.get(key) ?? []), { ...r, name: normName(r.name) }]);
  }
  return [...groups.values()];
}
