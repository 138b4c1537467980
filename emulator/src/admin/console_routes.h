// ConsoleRoutes: the web console and the admin reads it is built on, one route table apart from AdminApi's.
//
//   GET /_emulator/ui, /_emulator/ui/                 the console page (public, see below)
//   GET /_emulator/ui/{console.js,console.css}        its script and style sheet (public)
//   GET /_emulator/ui/config                          what the page needs first: version, whether an admin token
//                                                     and strict SigV4 are required, default account and region
//   GET /_emulator/streams                            every stream of every account and region, summarized
//   GET /_emulator/streams/{account}/{region}/{name}  one stream with its shards, record counts, latest numbers
//   GET /_emulator/streams/{account}/{region}/{name}/shards/{shard}/records?start=&limit=...   a page of records
//   GET /_emulator/calls/rate?seconds=N               calls per second of clock time, by outcome
//
// The page, script, style sheet and config carry no state, so they answer without the admin token (a browser
// cannot send one with a navigation); everything with state goes through AdminApi's token check first. All of it
// is off with --no-admin. The reads never go through the Kinesis endpoint: a console watching a stream never
// consumes a fault rule's count nor appears in the call journal.
//
// Ownership: borrows the Backend, journal, clock and options, which outlive it.
// Thread-safety: handlers run concurrently; every borrowed object is thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "backend/backend.h"
#include "faults/call_journal.h"
#include "http/http_types.h"
#include "kemu/clock.h"
#include "kemu/server_options.h"

namespace kemu {

class ConsoleRoutes {
 public:
  ConsoleRoutes(Backend& backend, const CallJournal& journal, const Clock& clock, const ServerOptions& options);

  // True for the console's own files and config, which need no admin token.
  static bool IsPublicPath(std::string_view path);
  // Answers a public path.
  HttpResponse ServePublic(const HttpRequest& request) const;
  // Answers the console's admin reads; nullopt when the request is not one of them.
  std::optional<HttpResponse> Route(const HttpRequest& request);

 private:
  HttpResponse ListStreams(const HttpRequest& request);
  HttpResponse DescribeStream(const StreamKey& key);
  HttpResponse ReadRecords(const StreamKey& key, std::string_view shard_id, const HttpRequest& request);
  HttpResponse CallRate(const HttpRequest& request) const;

  Backend& backend_;
  const CallJournal& journal_;
  const Clock& clock_;
  const ServerOptions& options_;
};

}  // namespace kemu
