// Vercel's documented DNS targets for a custom domain, shared by the program (lib/dns/records.ts) and the pack.
/** An A record for an apex, a CNAME for a subdomain. */
export const VERCEL_APEX_A = "76.76.21.21";
export const VERCEL_CNAME = "cname.vercel-dns.com";

/** A record content that points at Vercel: its apex address or a *.vercel-dns.com name. */
export function pointsAtVercel(content: unknown): boolean {
  if (typeof content !== "string") return false;
  const c = content.trim().toLowerCase().replace(/\.$/, "");
  return c === VERCEL_APEX_A || c === "vercel-dns.com" || c.endsWith(".vercel-dns.com");
}
