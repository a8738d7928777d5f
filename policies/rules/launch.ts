/**
 * The launch features a hand-written stack gets wrong: CAA that blocks the hosting provider's
 * certificates, no security headers at the edge, an unsigned zone.
 */
import certificateAuthorities from "../shared/certificate-authorities.json";
import { parseCaaText } from "../shared/dns-text";
import { LaunchPolicy, StackRes, T, isZoneEdgeConfig, stackResources, str } from "./util";
import { apexOf, qualify, recordNamer, shown, txtText } from "./hosts";
import { rulesOf } from "./expressions";

/** A CAA record's tag and value, from `data` (the provider's form) or `content` (`0 issue "x"`). */
export function caaOf(r: StackRes): { tag: string; value: string } | undefined {
  const data = r.props.data as Record<string, unknown> | undefined;
  if (data && typeof data === "object") {
    const tag = str(data.tag);
    const value = str(data.value);
    return tag && value !== undefined ? { tag: tag.toLowerCase(), value } : undefined;
  }
  const parts = parseCaaText(str(r.props.content) ?? "");
  return parts ? { tag: parts.tag, value: parts.value } : undefined;
}

/** The issuer domain of an issue/issuewild value (`letsencrypt.org; validationmethods=...` -> letsencrypt.org; `;` -> ""). */
export function caaIssuer(value: string): string {
  return value.split(";")[0].trim().toLowerCase();
}

const VERCEL_ISSUERS: string[] = certificateAuthorities.providers.vercel.issuers;

export const caaAllowsHostingAuthority: LaunchPolicy = {
  name: "caa-allows-hosting-authority",
  severity: "critical",
  remediationSteps: `Add a CAA record \`0 issue "${VERCEL_ISSUERS[0]}"\` at the apex (Launch Ready adds it for every host Vercel serves), or remove the CAA records.`,
  url: "https://vercel.com/docs/domains/troubleshooting#caa-records",
  description:
    `A zone's CAA issue records must allow the authority its hosting provider issues with: Vercel issues every custom domain's certificate with ${VERCEL_ISSUERS.join(", ")}, ` +
    "so a CAA without it blocks issuance and every renewal (the site goes down when the certificate expires). Cloudflare adds its own authorities itself.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const resources = stackResources(args);
    const caa = resources.filter((r) => r.type === T.dnsRecord && str(r.props.type)?.toUpperCase() === "CAA");
    const domains = resources
      .filter((r) => r.type === T.vercelDomain)
      .map((r) => str(r.props.domain))
      .filter((d): d is string => !!d);
    if (caa.length === 0 || domains.length === 0) args.notApplicable(caa.length === 0 ? "no CAA records" : "no Vercel domains");
    const nameOf = recordNamer(resources);
    const issuersAt = new Map<string, Set<string>>();
    for (const r of caa) {
      const parsed = caaOf(r);
      if (!parsed || parsed.tag !== "issue") continue;
      const at = qualify(nameOf(r));
      issuersAt.set(at, (issuersAt.get(at) ?? new Set()).add(caaIssuer(parsed.value)));
    }
    for (const domain of domains) {
      // RFC 8659 tree climbing: the closest name at or above the host that has issue records decides.
      let name = qualify(domain);
      const apex = apexOf(name);
      while (!issuersAt.has(name) && name !== apex && name.includes(".")) name = name.slice(name.indexOf(".") + 1);
      const allowed = issuersAt.get(name);
      if (!allowed) continue;
      if (!VERCEL_ISSUERS.some((i) => allowed.has(i))) {
        report(
          `CAA at ${shown(name)} allows ${[...allowed].filter(Boolean).join(", ") || "no authority"} but not ${VERCEL_ISSUERS.join(", ")}: Vercel cannot issue or renew the certificate of ${shown(domain)}.`,
        );
      }
    }
  },
};

const FRAMING = ["x-frame-options", "content-security-policy"];

