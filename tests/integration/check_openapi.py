#!/usr/bin/python3
"""Checks an OpenAPI 3.1 document (tst_openapi runs it on the served /v1/openapi.json).

OpenAPI 3.1's Schema Objects are JSON Schema 2020-12: each one must pass
Draft202012Validator.check_schema. The document's own shape (the objects OpenAPI 3.1 defines,
and only their fields) is checked here field by field, and every $ref must resolve. With a
samples file (a JSON array of {"method", "path", "status", "body"}: answers the test got from
the live server), each sample's body is validated against the schema its operation documents
for that status.

Usage: check_openapi.py DOCUMENT [SAMPLES]; exit 0 when all is well, 1 with the problems on stderr.
"""
import json
import re
import sys

import jsonschema
from jsonschema import Draft202012Validator

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
PATH_ITEM = {"$ref", "summary", "description", "servers", "parameters"} | METHODS
OPERATION = {"tags", "summary", "description", "externalDocs", "operationId", "parameters",
             "requestBody", "responses", "callbacks", "deprecated", "security", "servers"}
PARAMETER = {"name", "in", "description", "required", "deprecated", "allowEmptyValue", "style",
             "explode", "allowReserved", "schema", "example", "examples", "content"}
RESPONSE = {"description", "headers", "content", "links"}
MEDIA_TYPE = {"schema", "example", "examples", "encoding"}
REQUEST_BODY = {"description", "content", "required"}
HEADER = PARAMETER - {"name", "in", "allowEmptyValue", "allowReserved"}
COMPONENTS = {"schemas", "responses", "parameters", "examples", "requestBodies", "headers",
              "securitySchemes", "links", "callbacks", "pathItems"}
TOP = {"openapi", "info", "jsonSchemaDialect", "servers", "paths", "webhooks", "components",
       "security", "tags", "externalDocs"}

problems = []


def problem(where, text):
    problems.append(f"{where}: {text}")


def only(obj, allowed, where):
    if not isinstance(obj, dict):
        problem(where, "not an object")
        return False
    for key in obj:
        if key not in allowed and not key.startswith("x-"):
            problem(where, f"unknown field '{key}'")
    return True


def resolve(doc, ref, where):
    if not ref.startswith("#/"):
        problem(where, f"$ref '{ref}' is not local")
        return None
    node = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            problem(where, f"$ref '{ref}' does not resolve")
            return None
        node = node[part]
    return node


def deref(doc, obj, where):
    if isinstance(obj, dict) and "$ref" in obj:
        return resolve(doc, obj["$ref"], where)
    return obj


def check_schema(schema, where):
    try:
        Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        problem(where, f"not a JSON Schema 2020-12 schema: {e.message}")


