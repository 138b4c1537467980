#!/usr/bin/env python3
"""Every relative link in README.md and docs/*.md (and the other Markdown pages given) resolves to a file or folder
in the repository, and every #anchor to a heading of the page it names.

    check_links.py REPO [PAGE.md ...]     (default pages: README.md, docs/*.md, emulator/README.md, plugins/README.md)

Exits 1 and names each broken link. Links with a scheme (https:, mailto:) are not followed; links inside fenced
code blocks and inline code are not links. Standard library only."""
import glob
import os
import re
import sys

INLINE = re.compile(r'!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)')
REFERENCE = re.compile(r'^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$', re.M)
HTML = re.compile(r'<(?:img|a)\b[^>]*?\b(?:src|href)="([^"]+)"', re.I)


def strip_code(text):
    """The text with fenced code blocks and inline code spans blanked (line numbers kept)."""
    out, fence = [], None
    for line in text.split('\n'):
        m = re.match(r'^\s{0,3}(`{3,}|~{3,})', line)
        if fence is None and m:
            fence = m.group(1)[0] * len(m.group(1))
            out.append('')
        elif fence is not None:
            if line.strip().startswith(fence):
                fence = None
            out.append('')
        else:
            out.append(re.sub(r'(`+)(?:(?!\1).)+?\1', '', line))
    return '\n'.join(out)


def anchors(path):
    """GitHub's anchors for the headings of a Markdown file."""
    found, seen = set(), {}
    with open(path, encoding='utf-8') as f:
        text = f.read()
    for line in strip_code(text).split('\n'):
        m = re.match(r'^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$', line)
        if not m:
            continue
        slug = re.sub(r'[^\w\- ]', '', m.group(1).strip().lower().replace('`', '')).replace(' ', '-')
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        found.add(slug if n == 0 else '%s-%d' % (slug, n))
    for m in re.finditer(r'<a\s+(?:name|id)="([^"]+)"', text):
        found.add(m.group(1))
    return found


def links(text):
    clean = strip_code(text)
    for pattern in (INLINE, REFERENCE, HTML):
        for m in pattern.finditer(clean):
            yield clean.count('\n', 0, m.start()) + 1, m.group(1)


def check(repo, page):
    errors = []
    with open(page, encoding='utf-8') as f:
        text = f.read()
    for line, target in links(text):
        if re.match(r'^[a-z][a-z0-9+.-]*:', target, re.I):
            continue  # https:, mailto:, ...
        path, _, anchor = target.partition('#')
        dest = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
        where = '%s:%d: %s' % (os.path.relpath(page, repo), line, target)
        if not os.path.realpath(dest).startswith(os.path.realpath(repo) + os.sep):
            errors.append(where + ' (outside the repository)')
        elif not os.path.exists(dest):
            errors.append(where + ' (no such file)')
        elif anchor and dest.endswith('.md') and anchor not in anchors(dest):
            errors.append(where + ' (no heading #%s in %s)' % (anchor, os.path.relpath(dest, repo)))
    return errors


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    repo = os.path.abspath(argv[1])
    pages = [os.path.abspath(p) for p in argv[2:]] or (
        [os.path.join(repo, 'README.md')] + sorted(glob.glob(os.path.join(repo, 'docs', '*.md'))) +
        [os.path.join(repo, 'emulator', 'README.md'), os.path.join(repo, 'plugins', 'README.md')])
    pages = [p for p in pages if os.path.exists(p) or argv[2:]]
    errors, count = [], 0
    for page in pages:
        with open(page, encoding='utf-8') as f:
            count += sum(1 for _ in links(f.read()))
        errors += check(repo, page)
    for e in errors:
        print('broken link: ' + e)
    print('%d links in %d pages, %d broken' % (count, len(pages), len(errors)))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
