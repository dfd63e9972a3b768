// What one `check` run does, resolved from the command line, the configuration and the
// defaults in one place: a pure function, so each rule of precedence is tested alone.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/check_run.hpp"
#include "config/config.hpp"
#include "eval/context.hpp"
#include "net/http_client.hpp"
#include "sinks/options.hpp"

namespace reddalert::app {

struct RunSettings {
  std::string snapshot;  // exactly one of snapshot and edda is set
  std::string edda;
  std::string edda_password_env;     // the variable holding EDDA's password (the URL names the user)
  std::vector<std::string> outputs;  // never empty
  std::string state_path;            // empty: no memory between runs
  bool store_until = true;
  base::Millis retention = base::Millis{90} * 86'400'000;
  base::Millis lag = 5 * 60 * 1000;
  unsigned jobs = 1;
  eval::Options evaluation;
  net::HttpOptions http;
  sinks::Options sinks;  // each delivery sink's own settings
};

struct SettingsResult {
  RunSettings settings;
  std::string error;  // one line when the settings cannot make a run (exit 2)
};

// `config` is the configuration read (none: defaults only); `cores` the threads a run
// uses when neither the command line nor the configuration says.
SettingsResult resolve_settings(const CheckOptions& options, const std::optional<config::Config>& config,
                                unsigned cores);

// The configuration's HTTP settings over the client's defaults.
net::HttpOptions http_options(const std::optional<config::Config>& config);

}  // namespace reddalert::app
