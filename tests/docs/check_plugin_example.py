#!/usr/bin/env python3
"""The complete plugin that plugins/README.md shows compiles against the public headers, as a file of its own in
plugins/ would (a syntax and type check, no object file).

    check_plugin_example.py CXX REPO

Takes the first ```cpp block under the heading "A new plugin, complete", and compiles it with CXX -std=c++20
-fsyntax-only, with plugins/ and emulator/include on the include path. Exits 1 with the compiler's errors."""
import os
import re
import subprocess
import sys
import tempfile


def main(argv):
    if len(argv) != 3:
        print(__doc__)
        return 2
    cxx, repo = argv[1], argv[2]
    with open(os.path.join(repo, 'plugins', 'README.md'), encoding='utf-8') as f:
        text = f.read()
    section = text.partition('## A new plugin, complete')[2]
    block = re.search(r'^```cpp\n(.*?)^```', section, re.M | re.S)
    if not section or not block:
        print('plugins/README.md: no ```cpp block under "## A new plugin, complete"')
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, 'readme_plugin.cc')
        with open(source, 'w') as f:
            f.write(block.group(1))
        result = subprocess.run([cxx, '-std=c++20', '-fsyntax-only', '-Wall', '-Wextra', '-Wno-unused-parameter', '-Werror',  # the project's KEMU_WARNINGS
                                 '-I', os.path.join(repo, 'plugins'), '-I', os.path.join(repo, 'emulator', 'include'),
                                 source], capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stdout + result.stderr)
        print('the plugin in plugins/README.md does not compile (above)')
        return 1
    print('the plugin in plugins/README.md compiles (%d lines)' % block.group(1).count('\n'))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
