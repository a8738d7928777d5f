/**
 * Builders for Cloudflare Rules language expressions. Only functions available on
 * every plan are used (no `matches`), so the same expressions work on Free.
 */

/** A Rules-language string literal. */
export function quote(value: string): string {
  return `"${value.replace(/(["\\])/g, "\\$1")}"`;
}

const PATH = "http.request.uri.path";

/**
 * Matches the given paths: "/api/" covers everything below /api/; "/login" covers
 * /login itself and everything below /login/.
 */
export function pathCondition(paths: readonly string[]): string {
  const terms: string[] = [];
  const exact: string[] = [];
  for (const p of [...new Set(paths)]) {
    if (p.endsWith("/")) {
      terms.push(`starts_with(${PATH}, ${quote(p)})`);
    } else {
      exact.push(p);
      terms.push(`starts_with(${PATH}, ${quote(`${p}/`)})`);
    }
  }
  if (exact.length === 1) terms.unshift(`${PATH} eq ${quote(exact[0])}`);
  if (exact.length > 1) terms.unshift(`${PATH} in {${exact.map(quote).join(" ")}}`);
  return terms.length === 1 ? terms[0] : `(${terms.join(" or ")})`;
}

export function extensionCondition(extensions: readonly string[]): string {
  return `${PATH}.extension in {${[...new Set(extensions)].map(quote).join(" ")}}`;
}

export function hostCondition(host: string): string {
  return `http.host eq ${quote(host)}`;
}

/**
 * True when the request carries credentials a shared cache must never see.
 * `http.request.headers.names` keeps the client's case (HTTP/1.1 clients send
 * "Authorization"), so the names are lowered before comparing (engine.json
 * cloudflare.headerNamesKeepCase).
 */
export const HAS_AUTHORIZATION = `any(lower(http.request.headers.names[*])[*] eq "authorization")`;

export function ipNotIn(ips: readonly string[]): string {
  return `not ip.src in {${ips.join(" ")}}`;
}

export function and(...terms: string[]): string {
  return terms.map((t) => (needsParens(t) ? `(${t})` : t)).join(" and ");
}

export function or(...terms: string[]): string {
  return `(${terms.join(" or ")})`;
}

export function not(term: string): string {
  return `not ${needsParens(term) ? `(${term})` : term}`;
}

function needsParens(term: string): boolean {
  return / or | and /.test(term) && !isWrapped(term);
}

/** True when the first "(" closes at the very end, i.e. the whole term is parenthesised. */
function isWrapped(term: string): boolean {
  if (!term.startsWith("(")) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < term.length; i++) {
    const c = term[i];
    if (c === '"' && term[i - 1] !== "\\") inString = !inString;
    if (inString) continue;
    if (c === "(") depth++;
    if (c === ")") depth--;
    if (depth === 0) return i === term.length - 1;
  }
  return false;
}
