/**
 * The launch features in a founder's words: who may issue certificates (CAA), DNSSEC and the
 * registrar step, the security headers and the CSP ramp, Turnstile, and
 * what the stack costs each month.
 */
import type { DomainMap } from "../../domain-map";
import { blocks, code, heading, lead, numbered, table } from "../markdown";

export function certificatesSection(map: DomainMap): string | undefined {
  const caa = map.edge.caa;
  if (!caa) return undefined;
  if (!caa.published) {
    return blocks(
      heading(2, "Who may issue certificates (CAA)"),
      map.zone.managesZoneSettings
        ? "CAA is off for this stack (`zone.caa.enabled` false): any certificate authority may issue a certificate for your names."
        : `The stack that manages ${code(map.zone.name)} publishes the CAA records; this stack adds none.`,
    );
  }
  return blocks(
    heading(2, "Who may issue certificates (CAA)"),
    [
      `CAA records at ${code(map.zone.name)} say which certificate authorities may issue certificates for your names; any other authority must refuse.`,
      "Cloudflare adds the records for its own authorities (the ones behind the proxied hosts' certificates) as soon as one CAA record exists, so they are not listed here.",
      caa.issuers.length
        ? `Besides Cloudflare's: ${caa.issuers.map((i) => `${code(i.issuer)} for ${i.hosts.map(code).join(", ")}`).join("; ")}.`
        : "Only Cloudflare's authorities may issue (no host needs another).",
    ].join(" "),
    [
      caa.iodef ? `An authority that refuses a request reports it to ${code(caa.iodef)} (the iodef record).` : "",
      "Moving a host to a provider that issues its own certificate (a DNS-only host) means adding its authority to that host's `caIssuers` first; the plan refuses the config until you do.",
      "Only Cloudflare's authorities publish `issuewild` records, so nobody else can get a wildcard for your zone.",
    ]
      .filter(Boolean)
      .join(" "),
  );
}

export function dnssecSection(map: DomainMap): string | undefined {
  if (!map.edge.dnssec) return undefined;
  const stack = map.stack;
  return blocks(
    heading(2, "DNSSEC"),
    `Cloudflare signs ${code(map.zone.name)}'s answers, so a resolver can tell a forged answer from a real one. It protects visitors only once your registrar publishes the DS record; until then Cloudflare shows DNSSEC as pending. ` +
      `**Turn it on at the registrar (once)**: read the DS record with ${code(`pulumi stack output dnssecDs --stack ${stack}`)}; at the registrar, add a DS record with its key tag, algorithm, digest type and digest (some take the whole line); Cloudflare's DNSSEC page shows Active within an hour to a day. With Cloudflare Registrar, Cloudflare adds the DS itself.`,
    lead(
      "**Turn it off safely (DS first)**:",
      numbered([
        "Remove the DS record at the registrar.",
        "Wait until the parent's DS has expired from caches: at least a day (the parent zone's DS TTL, often 24 to 48 hours).",
        "Only then set `zone.dnssec` to false and run `pulumi up`: signing off with the DS still published makes every validating resolver treat the domain as broken. Moving to another DNS provider follows the same order.",
      ]),
    ),
  );
}

export function headersSection(map: DomainMap): string | undefined {
  const headers = map.edge.securityHeaders;
  if (!headers) return undefined;
  if (headers.length === 0) {
    return map.zone.managesZoneSettings
      ? blocks(heading(2, "Security headers"), "The edge adds no security headers (`edge.securityHeaders.enabled` false): the app must send them itself.")
      : undefined;
  }
  const csp = headers.find((h) => h.name === "Content-Security-Policy-Report-Only");
  return blocks(
    heading(2, "Security headers"),
    `Cloudflare adds these to every proxied response that does not already carry them (a header your app sends always wins): ${headers.map((h) => code(`${h.name}: ${h.value}`)).join(", ")}. \`X-Content-Type-Options: nosniff\` comes with HSTS.`,
    lead(
      "Content-Security-Policy, from report-only to enforcing:",
      numbered([
        csp
          ? "Report-only is on: browsers report what the policy would block and block nothing. Point its `report-to`/`report-uri` at a collector you read."
          : "Start in report-only: set `edge.securityHeaders.contentSecurityPolicyReportOnly` to your policy (with a `report-uri`) and run `pulumi up`.",
        "Browse every page (login, chat, checkout, admin) for a week and read the reports; add each legitimate source (analytics, Stripe, your model API's widget) to the policy.",
        "When a week passes with no report you did not expect, send the same policy as `Content-Security-Policy` from the app (Next.js `headers()` or middleware, where a nonce per response is possible), and remove the report-only setting.",
      ]),
    ),
  );
}

export function turnstileSection(map: DomainMap): string | undefined {
  const t = map.turnstile;
  if (!t) return undefined;
  return blocks(
    heading(2, "Turnstile on signup and login"),
    `A Cloudflare Turnstile widget (${t.mode}) runs on ${t.domains.map(code).join(", ")} and their subdomains. Its site key is in ${code(t.siteKeyVar)} (public by design, for the browser) and its secret in ${code(t.secretVar)} (sensitive, server only), both on Vercel's production target; Pulumi moves the secret from Cloudflare to Vercel without it ever being shown. Render the widget on the signup and login forms with ${code(t.siteKeyVar)}; on the server, send the token and ${code(t.secretVar)} to https://challenges.cloudflare.com/turnstile/v0/siteverify and refuse the request unless it answers success. Preview and development deployments run on other hosts: use Cloudflare's documented test keys there (https://developers.cloudflare.com/turnstile/troubleshooting/testing/). Rotating the secret: see "Rotating secrets".`,
  );
}

export function costSection(map: DomainMap): string | undefined {
  const cost = map.monthlyCost;
  if (!cost) return undefined;
  const usd = (n: number | null) => (n === null ? "by contract" : `$${n.toFixed(2)}`);
  return blocks(
    heading(3, "What this costs each month"),
    `At list prices (read ${cost.pricesRead}), the stack costs **$${cost.totalUsd.toFixed(2)} a month**:`,
    table(
      ["Item", "Quantity", "Unit", "Per month"],
      cost.lines.map((l) => [l.item, String(l.quantity), usd(l.unitUsd), usd(l.monthlyUsd)]),
    ),
    [
      ...cost.notes,
      "Choices that trade cost for coverage: latency measurement (`uptime.measureLatency`), string matching (a monitor's `expect`) and a 10 s interval (`uptime.intervalSeconds`) are each priced per check in the table's feature rows; latency measurement can only be chosen when a check is created.",
    ].join(" "),
  );
}
