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
  bool show_help_markdown = false;  // --help-markdown: OptionsMarkdown() (docs/options.md)
  bool show_version = false;
};

// `environ_lookup` returns the value of an environment variable or nullptr (getenv in production).
Result<ParsedCommandLine> ParseCommandLine(const std::vector<std::string>& args,
                                           const char* (*environ_lookup)(const char*));

// Parses "name[:shards],name2[:shards]".
Result<std::vector<StreamSeed>> ParseStreamSeeds(const std::string& spec);

// One flag as the documentation shows it (the parser's table, without the parsing).
struct FlagDoc {
  std::string flag;           // "--port"
  std::string env;            // "KINESIS_EMULATOR_PORT"
  std::string value_name;     // "PORT"; empty for a switch
  std::string default_value;  // a value the flag accepts that gives ServerOptions' default; empty: see default_note
  std::string default_note;   // the default in words ("in memory", "none"); empty when default_value says it
  std::string help;
  bool is_switch = false;
};
std::vector<FlagDoc> FlagDocs();

// --help: every flag with its value, default and variable, as plain text.
std::string UsageText();
// --help-markdown: the whole of docs/options.md (a ctest entry checks the file against it).
std::string OptionsMarkdown();

}  // namespace kemu
