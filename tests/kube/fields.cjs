// Unknown fields: the schemas of kubernetes-models accept any extra key (as
// the API's OpenAPI does), while the API server's strict field validation,
// kubectl's default, rejects them. The field names and types come from the
// package's TypeScript declarations (the .d.ts beside each model), which the
// same generator writes from the same OpenAPI: one `"name"?: Type;` line per
// field, and `import { IType } from "./File"` for each type of another file.
"use strict";
const fs = require("fs");
const path = require("path");

const interfaces = new Map(); // "file#name" -> Map(field -> type) or null

// The fields of interface NAME in FILE (.d.ts), with their types; null if
// FILE does not declare it as an interface (a type alias: a leaf).
function fieldsOf(file, name) {
  const id = `${file}#${name}`;
  if (interfaces.has(id)) return interfaces.get(id);
  let fields = null;
  const src = fs.readFileSync(file, "utf8");
  const alias = new RegExp(`\\b(I[A-Za-z0-9]+) as ${name}\\b`).exec(src); // export { IX as IIoK8s...X }
  const lines = src.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`export interface ${alias ? alias[1] : name} `));
  if (start >= 0) {
    fields = new Map();
    for (let i = start + 1; i < lines.length && lines[i] !== "}"; i++) {
      const m = /^ {4}"([^"]+)"\??: (.*?);?$/.exec(lines[i]);
      if (m) fields.set(m[1], m[2]);
    }
  }
  interfaces.set(id, fields);
  return fields;
}

// Where the type NAME used in FILE is declared: [file, name], or null.
function declarationOf(load, file, name) {
  const src = fs.readFileSync(file, "utf8");
  const re = /^import \{ ([^}]*) \} from "([^"]+)";$/gm;
  for (let m; (m = re.exec(src)); ) {
    if (!m[1].split(",").map((s) => s.trim()).includes(name)) continue;
    const from = m[2].startsWith(".")
      ? path.resolve(path.dirname(file), m[2])
      : load.resolve(m[2]).replace(/\.js$/, "");
    return [`${from}.d.ts`, name];
  }
  return [file, name]; // declared in FILE itself, or not an interface (fieldsOf says)
}

// Calls found(segments, key) for each key of value that the type does not have.
function walk(load, file, type, value, segments, found) {
  if (value === null || typeof value !== "object") return;
  const array = /^Array<(.*)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((v, i) => walk(load, file, array[1], v, [...segments, String(i)], found));
    return;
  }
  if (!/^I[A-Za-z0-9]+$/.test(type) || Array.isArray(value)) return; // a map, a union, a scalar
  const decl = declarationOf(load, file, type);
  const fields = decl && fieldsOf(decl[0], decl[1]);
  if (!fields) return;
  for (const [key, v] of Object.entries(value)) {
    if (!fields.has(key)) found(segments, key);
    else walk(load, decl[0], fields.get(key), v, [...segments, key], found);
  }
}

// unknownFields(load, "kubernetes-models/apps/v1/DaemonSet", obj, found)
function unknownFields(load, model, obj, found) {
  const file = load.resolve(model).replace(/\.js$/, ".d.ts");
  const first = /^export interface (I[A-Za-z0-9]+) /m.exec(fs.readFileSync(file, "utf8"));
  if (!first) throw new Error(`${file}: no interface`);
  walk(load, file, first[1], obj, [], found);
}

module.exports = { unknownFields };
