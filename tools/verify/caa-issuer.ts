/**
 * CAA against the certificate actually served: the CA that issued a host's certificate will be
 * asked to renew it, and refuses when the CAA records that govern the host (RFC 8659: the host's
 * own, else the nearest parent's; issuewild for a wildcard, falling back to issue) do not name
 * it. The issuing CA is matched by its organization to CCADB's CAA identifiers
 * (lib/provider-facts/caa-identifiers.json); an organization the list lacks is a warning.
 */
import { caaIdentifiers } from "../../lib/provider-facts";
import type { Net } from "./net";
import { makeRow, unanswered, type Fix } from "./row";
import type { CheckResult, Status } from "./types";

type Caa = { critical: number; issue?: string; issuewild?: string };

/** The CA owner whose issuing certificates name this organization. */
export function ownerOfIssuer(organization: string): (typeof caaIdentifiers.owners)[number] | undefined {
  const o = organization.trim().toLowerCase();
  return caaIdentifiers.owners.find((e) => e.issuerOrganizations.some((x) => x.toLowerCase() === o));
}

/** The CAA RRset that governs `host` (its own or its nearest parent's, up to and including `apex`). */
async function governingCaa(net: Net, host: string, apex: string): Promise<{ at?: string; records: Caa[]; error?: string }> {
  const labels = host.toLowerCase().split(".");
  for (let i = 0; i < labels.length; i++) {
    const name = labels.slice(i).join(".");
    const r = await net.caa(name);
    if (r.status === "error") return { records: [], error: r.error };
    if (r.status === "ok") return { at: name, records: r.records as Caa[] };
    if (name === apex.toLowerCase()) break;
  }
  return { records: [] };
}

/** The issuer domain names a CAA property allows (";" alone allows none), or undefined when the property is absent. */
function allowed(records: Caa[], tag: "issue" | "issuewild"): string[] | undefined {
  const values = records.filter((r) => r[tag] !== undefined).map((r) => (r[tag] ?? "").split(";")[0].trim().toLowerCase());
  return values.length ? values.filter((v) => v !== "") : undefined;
}

export async function checkCaaIssuer(net: Net, host: string, apex: string): Promise<CheckResult> {
  const row = (status: Status, detail: string, fix?: Fix, data?: Record<string, unknown>) =>
    makeRow({ id: "tls.caa-issuer", check: "CAA allows the issuer", target: host, status, detail, fix, data });
  const hs = await net.handshake(host, undefined);
  if (!hs.ok) return row("warn", `not checked: no certificate was served (${hs.message})`, "see the certificate row for this host");
  const organization = hs.cert.issuer?.O ? String(hs.cert.issuer.O) : undefined;
  const wildcard = String(hs.cert.subjectaltname ?? "")
    .split(/,\s*/)
    .some((n) => n.toLowerCase() === `dns:*.${host.toLowerCase().split(".").slice(1).join(".")}`);
  const caa = await governingCaa(net, host, apex);
  if (caa.error) return unanswered({ id: "tls.caa-issuer", check: "CAA allows the issuer", target: host }, caa.error);
  const tag = wildcard && allowed(caa.records, "issuewild") !== undefined ? "issuewild" : "issue";
  const allows = allowed(caa.records, tag);
  const issuer = organization ?? String(hs.cert.issuer?.CN ?? "an issuer with no name");
  const data = { issuer, caaAt: caa.at ?? null, tag, allows: allows ?? null, wildcard };
  if (!caa.at || allows === undefined)
    return row("pass", `no CAA ${caa.at ? tag : "record"} governs ${host}: any CA may renew, ${issuer} included`, undefined, data);
  const owner = organization ? ownerOfIssuer(organization) : undefined;
  if (!owner)
    return row(
      "warn",
      `the served certificate's issuer "${issuer}" is not in the CCADB CAA identifiers verify carries, so whether CAA at ${caa.at} (${tag} ${allows.join(", ") || ";"}) lets it renew is unknown`,
      `find the CA's CAA identifier in its CPS or CCADB's CAA identifiers report and make sure ${caa.at}'s CAA names it`,
      data,
    );
  const match = owner.caaIdentifiers.find((id) => allows.includes(id));
  if (!match)
    return row(
      "fail",
      `CAA at ${caa.at} allows ${allows.join(", ") || "no CA (;)"} for ${tag}, but ${host} serves a certificate from ${owner.owner} (CAA ${owner.caaIdentifiers.slice(0, 3).join(", ")}): its renewal will be refused`,
      `add ${caa.at} CAA 0 ${tag} "${owner.caaIdentifiers[0]}", or move ${host} to a CA the CAA allows`,
      { ...data, owner: owner.owner },
    );
  return row("pass", `${owner.owner} issued the served certificate and CAA at ${caa.at} allows ${match}`, undefined, { ...data, owner: owner.owner });
}
