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

  auto server = kemu::Server::Create(parsed->options);
  if (!server.ok()) {
    std::fprintf(stderr, "kinesis-emulator: %s\n", server.status().message().c_str());
    return 1;
  }
  if (auto s = (*server)->Start(); !s.ok()) {
    std::fprintf(stderr, "kinesis-emulator: %s\n", s.message().c_str());
    return 1;
  }
  const kemu::ServerOptions& options = (*server)->options();
  if (options.tls) {
    std::printf("kinesis-emulator TLS certificate: %s\nkinesis-emulator TLS key: %s\n", options.tls_cert_file.c_str(),
                options.tls_key_file.c_str());
  }
  std::printf("kinesis-emulator ready on %s://%s:%d\n", options.tls ? "https" : "http", options.host.c_str(),
              (*server)->port());
  std::fflush(stdout);
  kemu::Log(kemu::LogLevel::kInfo, "listening on " + parsed->options.host + ":" + std::to_string((*server)->port()) +
                                       (parsed->options.data_file.empty() ? " (in memory)" : " (data in " + parsed->options.data_file + ")"));

  int received = 0;
  sigwait(&signals, &received);
  kemu::Log(kemu::LogLevel::kInfo, std::string("received ") + (received == SIGINT ? "SIGINT" : "SIGTERM") +
                                       ", shutting down");
  (*server)->Stop();
  server.value().reset();  // closes the store
  return 0;
}
