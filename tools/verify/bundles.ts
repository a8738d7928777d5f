/**
 * The client-bundle scan (`--only bundles`): the canonical page and each app host's page, the
 * same-origin scripts they load (Next.js `_next/static/...`, Vite `assets/...`, module preloads)
 * and the source maps those scripts name, scanned for secrets (secret-scan.ts). Everything a
 * browser downloads is public: a key in it is leaked already, so the fix is rotate first.
 *
 * Bounded in files, bytes and time (options with defaults); what the bounds cut off is reported,
 * never taken as clean. A finding names the file, the kind and a fingerprint: never the secret.
 */
import type { DomainMap } from "../../lib/domain-map";
import { followRedirects } from "./http-checks";
import type { HttpResponse, Net } from "./net";
import { makeRow, type Fix } from "./row";
import { scanText, type SecretFinding } from "./secret-scan";
import type { CheckResult, Status } from "./types";

export interface BundleLimits {
  /** Scripts and source maps fetched, pages not counted. */
  maxFiles: number;
  /** Bytes read over the whole scan, pages included; a file cut by it is scanned as far as it was read. */
  maxBytes: number;
  /** The whole scan, ms. */
  timeMs: number;
}

export const DEFAULT_BUNDLE_LIMITS: BundleLimits = { maxFiles: 60, maxBytes: 20 * 1024 * 1024, timeMs: 30_000 };

const row = (id: string, target: string, status: Status, detail: string, fix?: Fix, data?: Record<string, unknown>): CheckResult =>
  makeRow({ id, check: "Client bundle secrets", target, status, detail, fix, data });

/** The pages a visitor's browser loads: the canonical origin and each app subdomain (an api.* host serves no page). */
export function bundlePages(map: DomainMap): string[] {
  const canonical = new URL(map.canonicalOrigin || `https://${map.canonicalHost}`);
  const pages = [`${canonical.origin}/`];
  for (const h of map.hosts) {
    if (h.role !== "subdomain" || h.hostname === canonical.hostname || h.hostname.startsWith("api.")) continue;
    pages.push(`https://${h.hostname}/`);
  }
  return [...new Set(pages)];
}

const attr = (tag: string, name: string) =>
  new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i")
    .exec(tag)
    ?.slice(1)
    .find((v) => v !== undefined);

/** Script URLs a page loads: <script src>, and <link rel=modulepreload|preload as=script href>. */
export function scriptUrls(html: string, base: string): string[] {
  const urls: string[] = [];
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attr(tag, "src");
    if (src) urls.push(src);
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = (attr(tag, "rel") ?? "").toLowerCase().split(/\s+/);
    const href = attr(tag, "href");
    if (href && (rel.includes("modulepreload") || (rel.includes("preload") && (attr(tag, "as") ?? "").toLowerCase() === "script"))) urls.push(href);
  }
  return urls.flatMap((u) => {
    try {
      return [new URL(u.replace(/&amp;/g, "&"), base).toString()];
    } catch {
      return [];
    }
  });
}

