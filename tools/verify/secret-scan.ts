/**
 * Secrets in public text (a page, a script, a source map), found by secretlint's recommended
 * preset, secretlint's pattern rule for the gaps the preset leaves, and one own detector
 * (Supabase service_role JWTs, which only decoding tells apart from the public anon key):
 * lib/provider-facts/secret-scanning.json says which finds what, and why.
 *
 * A finding never carries the secret: only its kind, where it is, and a fixed-length
 * fingerprint (the first 12 hex digits of its SHA-256) to tell two findings apart.
 */
import { createHash } from "crypto";
import { lintSource } from "@secretlint/core";
import { creator as patternRule } from "@secretlint/secretlint-rule-pattern";
import { creator as presetRule } from "@secretlint/secretlint-rule-preset-recommend";
import { secretScanning } from "../../lib/provider-facts/secret-scanning-facts";

export interface SecretFinding {
  kind: string;
  /** How to rotate it (the provider's page or action). */
  rotate: string;
  /** Offset of the secret in the scanned text. */
  offset: number;
  /** sha256:<12 hex digits> of the secret: never the secret. */
  fingerprint: string;
  /** Which detector found it: a secretlint rule id, or "launch-ready:supabase-jwt". */
  detector: string;
}

export const fingerprint = (value: string): string => `sha256:${createHash("sha256").update(value).digest("hex").slice(0, 12)}`;

/** "/source/flags" as secretlint's regexp-string-matcher writes it, to a RegExp. */
function regexOf(spec: string): RegExp {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(spec);
  if (!m) throw new Error(`secret-scanning.json: pattern ${spec} is not /source/flags`);
  return new RegExp(m[1], m[2].replace("g", ""));
}

const PATTERN_GAPS = secretScanning.gaps.filter((g) => g.detector === "pattern").map((g) => ({ ...g, regex: regexOf(g.pattern!) }));
const SUPABASE_GAP = secretScanning.gaps.find((g) => g.detector === "own")!;

const CONFIG = {
  rules: [
    {
      id: "@secretlint/secretlint-rule-preset-recommend",
      rule: presetRule,
      rules: secretScanning.scanner.options.map((o) => ({ id: o.rule, options: o.options })),
    },
    {
      id: "@secretlint/secretlint-rule-pattern",
      rule: patternRule,
      options: { patterns: PATTERN_GAPS.map((g) => ({ name: g.kind, patterns: [g.pattern!] })) },
    },
  ],
};

/** JWTs whose payload says role service_role (Supabase's legacy secret key). */
function supabaseServiceRoleKeys(text: string): Array<{ offset: number; value: string }> {
  const out: Array<{ offset: number; value: string }> = [];
  for (const m of text.matchAll(/eyJ[A-Za-z0-9_-]{8,}\.(eyJ[A-Za-z0-9_-]{8,})\.[A-Za-z0-9_-]{16,}/g)) {
    try {
      const payload = JSON.parse(Buffer.from(m[1], "base64url").toString("utf8")) as { role?: unknown };
      if (payload.role === "service_role") out.push({ offset: m.index ?? 0, value: m[0] });
    } catch {
      // not a JSON payload: not a JWT
    }
  }
  return out;
}

/** Every secret in `content`; one finding per place, the preset's rule winning where a gap rule found the same. */
export async function scanText(filePath: string, content: string): Promise<SecretFinding[]> {
  const result = await lintSource({ source: { filePath, content, contentType: "text" }, options: { config: CONFIG, maskSecrets: true } });
  const found: Array<SecretFinding & { end: number }> = [];
  // The preset's own rules first, so that a gap rule's match on the same text is dropped as a duplicate.
  const messages = [...result.messages].sort(
    (a, b) => Number(a.ruleId === "@secretlint/secretlint-rule-pattern") - Number(b.ruleId === "@secretlint/secretlint-rule-pattern"),
  );
  for (const m of messages) {
    const [start, end] = m.range;
    const value = content.slice(start, end);
    let kind: string;
    let rotate: string;
    if (m.ruleId === "@secretlint/secretlint-rule-pattern") {
      const gap = PATTERN_GAPS.find((g) => g.regex.test(value));
      kind = gap?.kind ?? "secret";
      rotate = gap?.rotate ?? "rotate it at its provider";
    } else {
      const known = secretScanning.kinds.find((k) => k.ruleId === m.ruleId && k.messageId === m.messageId);
      kind = known?.kind ?? `${m.ruleId.replace("@secretlint/secretlint-rule-", "")} secret`;
      rotate = known?.rotate ?? "rotate it at its provider";
    }
    // The same secret found twice (the preset's rule and a gap rule): once. (Different kinds may overlap: a
    // database URL's match can run on past the closing quote over the next string.)
    if (found.some((f) => f.kind === kind && start < f.end && end > f.offset)) continue;
    found.push({ kind, rotate, offset: start, end, fingerprint: fingerprint(value), detector: m.ruleId });
  }
  for (const k of supabaseServiceRoleKeys(content)) {
    found.push({
      kind: SUPABASE_GAP.kind,
      rotate: SUPABASE_GAP.rotate,
      offset: k.offset,
      end: k.offset + k.value.length,
      fingerprint: fingerprint(k.value),
      detector: "launch-ready:supabase-jwt",
    });
  }
  return found.sort((a, b) => a.offset - b.offset).map(({ end: _end, ...f }) => f);
}
