/**
 * What a rate-limit rule's description says about the limits it was built from. Where the
 * zone's plan cannot give every configured limit its own rule or period, the program writes
 * each member's configured rate into the rule's description ("[configured per IP: login 5/60s;
 * chat 20/60s, kept on Business]"); the pack reads it back to judge how much looser the rule
 * is than what the founder asked for. A rule without it counts at its configured rate.
 */
export interface ConfiguredRate {
  /** The rate limit's name in Launch Ready config edge.rateLimits, e.g. "login". */
  name: string;
  requests: number;
  periodSeconds: number;
  /** The first plan on which this limit gets its configured rate back, e.g. "Business". */
  keptOn?: string;
  /**
   * The plan has no rule left for this limit (Free: one rule, kept for login and signup): its
   * routes are not rate limited at all. Its paths are named so the pack knows which routes.
   */
  unlimitedPaths?: string[];
}

/** A route limited more than this many times looser than configured is reported (advisory). */
export const MAX_LOOSENING = 2;

const OPEN = "[configured per IP: ";

export function configuredRatesText(rates: readonly ConfiguredRate[]): string {
  const item = (r: ConfiguredRate) =>
    `${r.name} ${r.requests}/${r.periodSeconds}s${r.unlimitedPaths ? ` not limited at ${r.unlimitedPaths.join(" ")}` : ""}${r.keptOn ? `, kept on ${r.keptOn}` : ""}`;
  return `${OPEN}${rates.map(item).join("; ")}]`;
}

/** The configured rates a rule's description carries; empty when it carries none. */
export function parseConfiguredRates(description: string): ConfiguredRate[] {
  const start = description.indexOf(OPEN);
  const end = start < 0 ? -1 : description.indexOf("]", start);
  if (end < 0) return [];
  return description
    .slice(start + OPEN.length, end)
    .split("; ")
    .flatMap((item) => {
      // Paths have no spaces and no "]" (Launch Ready config edge.rateLimits[].paths), so they are listed bare, space-separated.
      const m = /^([a-z][a-z0-9-]*) (\d+)\/(\d+)s(?: not limited at (\/\S*(?: \/\S*)*?))?(?:, kept on (.+))?$/.exec(item);
      return m
        ? [
            {
              name: m[1],
              requests: Number(m[2]),
              periodSeconds: Number(m[3]),
              ...(m[4] !== undefined ? { unlimitedPaths: m[4].split(" ").filter(Boolean) } : {}),
              ...(m[5] ? { keptOn: m[5] } : {}),
            },
          ]
        : [];
    });
}

/** How many times looser `effective` lets a client through than `configured` (requests per second over requests per second). */
export function loosening(configured: { requests: number; periodSeconds: number }, effective: { requests: number; periodSeconds: number }): number {
  return effective.requests / effective.periodSeconds / (configured.requests / configured.periodSeconds);
}
