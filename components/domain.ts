import * as pulumi from "@pulumi/pulumi";
import * as cloudflare from "@pulumi/cloudflare";
import { childName, childOptions } from "./naming";
import { servedByVercel, type RecordSpec, type WebHost } from "../lib/dns/records";
import type { RuleSpec } from "../lib/edge/rules";
import { declareRecord, declareRuleset, ZoneRef } from "./cloudflare-resources";
import { factsFor } from "../lib/provider-facts";
import { RESOURCE_TYPES } from "../policies/shared/resource-types";

export interface DomainArgs {
  zone: ZoneRef;
  /** The web hosts: canonical, its twin, the subdomains. */
  hosts: WebHost[];
  /** One record per web host (canonical, twin, subdomains), and the apex's CAA records (lib/dns/caa.ts). */
  records: RecordSpec[];
  /** Sign the zone with DNSSEC (cloudflare.ZoneDnssec). Default: false; the site turns it on for the stack that manages the zone. */
  dnssec?: boolean;
  /** Protect the ZoneDnssec (Pulumi's `protect`): deleting it while the DS is at the registrar takes the domain offline. Default: false. */
  protectDnssec?: boolean;
  /**
   * The 301 from the twin host to the canonical host. Omitted when there is no twin
   * or when another stack owns the zone's redirect phase.
   */
  redirect?: RuleSpec;
  /** "https://example.com" */
  canonicalOrigin: string;
}

/**
 * The canonical domain and its subdomains: one DNS record per web host, proxied
 * where web traffic goes through Cloudflare, and a single-hop 301 from the twin
 * host (www or apex) to the canonical origin, path and query kept.
 */
export class Domain extends pulumi.ComponentResource {
  /** FQDNs of every web host. */
  readonly hostnames: string[];
  /** Hosts the Vercel project must serve (the redirecting twin never reaches Vercel). */
  readonly vercelHostnames: string[];
  readonly canonicalOrigin: string;
  readonly records: Record<string, import("@pulumi/cloudflare").DnsRecord>;
  /** The DS record to publish at the registrar ("<zone>. 3600 IN DS ..."), when the zone is DNSSEC-signed here. */
  readonly dnssecDs?: pulumi.Output<string>;

  constructor(name: string, args: DomainArgs, opts?: pulumi.ComponentResourceOptions) {
    super("launch-ready:site:Domain", name, {}, opts);
    this.records = Object.fromEntries(args.records.map((spec) => [spec.key, declareRecord(spec, args.zone, this, name)]));
    if (args.redirect) {
      declareRuleset("http_request_dynamic_redirect", [args.redirect], args.zone, this, name, "Canonical host redirect (launch-ready)");
    }
    if (args.dnssec) {
      // Signing starts now; resolvers validate once the DS is at the registrar. Until then the API reports
      // "pending", which differs from the declared "active" on every refresh: the provider facts say which
      // properties to leave to the live value after the create (cloudflare.json ZoneDnssec refreshDrift).
      const dnssec = new cloudflare.ZoneDnssec(
        childName(name, "dnssec"),
        { zoneId: args.zone.zoneId, status: "active" },
        childOptions(this, "dnssec", [], {
          ignoreChanges: factsFor(RESOURCE_TYPES.zoneDnssec)?.refreshDrift?.props ?? [],
          ...(args.protectDnssec ? { protect: true } : {}),
        }),
      );
      this.dnssecDs = dnssec.ds;
    }
    this.hostnames = args.hosts.map((h) => h.fqdn);
    this.vercelHostnames = args.hosts.filter(servedByVercel).map((h) => h.fqdn);
    this.canonicalOrigin = args.canonicalOrigin;
    this.registerOutputs({ hostnames: this.hostnames, vercelHostnames: this.vercelHostnames, canonicalOrigin: this.canonicalOrigin, dnssecDs: this.dnssecDs });
  }
}
