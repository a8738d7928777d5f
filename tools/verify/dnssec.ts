/**
 * DNSSEC: the DS record at the parent must match a key the zone serves (RFC 4034 section 5),
 * or every validating resolver rejects the zone's answers. The digest is computed as RFC 4034
 * 5.1.4 defines it: digest(owner name in canonical wire form | DNSKEY RDATA); the key tag as
 * its Appendix B does.
 */
import { createHash } from "crypto";
import type { DomainMap } from "../../lib/domain-map";
import type { Net } from "./net";
import { makeRow, type Fix } from "./row";
import type { CheckResult, Status } from "./types";

export interface DnsKey {
  flags: number;
  algorithm: number;
  key: Buffer;
}
export interface DsRecord {
  keyTag: number;
  algorithm: number;
  digestType: number;
  digest: Buffer;
}

/** DNSKEY RDATA: flags, protocol 3, algorithm, public key. */
export function dnskeyRdata(k: DnsKey): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(k.flags, 0);
  head.writeUInt8(3, 2);
  head.writeUInt8(k.algorithm, 3);
  return Buffer.concat([head, k.key]);
}

/** A name in canonical (lower-case) wire form: length-prefixed labels, then the root. */
export function wireName(name: string): Buffer {
  const labels = name.toLowerCase().replace(/\.$/, "").split(".").filter(Boolean);
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([Buffer.byteLength(l)]), Buffer.from(l)])), Buffer.from([0])]);
}

/** RFC 4034 Appendix B. */
export function keyTag(k: DnsKey): number {
  const rdata = dnskeyRdata(k);
  let ac = 0;
  for (let i = 0; i < rdata.length; i++) ac += i & 1 ? rdata[i] : rdata[i] << 8;
  ac += (ac >> 16) & 0xffff;
  return ac & 0xffff;
}

const DIGESTS: Record<number, string> = { 1: "sha1", 2: "sha256", 4: "sha384" };

/** The DS record a DNSKEY yields for a digest type (undefined for a type this does not know). */
export function dsFor(owner: string, k: DnsKey, digestType: number): DsRecord | undefined {
  const algo = DIGESTS[digestType];
  if (!algo) return undefined;
  const digest = createHash(algo)
    .update(Buffer.concat([wireName(owner), dnskeyRdata(k)]))
    .digest();
  return { keyTag: keyTag(k), algorithm: k.algorithm, digestType, digest };
}

export function dsText(owner: string, ds: DsRecord): string {
  return `${owner}. DS ${ds.keyTag} ${ds.algorithm} ${ds.digestType} ${ds.digest.toString("hex").toUpperCase()}`;
}

/** Run for a stack that signs its zone (map.edge.dnssec), and for any domain verify discovered itself. */
export async function checkDnssec(net: Net, map: DomainMap): Promise<CheckResult> {
  const discovered = map.stack === "discovered";
  const apex = map.zone.name;
  const row = (status: Status, detail: string, fix?: Fix, data?: Record<string, unknown>) =>
    makeRow({ id: "dns.dnssec", check: "DNSSEC", target: apex, status, detail, fix, data });
  const [ds, keys] = await Promise.all([net.ds(apex), net.dnskey(apex)]);
  for (const r of [ds, keys])
    if (r.status === "error")
      return row("fail", `could not be checked: ${r.error}`, "check the resolver and the zone's nameservers answer, then re-run verify");
  const dsRecords = ds.status === "ok" ? ds.records : [];
  const dnskeys = keys.status === "ok" ? keys.records : [];
  if (dsRecords.length === 0) {
    return discovered
      ? row(
          "warn",
          "not DNSSEC-signed (no DS at the parent): a forged answer cannot be told from a real one",
          "turn DNSSEC on at the DNS provider (free on Cloudflare) and add its DS record at the registrar",
        )
      : row(
          "warn",
          `no DS record at the parent yet: ${dnskeys.length ? "the zone is signed, but " : ""}DNSSEC stays pending until the registrar publishes it`,
          `add the DS from \`pulumi stack output dnssecDs --stack ${map.stack}\` at the registrar`,
        );
  }
  const shown = dsRecords.map((d) => `key tag ${d.keyTag}`).join(", ");
  if (dnskeys.length === 0) {
    return row(
      "fail",
      `the parent publishes a DS (${shown}) but the zone serves no DNSKEY: validating resolvers reject every answer, so the domain is unreachable for their users`,
      "remove the DS at the registrar now, or turn signing back on at the DNS provider",
    );
  }
  const matched = dsRecords.find((d) =>
    dnskeys.some((k) => {
      const mine = dsFor(apex, k, d.digestType);
      return mine && mine.keyTag === d.keyTag && mine.algorithm === d.algorithm && mine.digest.equals(d.digest);
    }),
  );
  if (!matched) {
    const expected = dnskeys.filter((k) => k.flags & 1).map((k) => dsText(apex, dsFor(apex, k, 2)!));
    return row(
      "fail",
      `the DS at the parent (${shown}) matches no key the zone serves: validating resolvers reject every answer`,
      `replace the DS at the registrar with ${expected.join(" or ") || "the zone's current DS"}${discovered ? "" : ` (\`pulumi stack output dnssecDs --stack ${map.stack}\`)`}`,
      { ds: dsRecords.map((d) => d.keyTag), dnskey: dnskeys.map(keyTag) },
    );
  }
  return row("pass", `DS key tag ${matched.keyTag} (algorithm ${matched.algorithm}) at the parent matches the zone's key: answers validate`, undefined, {
    ds: dsRecords.map((d) => d.keyTag),
  });
}
