/**
 * Reads a Pulumi.yaml or Pulumi.<stack>.yaml text as the Pulumi CLI reads it (gopkg.in/yaml.v3,
 * lib/provider-facts/engine.json facts.stackFileYaml): merge keys (`<<`) merge, a key given twice in
 * one mapping is an error, and alias expansion stops where yaml.v3's alias ratio stops it
 * (facts.yamlAliasExpansion). Unlike the CLI, every problem names the file, line and column.
 * Pure: the caller reads the file and passes its name for the messages.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Alias, type Document, type Node, type YAMLMap } from "yaml";
import { engineFacts } from "../provider-facts";

/** One problem; `line` and `col` (1-based) where the file has a place for it. */
export interface StackFileProblem {
  line?: number;
  col?: number;
  message: string;
}

/** A stack file the CLI would refuse (or, for a second document, silently cut short): every problem, with where it is. */
export class StackFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: StackFileProblem[],
    text = "",
  ) {
    super(
      problems
        .map((p) => (p.line === undefined ? `${file}: ${p.message}` : `${file}:${p.line}:${p.col}: ${p.message}\n${frame(text, p.line, p.col ?? 1)}`))
        .join("\n\n"),
    );
    this.name = "StackFileError";
  }
}

/** The offending line with a caret under the column, as a compiler prints it; the line before too when nothing precedes the caret. */
function frame(text: string, line: number, col: number): string {
  const lines = text.split(/\r?\n/);
  const source = lines[line - 1] ?? "";
  const width = String(line).length;
  const gutter = (n: number) => `${String(n).padStart(width)} | `;
  const before = source.slice(0, col - 1);
  const shown = line > 1 && !before.trim() ? [`${gutter(line - 1)}${lines[line - 2]}`] : [];
  shown.push(`${gutter(line)}${source}`, `${" ".repeat(gutter(line).length)}${before.replace(/[^\t]/g, " ")}^`);
  return shown.join("\n");
}

const ALIAS_FACT = engineFacts.facts.yamlAliasExpansion;

/** A value of the engine facts this reader applies; the data is committed, so a missing one is a bug here, said at load. */
function fact<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`lib/provider-facts/engine.json facts.${what} is missing`);
  return value;
}

const DUPLICATE_MESSAGE = fact(engineFacts.facts.yamlDuplicateKey.message, "yamlDuplicateKey.message");
const ALIAS_MESSAGE = fact(ALIAS_FACT.message, "yamlAliasExpansion.message");
const aliasLimit = (name: string) => fact(ALIAS_FACT.limits?.[name], `yamlAliasExpansion.limits.${name}`);

const ALIAS = {
  minAliasDecodes: aliasLimit("minAliasDecodes"),
  minDecodes: aliasLimit("minDecodes"),
  rangeLow: aliasLimit("ratioRangeLow"),
  rangeHigh: aliasLimit("ratioRangeHigh"),
  ratioAtLow: aliasLimit("ratioAtLow"),
  ratioAtHigh: aliasLimit("ratioAtHigh"),
};

/** The share of decoded values yaml.v3 lets come from aliases, for a document decoded this far. */
function allowedAliasRatio(decodes: number): number {
  if (decodes <= ALIAS.rangeLow) return ALIAS.ratioAtLow;
  if (decodes >= ALIAS.rangeHigh) return ALIAS.ratioAtHigh;
  return ALIAS.ratioAtLow - (ALIAS.ratioAtLow - ALIAS.ratioAtHigh) * ((decodes - ALIAS.rangeLow) / (ALIAS.rangeHigh - ALIAS.rangeLow));
}

class Located extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const offsetOf = (node: unknown): number => (node as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;

/** yaml.v3 compares keys by node kind and source text: `1` and `"1"` are the same key, `*a` and `a` are not. */
function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return `scalar:${key.source ?? String(key.value)}`;
  if (isAlias(key)) return `alias:${key.source}`;
  return undefined;
}

const shownKey = (key: unknown): string => (isScalar(key) ? JSON.stringify(key.source ?? String(key.value)) : isAlias(key) ? `*${key.source}` : "?");

/** Each alias's anchored node: the last anchor of that name before it, as yaml.v3's parser binds them. */
function aliasTargets(doc: Document.Parsed): Map<Alias, Node> {
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node>();
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (!target) throw new Located(offsetOf(node), `unknown anchor '${node.source}' referenced: an anchor (&${node.source}) must come before its alias`);
        targets.set(node, target);
      } else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  return targets;
}

/** A plain `<<` (a quoted one is an ordinary key to yaml.v3 too). */
const isMergeKey = (key: unknown) => isScalar(key) && key.type === "PLAIN" && key.source === "<<";

/**
 * Replays yaml.v3's decode of the document into untyped values, counting each value decoded and
 * those decoded inside an alias, and stops where yaml.v3 stops ("document contains excessive
 * aliasing"), at the outermost alias being expanded. It stops there, so it costs what yaml.v3 lets
 * through (about a hundred times a small file's size), never a bomb's expansion.
 */
