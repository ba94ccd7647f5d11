#!/usr/bin/env node
// Validates Kubernetes manifests offline against the API's OpenAPI schemas,
// through the model classes of the npm package kubernetes-models, and
// rejects unknown fields as the API server does (fields.cjs): every YAML
// document of every FILE is one object; each error is printed as
//   FILE:LINE:COL: KIND NAMESPACE/NAME: FIELD: REASON
// and the exit status is 1 if there was any.
//
//   node tests/kube/validate.cjs FILE...         validate
//   node tests/kube/validate.cjs --json FILE...  print each object as one JSON line
//
// The packages come from build/kube/node_modules (make kube-validator), or
// from $XDPFW_KUBE_MODULES/node_modules.
"use strict";
const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");
const { unknownFields } = require("./fields.cjs");

const root = path.resolve(__dirname, "../..");
const modules = process.env.XDPFW_KUBE_MODULES || path.join(root, "build/kube");
const load = createRequire(path.join(modules, "package.json"));

function need(name) {
  try {
    return load(name);
  } catch (e) {
    if (e.code !== "MODULE_NOT_FOUND") throw e;
    console.error(`validate.cjs: no ${name} in ${modules}/node_modules: run make kube-validator`);
    process.exit(2);
  }
}
const YAML = need("yaml");
need("kubernetes-models");

// The model class of an apiVersion and kind, or null if the package has none.
function modelOf(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string") return null;
  if (!/^[a-z0-9.-]+(\/[a-z0-9]+)?$/.test(apiVersion) || !/^[A-Za-z0-9]+$/.test(kind)) return null;
  try {
    return load(`kubernetes-models/${apiVersion}/${kind}`)[kind] || null;
  } catch (e) {
    if (e.code === "MODULE_NOT_FOUND" || e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED") return null;
    throw e;
  }
}

// "/spec/containers/0/image" -> ["spec", "containers", "0", "image"]
function pathOf(pointer) {
  if (!pointer) return [];
  return pointer.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

// spec.containers[0].image
function fieldName(segments) {
  let out = "";
  for (const s of segments) out += /^\d+$/.test(s) ? `[${s}]` : out ? `.${s}` : s;
  return out || "(the object)";
}

// The deepest node of doc on the path, for its line and column.
function nodeAt(doc, segments) {
  let node = doc.contents;
  for (const s of segments) {
    const next = YAML.isCollection(node) ? node.get(s, true) : undefined;
    if (!next || !next.range) break;
    node = next;
  }
  return node;
}

function reason(err) {
  const p = err.params || {};
  if (err.keyword === "required") return `required field ${p.missingProperty} is missing`;
  if (err.keyword === "enum" && p.allowedValues) return `${err.message}: ${p.allowedValues.join(", ")}`;
  return err.message;
}

let errors = 0;
let objects = 0;
const json = process.argv[2] === "--json";
const files = process.argv.slice(json ? 3 : 2);
if (files.length === 0) {
  console.error("usage: validate.cjs [--json] FILE...");
  process.exit(2);
}

for (const file of files) {
  const src = fs.readFileSync(file, "utf8");
  const lines = new YAML.LineCounter();
  const docs = YAML.parseAllDocuments(src, { lineCounter: lines, prettyErrors: false });
  const at = (offset) => {
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  const report = (offset, what, msg) => {
    console.error(`${at(offset)}: ${what}: ${msg}`);
    errors++;
  };
  for (const doc of docs) {
    for (const e of [...doc.errors, ...doc.warnings]) report(e.pos[0], "YAML", e.message.split("\n")[0]);
    if (doc.errors.length) continue;
    const obj = doc.toJS();
    if (obj === null || obj === undefined) continue; // an empty document
    objects++;
    if (json) {
      console.log(JSON.stringify(obj));
      continue;
    }
    const start = doc.contents.range[0];
    if (typeof obj !== "object" || Array.isArray(obj)) {
      report(start, "document", "not an object with apiVersion and kind");
      continue;
    }
    const meta = obj.metadata || {};
    const what = `${obj.kind} ${meta.namespace ? meta.namespace + "/" : ""}${meta.name || "(no name)"}`;
    const Model = modelOf(obj.apiVersion, obj.kind);
    if (!Model) {
      report(start, what, `apiVersion ${obj.apiVersion} kind ${obj.kind} is not a Kubernetes API type`);
      continue;
    }
    try {
      new Model(obj).validate();
    } catch (e) {
      if (!Array.isArray(e.errors)) throw e;
      for (const err of e.errors) {
        const segments = pathOf(err.instancePath);
        const node = nodeAt(doc, segments);
        report(node.range[0], what, `${fieldName(segments)}: ${reason(err)}`);
      }
    }
    unknownFields(load, `kubernetes-models/${obj.apiVersion}/${obj.kind}`, obj, (segments, key) => {
      const field = [...segments, key];
      report(nodeAt(doc, field).range[0], what, `${fieldName(field)}: unknown field`);
    });
  }
}
if (!json) {
  const verdict = errors ? `${errors} errors` : "valid";
  console.error(`${objects} objects in ${files.length} files: ${verdict}`);
}
process.exit(errors ? 1 : 0);
