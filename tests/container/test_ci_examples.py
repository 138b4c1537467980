"""The ready-to-copy CI examples (ci/examples): valid YAML, and in agreement with ci/Dockerfile, the binary and the
documentation (README.md, docs/options.md); then each example's service configuration run in the image as that CI
system would run it."""
import os
import re
import shlex
import unittest

import yaml

from podman_tools import IMAGE, REPO, Container, kinesis, podman

EXAMPLES = os.path.join(REPO, 'ci', 'examples')
# The C++ fixture's variable (README and docs/fixture.md), not the binary's: the emulator ignores it.
FIXTURE_VARIABLES = {'KINESIS_EMULATOR_ENDPOINT'}


def load(name):
    with open(os.path.join(EXAMPLES, name)) as f:
        return yaml.safe_load(f)


def dockerfile_facts():
    with open(os.path.join(REPO, 'ci', 'Dockerfile')) as f:
        text = f.read()
    runtime = re.split(r'^FROM ', text, flags=re.M)[-1]
    health = re.search(r'^HEALTHCHECK (.*?)\n\s*CMD \["([^"]+)"\]', runtime, re.M | re.S)
    options = dict(re.findall(r'--([a-z-]+)=(\S+)', health.group(1)))
    env = dict(re.findall(r'(KINESIS_EMULATOR_[A-Z_]+)=(\S+)', runtime))
    return {'expose': int(re.search(r'^EXPOSE (\d+)$', runtime, re.M).group(1)), 'health_cmd': health.group(2),
            'health': options, 'env': env, 'port': int(env['KINESIS_EMULATOR_PORT'])}


def binary_variables():
    """The KINESIS_EMULATOR_* variables the binary in the image reads (its --help)."""
    out = podman('run', '--rm', '--entrypoint', '/usr/local/bin/kinesis-emulator', IMAGE, '--help').stdout
    return set(re.findall(r'\[(KINESIS_EMULATOR_[A-Z_]+)\]', out))


def readme():
    """The user documentation a variable must appear in: the README and the options page generated from the binary."""
    text = ''
    for page in ('README.md', os.path.join('docs', 'options.md')):
        with open(os.path.join(REPO, page)) as f:
            text += f.read()
    return text


class CiExamples(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.facts = dockerfile_facts()
        cls.variables = binary_variables()

    def assertKnownVariables(self, env):
        for key in env:
            if key.startswith('KINESIS_EMULATOR_'):
                self.assertIn(key, self.variables | FIXTURE_VARIABLES)
                self.assertIn('`%s`' % key, readme(), 'README.md and docs/options.md do not document ' + key)

    def assertEndpoint(self, url, host, port):
        self.assertEqual(url, 'http://%s:%d' % (host, port))

    def test_dockerfile_itself(self):
        self.assertEqual(self.facts['expose'], self.facts['port'])  # GitLab waits for the EXPOSEd port
        self.assertEqual(self.facts['env']['KINESIS_EMULATOR_HOST'], '0.0.0.0')
        self.assertIn('KINESIS_EMULATOR_READY_FILE', self.facts['env'])
        self.assertKnownVariables(self.facts['env'])
        self.assertIn('ci/healthcheck.sh', readme())

    def test_github_actions(self):
        workflow = load('github-actions.yml')
        job = workflow['jobs']['test']
        service = job['services']['kinesis']
        self.assertIn('kinesis-emulator', service['image'])
        host_port, container_port = map(int, service['ports'][0].split(':')[-2:])
        self.assertEqual(container_port, self.facts['expose'])
        options = shlex.split(service['options'])
        health = dict(zip(options[::2], options[1::2]))
        self.assertEqual(health['--health-cmd'], self.facts['health_cmd'])
        self.assertEqual(health['--health-interval'], self.facts['health']['interval'])
        self.assertEqual(health['--health-retries'], self.facts['health']['retries'])
        self.assertKnownVariables(service['env'])
        self.assertKnownVariables(job['env'])
        self.assertEndpoint(job['env']['AWS_ENDPOINT_URL_KINESIS'], 'localhost', host_port)
        self.assertEndpoint(job['env']['KINESIS_EMULATOR_ENDPOINT'], 'localhost', host_port)
        self.assertIn('ci/examples/github-actions.yml', readme())

        # The service as the runner creates it: its options, env and port, then waited on until healthy.
        c = Container(self, env=service['env'], port=container_port, options=options)
        line, url = c.ready()
        self.assertTrue(line.startswith('{'))  # KINESIS_EMULATOR_LOG_FORMAT: json
        self.assertEqual(c.health(), 0)
        self.assertEqual(c.health_status(), 'healthy')
        self.assertEqual(c.inspect('{{.Config.Healthcheck.Test}}'),
                         '[CMD-SHELL %s]' % self.facts['health_cmd'])  # the options' check, not the image's
        client = kinesis(c.endpoint())
        self.assertEqual(client.list_streams()['StreamNames'], ['events', 'orders'])

    def test_gitlab_ci(self):
        job = load('gitlab-ci.yml')['test']
        service = job['services'][0]
        self.assertIn('kinesis-emulator', service['name'])
        variables = job['variables']
        self.assertKnownVariables(variables)
        port = self.facts['expose']
        self.assertEndpoint(variables['AWS_ENDPOINT_URL_KINESIS'], service['alias'], port)
        self.assertEndpoint(variables['KINESIS_EMULATOR_ENDPOINT'], service['alias'], port)
        self.assertIn('ci/examples/gitlab-ci.yml', readme())

        # GitLab hands every job variable to the service and waits for the EXPOSEd port.
        c = Container(self, env={k: str(v) for k, v in variables.items()}, port=port)
        _, url = c.ready()
        self.assertEqual(url, 'http://0.0.0.0:%d' % port)
        self.assertEqual(c.health(), 0)
        client = kinesis(c.endpoint())
        self.assertEqual(client.list_streams()['StreamNames'], ['orders'])
        self.assertEqual(len(client.list_shards(StreamName='orders')['Shards']), 2)

    def test_docker_compose(self):
        compose = load('docker-compose.yml')
        service = compose['services']['kinesis']
        build = service['build']
        self.assertEqual(os.path.realpath(os.path.join(EXAMPLES, build['context'], build['dockerfile'])),
                         os.path.join(os.path.realpath(REPO), 'ci', 'Dockerfile'))
        for mapping in service['ports']:
            # 127.0.0.1: not every interface of the host; the host port movable, the image's by default.
            self.assertEqual(mapping, '127.0.0.1:${KINESIS_HOST_PORT:-%d}:%d' % (self.facts['expose'],
                                                                              self.facts['expose']))
        health = service['healthcheck']
        self.assertEqual(health['test'], ['CMD', self.facts['health_cmd']])
        self.assertEqual(health['interval'], self.facts['health']['interval'])
        self.assertEqual(str(health['retries']), self.facts['health']['retries'])
        self.assertKnownVariables(service['environment'])
        volume, target = service['volumes'][0].split(':')
        self.assertIn(volume, compose['volumes'])
        self.assertTrue(service['environment']['KINESIS_EMULATOR_DATA'].startswith(target + '/'))
        self.assertIn('ci/examples/docker-compose.yml', readme())


if __name__ == '__main__':
    unittest.main()
