/** A CAA record's parts (RFC 8659 section 4) and the text form Cloudflare shows: `0 issue "letsencrypt.org"`. */
export interface CaaParts {
  flags: number;
  tag: string;
  value: string;
}

export function caaText(p: CaaParts): string {
  return `${p.flags} ${p.tag} "${p.value}"`;
}

/** The parts of `0 issue "letsencrypt.org"` (the tag lower-cased, the value unquoted); undefined when it is not that shape. */
export function parseCaaText(text: string): CaaParts | undefined {
  const m = /^\s*(\d+)\s+(\w+)\s+"?([^"]*)"?\s*$/.exec(text);
  return m ? { flags: Number(m[1]), tag: m[2].toLowerCase(), value: m[3] } : undefined;
}
