// Server: one running emulator instance: its HTTP listener, its store and its clock.
//
// Each Server owns all of its state (store, clock, secrets); two Servers in one process share nothing.
// Lifecycle: Create() opens the store and seeds streams; Start() binds and begins serving on a background
// thread, writes the ready file (ServerOptions::ready_file) and returns once the port is open; Stop() closes the
// listener, waits for request threads, removes the ready file and closes the store. The destructor calls Stop().
//
// Thread-safety: Start/Stop from one controlling thread; port()/endpoint() from any thread after Start.
#pragma once

#include <memory>
#include <string>

#include "kemu/clock.h"
#include "kemu/server_options.h"
#include "kemu/status.h"

namespace kemu {

class Server {
 public:
  static Result<std::unique_ptr<Server>> Create(ServerOptions options);
  ~Server();

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket and serves on a background thread. Returns once requests can be answered.
  Status Start();
  // Stops serving, waits for in-flight requests, and closes the store. Idempotent.
  void Stop();

  // Removes every stream, record, fault rule and journal entry (what POST /_emulator/reset does), in-process.
  Status Reset();

  int port() const;
  // http(s)://HOST:PORT for a client on this machine: a wildcard listening address (0.0.0.0, ::) gives 127.0.0.1.
  std::string endpoint() const;
  const ServerOptions& options() const;
  AdjustableClock& clock();

 private:
  class Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kemu
