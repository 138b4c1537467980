// kinesis-emulator: flags -> ServerOptions -> Server; runs until SIGINT or SIGTERM.
#include <signal.h>

#include <cstdio>
#include <cstdlib>

#include "builtin_plugins.h"
#include "kemu/server.h"
#include "options_parser.h"
#include "util/log.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = kemu::ParseCommandLine(args, [](const char* name) -> const char* { return std::getenv(name); });
  if (!parsed.ok()) {
    std::fprintf(stderr, "kinesis-emulator: %s\n", parsed.status().message().c_str());
    return 2;
  }
  if (parsed->show_help) {
    std::fputs(kemu::UsageText().c_str(), stdout);
    return 0;
  }
  if (parsed->show_help_markdown) {
    std::fputs(kemu::OptionsMarkdown().c_str(), stdout);
    return 0;
  }
  if (parsed->show_version) {
    std::printf("kinesis-emulator %s\n", KEMU_VERSION);
    return 0;
  }
  kemu::SetLogLevel(parsed->options.log_level);
  kemu::SetJsonLogs(parsed->options.json_logs);
  parsed->options.install_plugins = &kemu::plugins::RegisterBuiltinPlugins;

  // Every thread inherits this mask, so the signals reach only sigwait below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  // From here on, with --log-format json, every line the binary prints is a JSON object.
  auto fail = [&](const kemu::Status& s) {
    if (parsed->options.json_logs) {
      kemu::Log(kemu::LogLevel::kError, s.message());
    } else {
      std::fprintf(stderr, "kinesis-emulator: %s\n", s.message().c_str());
    }
    return 1;
  };
  auto server = kemu::Server::Create(parsed->options);
  if (!server.ok()) return fail(server.status());
  if (auto s = (*server)->Start(); !s.ok()) return fail(s);
  const kemu::ServerOptions& options = (*server)->options();
  if (options.tls) {
    kemu::Announce("kinesis-emulator TLS certificate: " + options.tls_cert_file,
                   {{"event", "tls_certificate"}, {"path", options.tls_cert_file}});
    kemu::Announce("kinesis-emulator TLS key: " + options.tls_key_file,
                   {{"event", "tls_key"}, {"path", options.tls_key_file}});
  }
  // The text line's form is fixed: scripts and the tests parse it.
  const std::string url =
      std::string(options.tls ? "https" : "http") + "://" + options.host + ":" + std::to_string((*server)->port());
  kemu::Announce("kinesis-emulator ready on " + url,
                 {{"event", "ready"}, {"url", url}, {"endpoint", (*server)->endpoint()}});
  kemu::Log(kemu::LogLevel::kInfo,
            "listening on " + parsed->options.host + ":" + std::to_string((*server)->port()) +
                (parsed->options.data_file.empty() ? " (in memory)" : " (data in " + parsed->options.data_file + ")"));

  int received = 0;
  sigwait(&signals, &received);
  kemu::Log(kemu::LogLevel::kInfo,
            std::string("received ") + (received == SIGINT ? "SIGINT" : "SIGTERM") + ", shutting down");
  (*server)->Stop();
  server.value().reset();  // closes the store
  return 0;
}
