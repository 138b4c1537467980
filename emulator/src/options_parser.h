// Command-line flags and KINESIS_EMULATOR_* variables -> ServerOptions. A flag wins over its variable.
#pragma once

#include <string>
#include <vector>

#include "kemu/server_options.h"
#include "kemu/status.h"

namespace kemu {

struct ParsedCommandLine {
  ServerOptions options;
  bool show_help = false;
  bool show_version = false;
};

// `environ_lookup` returns the value of an environment variable or nullptr (getenv in production).
Result<ParsedCommandLine> ParseCommandLine(const std::vector<std::string>& args,
                                          const char* (*environ_lookup)(const char*));

// Parses "name[:shards],name2[:shards]".
Result<std::vector<StreamSeed>> ParseStreamSeeds(const std::string& spec);

std::string UsageText();

}  // namespace kemu
