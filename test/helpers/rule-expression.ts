/**
 * A small evaluator of the Rules-language subset the program writes for its cache and redirect
 * rules (lib/edge/expressions.ts): `and`/`or`/`not`, parentheses, `ssl`, `eq`/`in` on the host, path
 * and extension, `starts_with(path, "...")`, and the Authorization presence test. Anything else
 * throws, so a test never silently judges an expression it cannot read.
 */
import { HAS_AUTHORIZATION } from "../../lib/edge/expressions";

export interface TestRequest {
  host: string;
  path: string;
  scheme?: "http" | "https";
  authorization?: boolean;
}

type Token = { kind: "word" | "string" | "punct"; text: string };

function tokens(expression: string): Token[] {
  const src = expression.split(HAS_AUTHORIZATION).join(" has_authorization ");
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) i++;
    else if (c === '"') {
      let text = "";
      i++;
      while (src[i] !== '"') {
        if (src[i] === "\\") i++;
        text += src[i++];
        if (i >= src.length) throw new Error(`unterminated string in ${expression}`);
      }
      i++;
      out.push({ kind: "string", text });
    } else if ("(){},".includes(c)) {
      out.push({ kind: "punct", text: c });
      i++;
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(i));
      if (!m) throw new Error(`cannot read "${src.slice(i, i + 20)}" in ${expression}`);
      out.push({ kind: "word", text: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

/** Whether `expression` matches `request`. */
export function matches(expression: string, request: TestRequest): boolean {
  const ts = tokens(expression);
  let at = 0;
  const peek = () => ts[at];
  const take = (text?: string): Token => {
    const t = ts[at++];
    if (!t || (text !== undefined && t.text !== text)) throw new Error(`expected ${text ?? "a token"} at ${at} in ${expression}`);
    return t;
  };
  const extension = () => {
    const last = request.path.split("/").pop() ?? "";
    return last.includes(".") ? last.slice(last.lastIndexOf(".") + 1) : "";
  };
  const field = (name: string): string | boolean => {
    if (name === "http.host") return request.host;
    if (name === "http.request.uri.path") return request.path;
    if (name === "http.request.uri.path.extension") return extension();
    if (name === "ssl") return (request.scheme ?? "https") === "https";
    if (name === "has_authorization") return request.authorization === true;
    throw new Error(`field ${name} is not modelled (in ${expression})`);
  };
  const orExpr = (): boolean => {
    let v = andExpr();
    while (peek()?.text === "or") {
      take();
      v = andExpr() || v;
    }
    return v;
  };
  const andExpr = (): boolean => {
    let v = unary();
    while (peek()?.text === "and") {
      take();
      v = unary() && v;
    }
    return v;
  };
  const unary = (): boolean => {
    if (peek()?.text === "not") {
      take();
      return !unary();
    }
    return primary();
  };
  const primary = (): boolean => {
    const t = take();
    if (t.text === "(") {
      const v = orExpr();
      take(")");
      return v;
    }
    if (t.text === "starts_with") {
      take("(");
      const value = field(take().text);
      take(",");
      const prefix = take().text;
      take(")");
      return String(value).startsWith(prefix);
    }
    const value = field(t.text);
    const op = peek()?.text;
    if (op === "eq") {
      take();
      return value === take().text;
    }
    if (op === "in") {
      take();
      take("{");
      const set: string[] = [];
      while (peek()?.text !== "}") set.push(take().text);
      take("}");
      return set.includes(String(value));
    }
    if (typeof value === "boolean") return value;
    throw new Error(`cannot evaluate ${t.text} in ${expression}`);
  };
  const v = orExpr();
  if (at !== ts.length) throw new Error(`trailing tokens in ${expression}`);
  return v;
}