/** The source map a script names: its last sourceMappingURL comment, or the SourceMap header. */
export function sourceMapUrl(js: string, res: HttpResponse): string | undefined {
  const header = res.headers.sourcemap ?? res.headers["x-sourcemap"];
  const named = [...js.matchAll(/\/\/[#@]\s*sourceMappingURL=([^\s'"]+)/g)].at(-1)?.[1] ?? (Array.isArray(header) ? header[0] : header);
  if (!named) return undefined;
  try {
    return new URL(named, res.url).toString();
  } catch {
    return undefined;
  }
}

/**
 * A source map is scanned as the original files it carries (sourcesContent, decoded from the map's
 * JSON: a string escaped once more inside the map would hide a secret from the rules), plus the map
 * itself; a map that is not JSON is scanned as text.
 */
async function scanSourceOrMap(url: string, text: string, what: Scanned["what"]): Promise<SecretFinding[]> {
  const whole = await scanText(url, text);
  if (what !== "source map") return whole;
  let sources: unknown;
  try {
    sources = (JSON.parse(text) as { sourcesContent?: unknown }).sourcesContent;
  } catch {
    return whole;
  }
  if (!Array.isArray(sources)) return whole;
  const inside = (await Promise.all(sources.map((s) => (typeof s === "string" ? scanText(url, s) : [])))).flat();
  const known = new Set(whole.map((f) => `${f.kind} ${f.fingerprint}`));
  return [...whole, ...inside.filter((f) => !known.has(`${f.kind} ${f.fingerprint}`))];
}

interface Scanned {
  url: string;
  what: "page" | "script" | "source map";
  bytes: number;
  cut: boolean;
  findings: SecretFinding[];
}

export async function checkBundles(net: Net, pages: readonly string[], limits: BundleLimits = DEFAULT_BUNDLE_LIMITS): Promise<CheckResult[]> {
  const started = Date.now();
  const left = () => limits.timeMs - (Date.now() - started);
  const scanned: Scanned[] = [];
  const rows: CheckResult[] = [];
  const notScanned = { files: 0, otherOrigin: 0, stoppedBy: new Set<string>() };
  let bytes = 0;
  let files = 0;
  const seen = new Set<string>();

  /** One bounded fetch and scan; undefined when a bound stops it first or the fetch fails. */
  const fetchAndScan = async (url: string, what: Scanned["what"]): Promise<{ text: string; res: HttpResponse } | undefined> => {
    const bound =
      what !== "page" && files >= limits.maxFiles
        ? `--bundle-max-files ${limits.maxFiles}`
        : bytes >= limits.maxBytes
          ? `--bundle-max-bytes ${limits.maxBytes}`
          : left() <= 0
            ? `--bundle-time ${Math.round(limits.timeMs / 1000)}`
            : undefined;
    if (bound) {
      notScanned.stoppedBy.add(bound);
      notScanned.files++;
      return undefined;
    }
    if (what !== "page") files++;
    let res: HttpResponse;
    try {
      res = await net.request(url, { maxBodyBytes: limits.maxBytes - bytes, timeoutMs: Math.max(50, Math.min(net.timeoutMs, left())) });
    } catch (err) {
      rows.push(
        row(
          "bundle.fetch",
          url,
          "warn",
          `the ${what} could not be fetched, so it was not scanned: ${(err as Error).message}`,
          "make it answer, then re-run verify",
        ),
      );
      return undefined;
    }
    if (res.status >= 400) {
      if (what !== "source map")
        rows.push(row("bundle.fetch", url, "warn", `the ${what} answered ${res.status}, so it was not scanned`, "check the URL the page names"));
      return undefined;
    }
    bytes += res.bodyBytes;
    const text = res.body;
    scanned.push({ url, what, bytes: res.bodyBytes, cut: !!res.bodyCut, findings: await scanSourceOrMap(url, text, what) });
    return { text, res };
  };

  for (const page of pages) {
    const chain = await followRedirects(net, page);
    const final = chain.final;
    if (!final) {
      rows.push(
        row(
          "bundle.fetch",
          page,
          "warn",
          `the page could not be fetched, so its scripts were not scanned: ${chain.error ?? "redirect loop"}`,
          "make the page answer, then re-run verify",
        ),
      );
      continue;
    }
    const pageUrl = final.url;
    if (seen.has(pageUrl)) continue;
    seen.add(pageUrl);
    const got = await fetchAndScan(pageUrl, "page");
    if (!got) continue;
    const origin = new URL(pageUrl).origin;
    for (const script of scriptUrls(got.text, pageUrl)) {
      if (seen.has(script)) continue;
      seen.add(script);
      if (new URL(script).origin !== origin) {
        notScanned.otherOrigin++;
        continue;
      }
      const js = await fetchAndScan(script, "script");
      const map = js && sourceMapUrl(js.text, js.res);
      if (!map || seen.has(map)) continue;
      seen.add(map);
      if (map.startsWith("data:")) {
        // An inline map: its sourcesContent is base64 in the script, which the scan of the script does not read.
        const b64 = /^data:[^,]*;base64,(.*)$/s.exec(map)?.[1];
        if (b64) {
          const text = Buffer.from(b64, "base64").toString("utf8");
          scanned.push({
            url: `${script} (inline source map)`,
            what: "source map",
            bytes: text.length,
            cut: false,
            findings: await scanSourceOrMap(script, text, "source map"),
          });
        }
      } else if (new URL(map).origin === origin) await fetchAndScan(map, "source map");
    }
  }

  for (const s of scanned) {
    for (const f of s.findings) {
      rows.push(
        row(
          "bundle.secret",
          s.url,
          "fail",
          `${/^[AEIOU]/.test(f.kind) ? "an" : "a"} ${f.kind} in this ${s.what}, at offset ${f.offset} (${f.fingerprint}): every visitor's browser downloads it, so it is public already`,
          `${f.rotate} first (it has leaked), then move it to a server-side environment variable (no NEXT_PUBLIC_ or VITE_ prefix) and call the API from a server route`,
          { kind: f.kind, fingerprint: f.fingerprint, offset: f.offset, detector: f.detector, file: s.what },
        ),
      );
    }
  }
  const counts = (w: Scanned["what"]) => scanned.filter((s) => s.what === w).length;
  const totals = {
    pages: counts("page"),
    scripts: counts("script"),
    sourceMaps: counts("source map"),
    bytes,
    otherOriginScripts: notScanned.otherOrigin,
    notScanned: notScanned.files,
    cut: scanned.filter((s) => s.cut).map((s) => s.url),
  };
  const what = `${totals.pages} page${totals.pages === 1 ? "" : "s"}, ${totals.scripts} script${totals.scripts === 1 ? "" : "s"} and ${totals.sourceMaps} source map${totals.sourceMaps === 1 ? "" : "s"} (${bytes} bytes)${totals.otherOriginScripts ? `; ${totals.otherOriginScripts} script${totals.otherOriginScripts === 1 ? "" : "s"} on other origins not fetched` : ""}`;
  if (notScanned.files || totals.cut.length)
    rows.push(
      row(
        "bundle.limit",
        pages[0],
        "warn",
        `scanned ${what}; ${notScanned.files ? `${notScanned.files} file${notScanned.files === 1 ? "" : "s"} not scanned (stopped by ${[...notScanned.stoppedBy].join(", ")})` : ""}${notScanned.files && totals.cut.length ? "; " : ""}${totals.cut.length ? `${totals.cut.length} read only in part` : ""}: what was not read is not known to be clean`,
        "raise --bundle-max-files, --bundle-max-bytes or --bundle-time to scan the rest",
        totals,
      ),
    );
  if (!rows.some((r) => r.id === "bundle.secret")) rows.push(row("bundle.scan", pages[0], "pass", `scanned ${what}: no secret found`, undefined, totals));
  return rows;
}
