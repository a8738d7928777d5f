/**
 * CORS on the API: a preflight from each approved origin is allowed with that exact
 * origin, and an unapproved origin (and "null") gets no Access-Control-Allow-Origin.
 */
import type { DomainMap } from "../../lib/domain-map";
import type { Net } from "./net";
import { makeRow } from "./row";
import type { CheckResult } from "./types";

export const UNAPPROVED_ORIGINS = ["https://launch-ready-verify.invalid", "null"];

/** API URLs in the map: hosts named api.*, and monitors on api.* hosts or /api paths. */
export function apiEndpoints(map: DomainMap): string[] {
  const urls = new Set<string>();
  for (const m of map.monitors) {
    const u = new URL(m.url);
    if (u.hostname.startsWith("api.") || u.pathname.startsWith("/api")) urls.add(u.toString());
  }
  const covered = new Set([...urls].map((u) => new URL(u).host));
  for (const h of map.hosts) {
    if (h.hostname.startsWith("api.") && !covered.has(h.hostname)) urls.add(`https://${h.hostname}/`);
  }
  return [...urls];
}

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(", ") : v);

async function preflight(net: Net, url: string, origin: string) {
  const res = await net.request(url, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" },
    maxBodyBytes: 1024,
  });
  return {
    status: res.status,
    allowOrigin: header(res.headers["access-control-allow-origin"]),
    credentials: header(res.headers["access-control-allow-credentials"]),
  };
}

export async function checkCors(net: Net, url: string, approved: readonly string[]): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const denied = { id: "cors.denied", check: "CORS rejects other origins", target: url };
  const allowed = { id: "cors.allowed", check: "CORS approved origin", target: url };
  const fixList = `allow exactly ${approved.length ? approved.join(", ") : "your app's origins"} in the API's CORS configuration (the stack's apiCorsOrigins), echoing the request Origin only when it is on that list`;
  for (const origin of approved) {
    try {
      const r = await preflight(net, url, origin);
      if (r.allowOrigin === origin) out.push(makeRow({ ...allowed, status: "pass", detail: `${origin}: allowed (preflight ${r.status})` }));
      else if (r.allowOrigin === "*")
        out.push(
          makeRow({
            ...allowed,
            status: "fail",
            detail: `${origin}: answered "Access-Control-Allow-Origin: *", which allows every site`,
            fix: fixList,
            data: r,
          }),
        );
      else
        out.push(
          makeRow({
            ...allowed,
            status: "fail",
            detail: `${origin}: not allowed (preflight ${r.status}, Access-Control-Allow-Origin ${r.allowOrigin ? `"${r.allowOrigin}"` : "absent"}), so the app's browser calls fail`,
            fix: `add ${origin} to the API's allowed origins`,
            data: r,
          }),
        );
    } catch (err) {
      out.push(
        makeRow({ ...allowed, status: "fail", detail: `${origin}: ${(err as Error).message}`, fix: "make the API answer preflight (OPTIONS) requests" }),
      );
    }
  }
  const leaks: string[] = [];
  const errors: string[] = [];
  for (const origin of UNAPPROVED_ORIGINS) {
    try {
      const r = await preflight(net, url, origin);
      if (r.allowOrigin === "*" || (r.allowOrigin && r.allowOrigin === origin)) {
        leaks.push(`${origin} -> "Access-Control-Allow-Origin: ${r.allowOrigin}"${r.credentials === "true" ? " with credentials" : ""}`);
      }
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  if (leaks.length) {
    out.push(
      makeRow({
        ...denied,
        status: "fail",
        detail: `unapproved origins are allowed: ${leaks.join("; ")}`,
        fix: `stop reflecting any Origin or sending "*": ${fixList}`,
      }),
    );
  } else if (errors.length) {
    out.push(makeRow({ ...denied, status: "fail", detail: errors[0], fix: "make the API answer preflight (OPTIONS) requests" }));
  } else {
    out.push(makeRow({ ...denied, status: "pass", detail: `${UNAPPROVED_ORIGINS.join(" and ")} get no Access-Control-Allow-Origin` }));
  }
  return out;
}
