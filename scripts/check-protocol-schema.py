#!/usr/bin/env python3
"""Validates the documents of the external analysis protocol against its JSON Schema
(docs/schema/analysis-protocol.schema.json): the descriptor and the stdout result of every
external analysis found in analyses/ and examples/analyses/, a request as linkage sends it, and
every result.json in graphs/ (the host's results have the same form). Needs jsonschema >= 4.18
(pip install jsonschema) and a built linkage (default .build/debug/linkage; pass another path as
the first argument). Run from the repository root. Exit status 1 when a document does not
validate."""
import glob, json, os, subprocess, sys, tempfile
from jsonschema import Draft202012Validator

linkage = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/linkage"
schema = json.load(open("docs/schema/analysis-protocol.schema.json"))
Draft202012Validator.check_schema(schema)

def validator(name):
    return Draft202012Validator({"$ref": f"#/$defs/{name}", "$defs": schema["$defs"]})

errors = 0
def check(name, document, what):
    global errors
    problems = sorted(validator(name).iter_errors(document), key=lambda e: list(e.path))
    for e in problems[:3]:
        print(f"{what}: {'.'.join(str(p) for p in e.path)}: {e.message[:200]}")
    errors += len(problems)
    return len(problems)

checked = 0
programs = sorted({os.path.realpath(p) for folder in ("analyses", "examples/analyses") for p in glob.glob(f"{folder}/*")
                   if os.path.isfile(p) and os.access(p, os.X_OK)})
with tempfile.TemporaryDirectory() as folder:
    for program in programs:
        descriptor = json.loads(subprocess.run([program, "describe"], capture_output=True, check=True).stdout)
        check("descriptor", descriptor, f"{program} describe"); checked += 1
        request_file = os.path.join(folder, "request.json")
        subprocess.run([linkage, "run", descriptor["id"], "--analyses", os.path.dirname(program), "--save-request", request_file,
                        "-o", os.path.join(folder, "out"), "--quiet"], check=True, capture_output=True)
        request = json.load(open(request_file))
        check("request", request, f"request for {descriptor['id']}"); checked += 1
        with open(request_file) as stdin:
            result = json.loads(subprocess.run([program, "run"], stdin=stdin, capture_output=True, check=True).stdout)
        check("result", result, f"{program} run"); checked += 1
for path in sorted(glob.glob("graphs/*/result.json")):
    check("result", json.load(open(path)), path); checked += 1
print(f"{checked} documents checked, {errors} schema errors")
sys.exit(1 if errors else 0)
