/**
 * DNS checks: every declared hostname resolves, and every planned record matches what
 * is live, record by record. Proxied Cloudflare records answer with Cloudflare's edge
 * addresses rather than the planned content, so for those only "resolves" is checked.
 */
import type { DnsRecordEntry, DomainMap } from "../../lib/domain-map";
import { targetText } from "../../lib/dns/records";
import { comparableContent, normName } from "../../policies/shared/dns-text";
import type { DnsResult, Net } from "./net";
import { makeRow, type Fix } from "./row";
import type { CheckResult } from "./types";

function row(target: string, status: CheckResult["status"], check: string, detail: string, fix?: Fix, data?: Record<string, unknown>): CheckResult {
  return makeRow({ id: "dns.record", check, target, status, detail, fix, data });
}

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
  const check = `DNS ${type} record`;
  const fixFor = (r: DnsRecordEntry) =>
    ({
      stack: `run \`pulumi up\`, or create ${type} ${r.name} -> ${r.content}${r.priority !== undefined ? ` (priority ${r.priority})` : ""} in Cloudflare`,
      withoutStack: `create ${type} ${r.name} -> ${r.content}${r.priority !== undefined ? ` (priority ${r.priority})` : ""} in Cloudflare`,
    }) as Fix;
  const proxied = planned.filter((r) => r.proxied);
  const exact = planned.filter((r) => !r.proxied);
  const out: CheckResult[] = [];

  if (proxied.length) {
    const r = await addresses(net, name);
    for (const rec of proxied) {
      out.push(
        r.addresses.length
          ? row(
              name,
              "pass",
              check,
              `proxied (${rec.purpose}): answers with edge address ${r.addresses.join(", ")}; planned ${type} ${rec.content} is hidden behind Cloudflare`,
              undefined,
              { addresses: r.addresses },
            )
          : row(
              name,
              "fail",
              check,
              `proxied ${type} -> ${rec.content} (${rec.purpose}) does not resolve: ${r.error ?? (r.nx ? "NXDOMAIN" : "no A/AAAA answer")}`,
              fixFor(rec),
            ),
      );
    }
  }
  if (!exact.length) return out;

  let live: DnsResult<string>;
  let render: (s: string) => string = (s) => s;
  // The plan's records and the live answers in the one comparable form (policies/shared/dns-text.ts).
  const plannedKey = (r: DnsRecordEntry): string => comparableContent(type, r.content, { priority: type === "MX" ? (r.priority ?? 0) : undefined });
  switch (type) {
    case "A":
      live = await net.a(name);
      break;
    case "AAAA":
      live = await net.aaaa(name);
      break;
    case "CNAME": {
      const c = await net.cname(name);
      live = c.status === "ok" ? { status: "ok", records: c.records.map((r) => comparableContent("CNAME", r)) } : c;
      break;
    }
    case "TXT":
      live = await net.txt(name);
      render = (s) => JSON.stringify(s);
      break;
    case "MX": {
      const m = await net.mx(name);
      live = m.status === "ok" ? { status: "ok", records: m.records.map((x) => comparableContent("MX", x.exchange, { priority: x.priority })) } : m;
      break;
    }
    case "CAA": {
      const c = await net.caa(name);
      live =
        c.status === "ok"
          ? {
              status: "ok",
              records: c.records.map((x) => {
                const tag = Object.keys(x).find((k) => k !== "critical") ?? "issue";
                return comparableContent("CAA", undefined, { data: { flags: x.critical ? 128 : 0, tag, value: String((x as Record<string, unknown>)[tag]) } });
              }),
            }
          : c;
      break;
    }
    default:
      return out;
  }
  if (live.status === "error") {
    return [
      ...out,
      ...exact.map(() =>
        row(
          name,
          "fail",
          check,
          `could not be checked: ${live.status === "error" ? live.error : ""}`,
          "check the zone's nameservers answer, then re-run verify",
        ),
      ),
    ];
  }
  const liveSet = live.status === "ok" ? live.records : [];
  const plannedSet = new Set(exact.map(plannedKey));
  for (const rec of exact) {
    const key = plannedKey(rec);
    if (liveSet.includes(key)) {
      out.push(row(name, "pass", check, `${render(key)} (${rec.purpose}) matches the plan`));
    } else {
      const seen = liveSet.length
        ? `live has ${liveSet.map(render).join(", ")}`
        : live.status === "nxdomain"
          ? "the name does not exist (NXDOMAIN)"
          : `no ${type} record live`;
      out.push(row(name, "fail", check, `drift: planned ${render(key)} (${rec.purpose}) is missing; ${seen}`, fixFor(rec), { planned: key, live: liveSet }));
    }
  }
  for (const extra of liveSet.filter((l) => !plannedSet.has(l))) {
    if (type === "CNAME" || type === "A" || type === "AAAA" || type === "MX" || type === "CAA") {
      out.push(
        row(
          name,
          "fail",
          check,
          `drift: live ${render(extra)} is not in the plan (changed outside Pulumi?)`,
          `delete it in Cloudflare or run \`pulumi up\` to restore the planned ${type} record`,
          { live: extra },
        ),
      );
    } else {
      out.push(
        row(
          name,
          "warn",
          check,
          `drift: live ${render(extra)} is not in the plan (added outside Pulumi?)`,
          "add it to the stack config so Pulumi manages it, or delete it",
          { live: extra },
        ),
      );
    }
  }
  return out;
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
