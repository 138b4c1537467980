#!/usr/bin/env python3
"""Derives emulator/src/api/kinesis_api_model.json from the botocore Kinesis model.

Keeps what the emulator interprets (operations with their input/output/error shapes; shapes with types,
members, required lists and constraints) and drops the documentation, so the tree carries data, not prose.
Usage: tools/strip_api_model.py [path/to/kinesis-2013-12-02.service-2.json]
"""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    here, '..', '..', 'shared', 'reference', 'kinesis-2013-12-02.service-2.json')
dst = os.path.join(here, '..', 'emulator', 'src', 'api', 'kinesis_api_model.json')

model = json.load(open(src))
ops = {}
for name, op in model['operations'].items():
    ops[name] = {k: op[k] for k in ('input', 'output', 'errors') if k in op}
    ops[name]['errors'] = [e['shape'] for e in op.get('errors', [])]
    for k in ('input', 'output'):
        if k in ops[name]:
            ops[name][k] = ops[name][k]['shape']
keep_shape = ('type', 'required', 'min', 'max', 'pattern', 'enum', 'member', 'key', 'value',
              'exception', 'fault', 'event', 'eventstream', 'error')
shapes = {}
for name, shape in model['shapes'].items():
    s = {k: shape[k] for k in keep_shape if k in shape}
    for k in ('member', 'key', 'value'):
        if k in s:
            s[k] = s[k]['shape']
    if 'members' in shape:
        s['members'] = [[m, spec['shape']] for m, spec in shape['members'].items()]
    shapes[name] = s
out = {
    'metadata': {k: model['metadata'][k] for k in ('apiVersion', 'targetPrefix', 'jsonVersion')},
    'operations': ops,
    'shapes': shapes,
}
with open(dst, 'w') as f:
    json.dump(out, f, separators=(',', ':'), sort_keys=True)
    f.write('\n')
print(f'wrote {dst}: {len(ops)} operations, {len(shapes)} shapes')
