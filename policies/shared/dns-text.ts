/**
 * DNS record text, in one place: TXT values as Cloudflare stores them (quoted strings of at most
 * 255 bytes) and as people write them, CAA records as parts and as text, and the one comparable
 * form of a record's content that the plan, adopt, verify and the pack compare records by.
 */

/** Cloudflare and dig show TXT content quoted, possibly split into several strings: the value they carry. */
export function unquoteTxt(txt: string): string {
  const trimmed = txt.trim();
  if (!trimmed.startsWith('"')) return trimmed;
  const parts = trimmed.match(/"((?:[^"\\]|\\.)*)"/g) ?? [];
  return parts.map((p) => p.slice(1, -1).replace(/\\(.)/g, "$1")).join("");
}

/**
 * A TXT value as Cloudflare requires it: quoted character strings of at most 255 bytes
 * each. A value already given quoted (as providers often show DKIM keys) is taken apart first.
 */
export function txtContent(value: string): string {
  const text = unquoteTxt(value);
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += 255) chunks.push(text.slice(i, i + 255));
  return chunks.map((c) => `"${c.replace(/(["\\])/g, "\\$1")}"`).join(" ");
}

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

/** A host name as DNS compares it: case-insensitive, with or without the root's dot. */
export function normName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}

/**
 * A record's content in the one form two records are compared by: TXT unquoted and joined, CAA as
 * `flags tag "value"` (only the issuer-critical bit of the flags counts, RFC 8659), host names
 * case-folded without the root's dot, MX with its priority when given, addresses lower-cased.
 */
export function comparableContent(
  type: string,
  content: string | undefined,
  extra: { data?: { flags?: number | string; tag?: string; value?: string }; priority?: number } = {},
): string {
  const t = type.toUpperCase();
  const text = content ?? "";
  switch (t) {
    case "TXT":
      return unquoteTxt(text);
    case "CAA": {
      const d = extra.data;
      const parts = d?.tag ? { flags: Number(d.flags ?? 0), tag: d.tag.toLowerCase(), value: d.value ?? "" } : parseCaaText(text);
      return parts ? caaText({ ...parts, flags: parts.flags & 128 ? 128 : 0 }) : text.trim();
    }
    case "MX":
      return extra.priority === undefined ? normName(text) : `${extra.priority} ${normName(text)}`;
    case "CNAME":
    case "NS":
      return normName(text);
    default:
      return text.trim().toLowerCase();
  }
}
