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
import { makeRow } from "./row";
import { scanText, type SecretFinding } from "./secret-scan";
import type { CheckResult } from "./types";

/** Every row of the scan is one check. */
const CHECK = "Client bundle secrets";

export interface BundleLimits {
  /** Scripts and source maps fetched, pages not counted. */
  maxFiles: number;
  /** Bytes read over the whole scan, pages included; a file cut by it is scanned as far as it was read. */
  maxBytes: number;
  /** The whole scan, ms. */
  timeMs: number;
}

export const DEFAULT_BUNDLE_LIMITS: BundleLimits = { maxFiles: 60, maxBytes: 20 * 1024 * 1024, timeMs: 30_000 };

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
  const scan = new BundleScan(net, limits);
  for (const page of pages) await scan.page(page);
  const rows = [...scan.rows, ...secretRows(scan.scanned)];
  const totals = scan.totals();
  const what = scannedText(totals);
  const limit = limitRow(pages[0], what, totals, scan.notScanned);
  if (limit) rows.push(limit);
  if (!rows.some((r) => r.id === "bundle.secret"))
    rows.push(
      makeRow({
        id: "bundle.scan",
        check: CHECK,
        target: pages[0],
        status: "pass",
        detail: `scanned ${what}: no secret found`,
        data: totals,
      }),
    );
  return rows;
}

// A type, not an interface: it is the rows' data (a Record).
type ScanTotals = {
  pages: number;
  scripts: number;
  sourceMaps: number;
  bytes: number;
  otherOriginScripts: number;
  notScanned: number;
  cut: string[];
};

/** One scan's state: the files read and their findings, the bounds spent so far, the fetch warnings. */
class BundleScan {
  readonly scanned: Scanned[] = [];
  readonly rows: CheckResult[] = [];
  readonly notScanned = { files: 0, otherOrigin: 0, stoppedBy: new Set<string>() };
  private bytes = 0;
  private files = 0;
  private readonly seen = new Set<string>();
  private readonly started = Date.now();

  constructor(
    private readonly net: Net,
    private readonly limits: BundleLimits,
  ) {}

  private left(): number {
    return this.limits.timeMs - (Date.now() - this.started);
  }

  /** The option whose bound is reached before this file, if one is (pages do not count against --bundle-max-files). */
  private boundBefore(what: Scanned["what"]): string | undefined {
    const { limits } = this;
    if (what !== "page" && this.files >= limits.maxFiles) return `--bundle-max-files ${limits.maxFiles}`;
    if (this.bytes >= limits.maxBytes) return `--bundle-max-bytes ${limits.maxBytes}`;
    if (this.left() <= 0) return `--bundle-time ${Math.round(limits.timeMs / 1000)}`;
    return undefined;
  }

  /** One bounded fetch and scan; undefined when a bound stops it first or the fetch fails. */
  private async fetchAndScan(url: string, what: Scanned["what"]): Promise<{ text: string; res: HttpResponse } | undefined> {
    const fetchRow = { id: "bundle.fetch", check: CHECK, target: url };
    const bound = this.boundBefore(what);
    if (bound) {
      this.notScanned.stoppedBy.add(bound);
      this.notScanned.files++;
      return undefined;
    }
    if (what !== "page") this.files++;
    let res: HttpResponse;
    try {
      res = await this.net.request(url, {
        maxBodyBytes: this.limits.maxBytes - this.bytes,
        timeoutMs: Math.max(50, Math.min(this.net.timeoutMs, this.left())),
      });
    } catch (err) {
      this.rows.push(
        makeRow({
          ...fetchRow,
          status: "warn",
          detail: `the ${what} could not be fetched, so it was not scanned: ${(err as Error).message}`,
          fix: "make it answer, then re-run verify",
        }),
      );
      return undefined;
    }
    if (res.status >= 400) {
      if (what !== "source map")
        this.rows.push(
          makeRow({ ...fetchRow, status: "warn", detail: `the ${what} answered ${res.status}, so it was not scanned`, fix: "check the URL the page names" }),
        );
      return undefined;
    }
    this.bytes += res.bodyBytes;
    const text = res.body;
    this.scanned.push({ url, what, bytes: res.bodyBytes, cut: !!res.bodyCut, findings: await scanSourceOrMap(url, text, what) });
    return { text, res };
  }

