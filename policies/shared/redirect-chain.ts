/**
 * The redirect chain the minimum bar asks for, and one judge of an observed (verify)
 * or simulated (policy pack) chain against it:
 * - `https://` on the twin reaches the canonical URL in one 301/308;
 * - `http://` goes to `https://` on the same host first (HSTS preload and HTTP
 *   Observatory require it), then to the canonical URL: at most two hops;
 * - path and query are kept; never a loop.
 */

export interface ChainHop {
  url: string;
  status: number;
  location?: string;
}

export interface ChainVerdict {
  status: "pass" | "warn" | "fail";
  detail: string;
  /** What to change, when not passing. */
  fix?: string;
}

const PERMANENT = new Set([301, 308]);

/** The URLs a request to `start` must be sent to, in order, ending at the canonical origin (path and query kept). */
export function requiredChain(start: string, canonicalOrigin: string): string[] {
  const from = new URL(start);
  const canonical = new URL(canonicalOrigin);
  const tail = `${from.pathname}${from.search}`;
  const out: string[] = [];
  if (from.protocol === "http:") out.push(`https://${from.host}${tail}`);
  if (from.host !== canonical.host) out.push(`${canonical.origin}${tail}`);
  return out;
}

const show = (start: string, hops: readonly ChainHop[]) => [start, ...hops.map((h) => `${h.location ?? "(no Location)"} (${h.status})`)].join(" -> ");

/**
 * Judges the hops taken from `start` (each hop's response status and Location) against
 * the required chain to `canonicalOrigin`. `loop` is the URL that came round again, if any.
 */
export function judgeChain(start: string, canonicalOrigin: string, hops: readonly ChainHop[], loop?: string): ChainVerdict {
  const want = requiredChain(start, canonicalOrigin);
  const seen = show(start, hops);
  const host = new URL(start).host;
  const fix =
    new URL(start).protocol === "http:"
      ? `answer http://${host} with a 301 to https://${host} (same path) first${want.length > 1 ? `, and https://${host} with one 301 to ${new URL(canonicalOrigin).origin} keeping path and query (a Cloudflare redirect rule matching only https requests: \`and ssl\`)` : ""}`
      : `answer https://${host} with one 301 straight to ${new URL(canonicalOrigin).origin}, keeping path and query`;
  if (loop)
    return {
      status: "fail",
      detail: `redirect loop: ${seen} comes back to ${loop}`,
      fix: `${fix}; make sure the origin (e.g. Vercel domain settings) does not redirect back while Cloudflare redirects forward`,
    };
  if (want.length === 0) return { status: "pass", detail: "is the canonical origin" };
  if (hops.length === 0 || !hops[0].location)
    return { status: "fail", detail: hops.length ? `answers ${hops[0].status} without redirecting` : "does not redirect", fix };
  const got = hops.map((h) => h.location!);
  if (got.length > 2) return { status: "fail", detail: `${got.length} hops (at most 2): ${seen}`, fix };
  if (want.length === 2 && got[0] !== want[0]) {
    const first = new URL(got[0], start);
    if (first.host !== host || first.protocol !== "https:") {
      return { status: "fail", detail: `skips https on ${host}: ${seen} (http:// must go to https://${host} first; HSTS preload requires it)`, fix };
    }
  }
  for (let i = 0; i < got.length; i++) {
    const expected = want[i];
    if (got[i] === expected) continue;
    const g = new URL(got[i], start);
    const e = expected ? new URL(expected) : undefined;
    if (e && g.origin === e.origin)
      return {
        status: "fail",
        detail: `path or query is dropped: ${seen} (expected ${expected})`,
        fix: `${fix}; the redirect must keep the request path and query string`,
      };
    return { status: "fail", detail: `${seen} does not follow ${[start, ...want].join(" -> ")}`, fix };
  }
  if (got.length < want.length) return { status: "fail", detail: `stops at ${got.at(-1)}: ${seen} (expected ${[start, ...want].join(" -> ")})`, fix };
  const temporary = hops.find((h) => !PERMANENT.has(h.status));
  if (temporary)
    return { status: "warn", detail: `${temporary.status} is temporary: ${seen}`, fix: "use 301 (or 308) so browsers and search engines remember it" };
  return { status: "pass", detail: `${hops.map((h) => h.status).join(", ")}: ${seen}` };
}
