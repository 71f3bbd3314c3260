#!/usr/bin/env python3
"""Validates every dataset file against the published JSON Schemas (datasets/schema/), the way
an editor with the YAML language server does. Needs PyYAML and jsonschema >= 4.18 (pip install
pyyaml jsonschema). `linkage validate` checks far more; this checks that the schemas editors
use accept the real files. Run from the repository root."""
import json, yaml, glob, sys, os
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
base = 'datasets/schema'
schemas = {f: json.load(open(os.path.join(base, f))) for f in os.listdir(base)}
registry = Registry().with_resources([(s['$id'], Resource.from_contents(s)) for s in schemas.values()] + [(f, Resource.from_contents(s)) for f, s in schemas.items()])
def validator(name):
    return Draft202012Validator(schemas[name], registry=registry)
errors = 0
for path in sorted(glob.glob('datasets/*/*.yaml')) + ['datasets/vocabulary.yaml']:
    data = yaml.safe_load(open(path))
    name = 'vocabulary.schema.json' if path.endswith('vocabulary.yaml') else ('manifest.schema.json' if path.endswith('manifest.yaml') else 'dataset-file.schema.json')
    for e in sorted(validator(name).iter_errors(data), key=lambda e: list(e.path))[:3]:
        errors += 1
        print(path, list(e.path)[:4], e.message[:150])
print(f"{errors} schema errors")
sys.exit(1 if errors else 0)
