// The data a one-off evaluation reads (`diff`, `explain`, `eval`: no memory between runs,
// no delivery) and its window, chosen one way for all of them.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/check_run.hpp"
#include "app/settings.hpp"

namespace reddalert::app {

struct OneOffRequest {
  std::string snapshot, edda;  // empty: the configuration's
  unsigned jobs = 0;           // 0: the configuration's, else one per core
  std::optional<base::Millis> since, until;
};

struct OneOffData {
  std::string error;  // a setting that cannot be used (exit 2); the rest is then empty
  RunSettings settings;
  std::unique_ptr<net::HttpClient> http;
  std::unique_ptr<DataSource> source;
  // --since, else the snapshot's start, else 0; --until, else the snapshot's capture time,
  // else now minus the configuration's lag.
  edda::Window window;
};

// Opens the source the request and the configuration name. Throws SourceError.
OneOffData open_one_off(const OneOffRequest& request, const std::optional<config::Config>& config, const World& world);

}  // namespace reddalert::app
