#!/usr/bin/env python3
"""Run the kinesis-emulator integration suite.

    python3 tests/integration/run_all.py                 # everything
    python3 tests/integration/run_all.py test_records    # some modules
    python3 tests/integration/run_all.py -k Iterator     # tests whose name matches
    KEMU_BINARY=/path/to/kinesis-emulator python3 tests/integration/run_all.py

Exits nonzero when anything failed or errored; the last line is `N passed, N failed[, N skipped]`.
"""

import argparse
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


class CountingResult(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.passed = 0

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('modules', nargs='*', help='test modules (e.g. test_records) or dotted test names')
    parser.add_argument('-k', dest='patterns', action='append', default=[],
                        help='only run tests whose name contains this substring (repeatable)')
    parser.add_argument('-q', '--quiet', action='store_true', help='less output')
    parser.add_argument('-f', '--failfast', action='store_true', help='stop on the first failure')
    args = parser.parse_args(argv)

    sys.path.insert(0, HERE)
    loader = unittest.TestLoader()
    if args.patterns:
        loader.testNamePatterns = ['*%s*' % p for p in args.patterns]
    if args.modules:
        names = [m[:-3] if m.endswith('.py') else m for m in args.modules]
        names = [os.path.basename(n) if os.sep in n else n for n in names]
        suite = loader.loadTestsFromNames(names)
    else:
        suite = loader.discover(start_dir=HERE, pattern='test_*.py', top_level_dir=HERE)

    runner = unittest.TextTestRunner(verbosity=1 if args.quiet else 2, resultclass=CountingResult,
                                     failfast=args.failfast, stream=sys.stdout)
    result = runner.run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    line = '%d passed, %d failed' % (result.passed + len(result.expectedFailures), failed)
    if result.skipped:
        line += ', %d skipped' % len(result.skipped)
    print(line)
    sys.stdout.flush()
    return 1 if failed or not result.testsRun else 0


if __name__ == '__main__':
    sys.exit(main())
