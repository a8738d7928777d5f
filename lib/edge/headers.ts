/**
 * Security headers at the edge: one response header transform rule per header, each setting
 * its header only on a response that does not carry it yet. `set` alone would overwrite the
 * app's own value and `add` would send a second copy beside it (both documented at
 * https://developers.cloudflare.com/rules/transform/response-header-modification/), so the
 * rule's expression asks for the header's absence (http.response.headers.names keeps the
 * origin's case, hence lower()). X-Content-Type-Options comes from the security_header
 * setting (HSTS with nosniff), not from a rule.
 */
import type { EdgeConfig } from "../config/schema";
import type { RuleSpec } from "./rules";

export interface SecurityHeader {
  name: string;
  value: string;
  /** What the header prevents, in a founder's words. */
  why: string;
}

/** The headers the edge adds where the app sends none, in rule order. */
export function securityHeaders(config: EdgeConfig["securityHeaders"]): SecurityHeader[] {
  if (!config.enabled) return [];
  const headers: SecurityHeader[] = [
    { name: "Referrer-Policy", value: config.referrerPolicy, why: "other sites see where a visitor came from, never the full URL with its tokens" },
    { name: "X-Frame-Options", value: config.frameOptions, why: "no other site can frame the app to trick a click (clickjacking)" },
    { name: "Permissions-Policy", value: config.permissionsPolicy, why: "no page, or script injected into one, can use the features it turns off" },
  ];
  if (config.contentSecurityPolicyReportOnly) {
    headers.push({
      name: "Content-Security-Policy-Report-Only",
      value: config.contentSecurityPolicyReportOnly,
      why: "browsers report what the policy would block, and block nothing yet",
    });
  }
  return headers;
}

/** `not any(lower(http.response.headers.names[*])[*] == "x-frame-options")`: the response lacks the header. */
export function headerAbsent(name: string): string {
  return `not any(lower(http.response.headers.names[*])[*] == "${name.toLowerCase()}")`;
}

/** One rule per header (securityHeaders), each setting it only where the response lacks it. */
export function securityHeaderRules(headers: readonly SecurityHeader[]): RuleSpec[] {
  return headers.map((h) => ({
    ref: `security_header_${h.name.toLowerCase().replace(/-/g, "_")}`,
    description: `${h.name}: ${h.value} where the app sends none`,
    expression: headerAbsent(h.name),
    action: "rewrite",
    actionParameters: { headers: { [h.name]: { operation: "set", value: h.value } } },
    enabled: true,
  }));
}