  /** A page (after its redirects, once per final URL) and the same-origin scripts it loads. */
  async page(page: string): Promise<void> {
    const chain = await followRedirects(this.net, page);
    const final = chain.final;
    if (!final) {
      this.rows.push(
        makeRow({
          id: "bundle.fetch",
          check: CHECK,
          target: page,
          status: "warn",
          detail: `the page could not be fetched, so its scripts were not scanned: ${chain.error ?? "redirect loop"}`,
          fix: "make the page answer, then re-run verify",
        }),
      );
      return;
    }
    const pageUrl = final.url;
    if (this.seen.has(pageUrl)) return;
    this.seen.add(pageUrl);
    const got = await this.fetchAndScan(pageUrl, "page");
    if (!got) return;
    const origin = new URL(pageUrl).origin;
    for (const script of scriptUrls(got.text, pageUrl)) {
      if (this.seen.has(script)) continue;
      this.seen.add(script);
      if (new URL(script).origin !== origin) {
        this.notScanned.otherOrigin++;
        continue;
      }
      await this.script(script, origin);
    }
  }

  /** A script and the source map it names (inline, or fetched when on the page's origin). */
  private async script(script: string, origin: string): Promise<void> {
    const js = await this.fetchAndScan(script, "script");
    const map = js && sourceMapUrl(js.text, js.res);
    if (!map || this.seen.has(map)) return;
    this.seen.add(map);
    if (map.startsWith("data:")) await this.inlineSourceMap(script, map);
    else if (new URL(map).origin === origin) await this.fetchAndScan(map, "source map");
  }

  /** An inline map: its sourcesContent is base64 in the script, which the scan of the script does not read. */
  private async inlineSourceMap(script: string, map: string): Promise<void> {
    const b64 = /^data:[^,]*;base64,(.*)$/s.exec(map)?.[1];
    if (!b64) return;
    const text = Buffer.from(b64, "base64").toString("utf8");
    this.scanned.push({
      url: `${script} (inline source map)`,
      what: "source map",
      bytes: text.length,
      cut: false,
      findings: await scanSourceOrMap(script, text, "source map"),
    });
  }

  totals(): ScanTotals {
    const counts = (w: Scanned["what"]) => this.scanned.filter((s) => s.what === w).length;
    return {
      pages: counts("page"),
      scripts: counts("script"),
      sourceMaps: counts("source map"),
      bytes: this.bytes,
      otherOriginScripts: this.notScanned.otherOrigin,
      notScanned: this.notScanned.files,
      cut: this.scanned.filter((s) => s.cut).map((s) => s.url),
    };
  }
}

/** One failing row per secret found: the file, the kind, a fingerprint, never the value. */
function secretRows(scanned: readonly Scanned[]): CheckResult[] {
  return scanned.flatMap((s) =>
    s.findings.map((f) =>
      makeRow({
        id: "bundle.secret",
        check: CHECK,
        target: s.url,
        status: "fail",
        detail: `${/^[AEIOU]/.test(f.kind) ? "an" : "a"} ${f.kind} in this ${s.what}, at offset ${f.offset} (${f.fingerprint}): every visitor's browser downloads it, so it is public already`,
        fix: `${f.rotate} first (it has leaked), then move it to a server-side environment variable (no NEXT_PUBLIC_ or VITE_ prefix) and call the API from a server route`,
        data: { kind: f.kind, fingerprint: f.fingerprint, offset: f.offset, detector: f.detector, file: s.what },
      }),
    ),
  );
}

/** "2 pages, 5 scripts and 1 source map (1234 bytes)", with the scripts left on other origins. */
function scannedText(totals: ScanTotals): string {
  return `${totals.pages} page${totals.pages === 1 ? "" : "s"}, ${totals.scripts} script${totals.scripts === 1 ? "" : "s"} and ${totals.sourceMaps} source map${totals.sourceMaps === 1 ? "" : "s"} (${totals.bytes} bytes)${totals.otherOriginScripts ? `; ${totals.otherOriginScripts} script${totals.otherOriginScripts === 1 ? "" : "s"} on other origins not fetched` : ""}`;
}

/** What the bounds cut off, as a warning: never taken as clean. Undefined when nothing was. */
function limitRow(target: string, what: string, totals: ScanTotals, notScanned: BundleScan["notScanned"]): CheckResult | undefined {
  if (!notScanned.files && !totals.cut.length) return undefined;
  return makeRow({
    id: "bundle.limit",
    check: CHECK,
    target,
    status: "warn",
    detail: `scanned ${what}; ${notScanned.files ? `${notScanned.files} file${notScanned.files === 1 ? "" : "s"} not scanned (stopped by ${[...notScanned.stoppedBy].join(", ")})` : ""}${notScanned.files && totals.cut.length ? "; " : ""}${totals.cut.length ? `${totals.cut.length} read only in part` : ""}: what was not read is not known to be clean`,
    fix: "raise --bundle-max-files, --bundle-max-bytes or --bundle-time to scan the rest",
    data: totals,
  });
}