function checkAliasExpansion(doc: Document.Parsed, targets: Map<Alias, Node>): void {
  let decodes = 0;
  let aliasDecodes = 0;
  const expanding: Alias[] = [];
  const count = () => {
    decodes++;
    if (expanding.length) aliasDecodes++;
    if (aliasDecodes > ALIAS.minAliasDecodes && decodes > ALIAS.minDecodes && aliasDecodes / decodes > allowedAliasRatio(decodes)) {
      const alias = expanding[0];
      throw new Located(
        offsetOf(alias),
        `the alias *${alias.source} expands the file more than the Pulumi CLI accepts (yaml.v3: "${ALIAS_MESSAGE}"; ` +
          `at most ${Math.round(allowedAliasRatio(decodes) * 100)}% of the values it decodes may come from aliases): write the values out, or nest fewer aliases`,
      );
    }
  };
  // `merged`: the keys a mapping merged into another already has (yaml.v3's mergedFields): their values are not decoded.
  const decode = (node: unknown, merged?: Set<string>): void => {
    count();
    if (isAlias(node)) {
      if (expanding.includes(node)) throw new Located(offsetOf(node), `anchor '${node.source}' value contains itself`);
      expanding.push(node);
      decode(targets.get(node), merged);
      expanding.pop();
    } else if (isSeq(node)) {
      for (const item of node.items) decode(item);
    } else if (isMap(node)) {
      decodeMap(node, merged);
    }
  };
  const decodeMap = (map: YAMLMap, merged?: Set<string>) => {
    let mergeValue: unknown;
    for (const { key, value } of map.items) {
      if (isMergeKey(key)) {
        mergeValue = value;
        continue;
      }
      decode(key);
      const text = keyText(key) ?? "";
      if (merged?.has(text)) continue;
      merged?.add(text);
      decode(value);
    }
    if (mergeValue === undefined) return;
    let into = merged;
    if (!into) {
      into = new Set();
      for (const { key } of map.items) {
        decode(key);
        into.add(keyText(key) ?? "");
      }
    }
    for (const source of isSeq(mergeValue) ? mergeValue.items : [mergeValue]) decode(source, into);
  };
  count(); // the document itself
  if (doc.contents) decode(doc.contents);
}

/** Every key given twice in one mapping, as yaml.v3 reports them ("mapping key ... already defined"). */
function duplicateKeys(doc: Document.Parsed, at: (offset: number) => { line: number }): Located[] {
  const found: Located[] = [];
  visit(doc, {
    Map: (_key, map) => {
      const seen = new Map<string, unknown>();
      for (const pair of map.items) {
        const text = keyText(pair.key);
        if (text === undefined) continue;
        const first = seen.get(text);
        if (first === undefined) {
          seen.set(text, pair.key);
          continue;
        }
        const name = shownKey(pair.key);
        const firstLine = at(offsetOf(first)).line;
        const cli = DUPLICATE_MESSAGE.replace("<key>", name).replace("<line>", String(firstLine));
        found.push(
          new Located(
            offsetOf(pair.key),
            `the key ${name} is given twice in one mapping (first at line ${firstLine}); the Pulumi CLI refuses the file (yaml.v3: ${cli}): keep one`,
          ),
        );
      }
    },
  });
  return found.sort((a, b) => a.offset - b.offset);
}

/**
 * The parsed content of a stack file or Pulumi.yaml, or a StackFileError naming `file`, the line and
 * the column of every problem. An empty file is an empty mapping, as the CLI reads it.
 */
export function parseStackYaml(text: string, file: string): Record<string, unknown> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, merge: true });
  const problem = (offset: number, message: string): StackFileProblem => ({ ...lineCounter.linePos(offset), message });
  const fail = (problems: StackFileProblem[]): never => {
    throw new StackFileError(file, problems, text);
  };
  if (doc.errors.length) {
    fail(
      doc.errors.map((e) =>
        problem(
          e.pos[0],
          e.code === "MULTIPLE_DOCS"
            ? "a second YAML document (after ---): the Pulumi CLI reads only the first and ignores the rest; move its keys into the first"
            : `not valid YAML: ${e.message}`,
        ),
      ),
    );
  }
  try {
    const targets = aliasTargets(doc);
    const duplicates = duplicateKeys(doc, (offset) => lineCounter.linePos(offset));
    if (duplicates.length) fail(duplicates.map((d) => problem(d.offset, d.message)));
    checkAliasExpansion(doc, targets);
  } catch (e) {
    if (e instanceof Located) fail([problem(e.offset, e.message)]);
    throw e;
  }
  // Expansion is bounded above, so the values aliases share may be walked (the program copies them).
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: -1 });
  } catch (e) {
    fail([{ message: (e as Error).message }]);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) fail([problem(offsetOf(doc.contents), "the file must be a mapping of keys (config:, and so on)")]);
  const record = value as Record<string, unknown>;
  if (record.config !== undefined && record.config !== null && (typeof record.config !== "object" || Array.isArray(record.config))) {
    const config = isMap(doc.contents) ? doc.contents.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === "config") : undefined;
    fail([problem(offsetOf(config?.value), "config: must be a mapping of config keys to values")]);
  }
  return record;
}