def check_refs(doc, node, where):
    """Every $ref anywhere in the document resolves."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                resolve(doc, value, where)
            else:
                check_refs(doc, value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            check_refs(doc, value, f"{where}/{i}")


def check_content(doc, content, where):
    if not isinstance(content, dict) or not content:
        problem(where, "content must map media types to Media Type Objects")
        return
    for media, obj in content.items():
        if not re.match(r"^[a-z]+/[a-z0-9.+-]+$", media):
            problem(where, f"'{media}' is not a media type")
        if only(obj, MEDIA_TYPE, f"{where}/{media}") and "schema" in obj:
            check_schema(obj["schema"], f"{where}/{media}/schema")


def check_header(doc, header, where):
    header = deref(doc, header, where)
    if only(header, HEADER, where):
        if ("schema" in header) == ("content" in header):
            problem(where, "needs exactly one of schema and content")
        if "schema" in header:
            check_schema(header["schema"], f"{where}/schema")


def check_parameter(doc, parameter, where):
    parameter = deref(doc, parameter, where)
    if not only(parameter, PARAMETER, where):
        return None
    if not isinstance(parameter.get("name"), str) or not parameter["name"]:
        problem(where, "name must be a non-empty string")
    if parameter.get("in") not in {"query", "header", "path", "cookie"}:
        problem(where, "in must be query, header, path or cookie")
    if parameter.get("in") == "path" and parameter.get("required") is not True:
        problem(where, "a path parameter must be required: true")
    if ("schema" in parameter) == ("content" in parameter):
        problem(where, "needs exactly one of schema and content")
    if "schema" in parameter:
        check_schema(parameter["schema"], f"{where}/schema")
    return parameter


def check_operation(doc, path, method, op, inherited, security_schemes, operation_ids):
    where = f"paths/{path}/{method}"
    if not only(op, OPERATION, where):
        return
    parameters = list(inherited)
    for i, p in enumerate(op.get("parameters", [])):
        checked = check_parameter(doc, p, f"{where}/parameters/{i}")
        if checked:
            parameters.append(checked)
    declared = [p["name"] for p in parameters if p.get("in") == "path"]
    templated = re.findall(r"\{([^}]+)\}", path)
    if sorted(declared) != sorted(templated):
        problem(where, f"path parameters {sorted(declared)} do not match the template's {sorted(templated)}")
    seen = set()
    for p in parameters:
        key = (p.get("name"), p.get("in"))
        if key in seen:
            problem(where, f"parameter {key} is declared twice")
        seen.add(key)
    if "requestBody" in op:
        body = deref(doc, op["requestBody"], f"{where}/requestBody")
        if only(body, REQUEST_BODY, f"{where}/requestBody"):
            if "content" not in body:
                problem(f"{where}/requestBody", "content is required")
            else:
                check_content(doc, body["content"], f"{where}/requestBody/content")
    responses = op.get("responses")
    if not isinstance(responses, dict) or not responses:
        problem(where, "responses must be a non-empty object")
        return
    for status, response in responses.items():
        at = f"{where}/responses/{status}"
        if not re.match(r"^([1-5][0-9]{2}|[1-5]XX|default)$", status):
            problem(at, "not a status code, a range or default")
        response = deref(doc, response, at)
        if not only(response, RESPONSE, at):
            continue
        if not isinstance(response.get("description"), str):
            problem(at, "description is required")
        for name, header in response.get("headers", {}).items():
            check_header(doc, header, f"{at}/headers/{name}")
        if "content" in response:
            check_content(doc, response["content"], f"{at}/content")
    for requirement in op.get("security", []):
        for name in requirement:
            if name not in security_schemes:
                problem(where, f"security scheme '{name}' is not defined")
    if "operationId" in op:
        if op["operationId"] in operation_ids:
            problem(where, f"operationId '{op['operationId']}' is not unique")
        operation_ids.add(op["operationId"])


def check_document(doc):
    if not only(doc, TOP, "document"):
        return
    if not re.match(r"^3\.1\.\d+$", str(doc.get("openapi", ""))):
        problem("openapi", "must be 3.1.x")
    info = doc.get("info")
    if only(info, {"title", "summary", "description", "termsOfService", "contact", "license", "version"}, "info"):
        for field in ("title", "version"):
            if not isinstance(info.get(field), str) or not info[field]:
                problem("info", f"{field} must be a non-empty string")
    for i, server in enumerate(doc.get("servers", [])):
        if only(server, {"url", "description", "variables"}, f"servers/{i}") and "url" not in server:
            problem(f"servers/{i}", "url is required")
    components = doc.get("components", {})
    only(components, COMPONENTS, "components")
    for name, schema in components.get("schemas", {}).items():
        check_schema(schema, f"components/schemas/{name}")
    for name, header in components.get("headers", {}).items():
        check_header(doc, header, f"components/headers/{name}")
    security_schemes = components.get("securitySchemes", {})
    for name, scheme in security_schemes.items():
        if scheme.get("type") not in {"apiKey", "http", "mutualTLS", "oauth2", "openIdConnect"}:
            problem(f"components/securitySchemes/{name}", "unknown type")
        if scheme.get("type") == "http" and "scheme" not in scheme:
            problem(f"components/securitySchemes/{name}", "an http scheme needs 'scheme'")
    paths = doc.get("paths")
    if not isinstance(paths, dict) or not paths:
        problem("paths", "must be a non-empty object")
        return
    operation_ids = set()
    for path, item in paths.items():
        if not path.startswith("/"):
            problem(f"paths/{path}", "must start with /")
        if not only(item, PATH_ITEM, f"paths/{path}"):
            continue
        inherited = [p for p in (check_parameter(doc, p, f"paths/{path}/parameters/{i}")
                                 for i, p in enumerate(item.get("parameters", []))) if p]
        methods = [m for m in item if m in METHODS]
        if not methods:
            problem(f"paths/{path}", "has no operation")
        for method in methods:
            check_operation(doc, path, method, item[method], inherited, security_schemes, operation_ids)
    check_refs(doc, doc, "#")


def check_samples(doc, samples):
    resolver = jsonschema.RefResolver.from_schema(doc)
    for sample in samples:
        where = f"sample {sample['method']} {sample['path']} -> {sample['status']}"
        op = doc["paths"].get(sample["route"], {}).get(sample["method"].lower())
        if op is None:
            problem(where, "no such operation in the document")
            continue
        response = op["responses"].get(str(sample["status"]))
        if response is None:
            problem(where, "status not documented")
            continue
        response = deref(doc, response, where)
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            continue
        validator = Draft202012Validator(schema, resolver=resolver)
        for error in validator.iter_errors(sample["body"]):
            problem(where, f"body does not match the documented schema: {error.message}")


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    check_document(doc)
    if len(sys.argv) > 2 and not problems:
        with open(sys.argv[2], encoding="utf-8") as f:
            check_samples(doc, json.load(f))
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
