#!/usr/bin/env python3
"""docs/options.md is exactly what the binary's --help-markdown prints (the page is generated from the flag table in
emulator/src/options_parser.cc, so it cannot drift from what the binary accepts).

    check_options.py BINARY REPO

Exits 1 with a unified diff and the command that regenerates the page when they differ."""
import difflib
import os
import subprocess
import sys


def main(argv):
    if len(argv) != 3:
        print(__doc__)
        return 2
    binary, repo = argv[1], argv[2]
    page = os.path.join(repo, 'docs', 'options.md')
    generated = subprocess.run([binary, '--help-markdown'], check=True, capture_output=True, text=True,
                               env={'PATH': os.environ.get('PATH', '')}).stdout
    try:
        with open(page, encoding='utf-8') as f:
            current = f.read()
    except FileNotFoundError:
        current = ''
    if current == generated:
        print('docs/options.md matches %s --help-markdown' % binary)
        return 0
    sys.stdout.writelines(difflib.unified_diff(current.splitlines(True), generated.splitlines(True),
                                               'docs/options.md', binary + ' --help-markdown'))
    print('\ndocs/options.md is out of date with the flag table. Regenerate it with:\n  %s --help-markdown > %s'
          % (binary, page))
    return 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