export const securityHeadersAtEdge: LaunchPolicy = {
  name: "security-headers-at-edge",
  severity: "medium",
  remediationSteps:
    "Add a response header transform ruleset (phase http_response_headers_transform) that sets Referrer-Policy and X-Frame-Options (or CSP frame-ancestors) where the app sends none; Launch Ready does this by default (edge.securityHeaders).",
  url: "https://developers.cloudflare.com/rules/transform/response-header-modification/",
  description:
    "Advisory: a stack that manages a zone's edge should make sure every proxied response carries Referrer-Policy and a framing policy (X-Frame-Options or " +
    "Content-Security-Policy frame-ancestors), as HTTP Observatory grades them. Nothing to fix if the app sends them on every response, error pages included.",
  enforcementLevel: "advisory",
  validateStack: (args, report) => {
    const resources = stackResources(args);
    if (!resources.some(isZoneEdgeConfig)) args.notApplicable("the stack manages no zone edge configuration");
    const set = new Set<string>();
    for (const r of resources.filter((x) => x.type === T.ruleset && x.props.phase === "http_response_headers_transform")) {
      for (const rule of rulesOf(r.props)) {
        const headers = (rule.actionParameters as Record<string, any> | undefined)?.headers ?? {};
        for (const [name, h] of Object.entries(headers as Record<string, any>)) {
          if (h?.operation === "set" || h?.operation === "add") set.add(name.toLowerCase());
        }
      }
    }
    const missing = [...(set.has("referrer-policy") ? [] : ["Referrer-Policy"]), ...(FRAMING.some((h) => set.has(h)) ? [] : ["X-Frame-Options"])];
    if (missing.length)
      report(`no edge rule adds ${missing.join(" or ")} to responses: unless the app sends them on every response, browsers and scanners see none.`);
  },
};

export const dnssecSigned: LaunchPolicy = {
  name: "dnssec-signed",
  severity: "medium",
  remediationSteps: 'Declare cloudflare.ZoneDnssec with status "active" for the zone, then add the DS record it outputs at the registrar.',
  url: "https://developers.cloudflare.com/dns/dnssec/",
  description:
    "Advisory: a stack that manages a zone's settings should sign it with DNSSEC (free on every Cloudflare plan), so a forged DNS answer cannot send visitors " +
    "or mail elsewhere. Signing only protects once the DS record is at the registrar.",
  enforcementLevel: "advisory",
  validateStack: (args, report) => {
    const resources = stackResources(args);
    if (!resources.some((r) => r.type === T.zoneSetting)) args.notApplicable("the stack manages no zone settings");
    const signed = resources.some((r) => r.type === T.zoneDnssec && String(r.props.status ?? "").toLowerCase() === "active");
    if (!signed) report("the zone is not DNSSEC-signed by this stack (no cloudflare.ZoneDnssec with status active).");
  },
};

export const tlsReportingForInboundMail: LaunchPolicy = {
  name: "tls-reporting-for-inbound-mail",
  severity: "low",
  remediationSteps:
    'Publish TXT _smtp._tls.<name> "v=TLSRPTv1; rua=mailto:<reports address>" for each name that receives mail (Launch Ready does: email.tlsReporting).',
  url: "https://www.rfc-editor.org/rfc/rfc8460",
  description:
    "Advisory: a name that receives mail (an MX other than the null MX) should ask sending servers to report failed TLS connections (TLS-RPT, RFC 8460), " +
    "so mail that could have been read or altered on the way does not go unnoticed.",
  enforcementLevel: "advisory",
  validateStack: (args, report) => {
    const resources = stackResources(args);
    const nameOf = recordNamer(resources);
    const records = resources.filter((r) => r.type === T.dnsRecord);
    const receiving = [
      ...new Set(
        records
          .filter((r) => str(r.props.type)?.toUpperCase() === "MX" && (str(r.props.content) ?? ".").replace(/\.$/, "") !== "")
          .map((r) => qualify(nameOf(r))),
      ),
    ];
    if (receiving.length === 0) args.notApplicable("no name receives mail");
    for (const name of receiving) {
      const reporting = records.some((r) => qualify(nameOf(r)) === `_smtp._tls.${name}` && /^v=TLSRPTv1;.*\brua=/i.test(txtText(r.props.content) ?? ""));
      if (!reporting) report(`${shown(name)} receives mail but publishes no TLS-RPT record at _smtp._tls.${shown(name)}: failed TLS deliveries go unreported.`);
    }
  },
};
