// `reddalert diff --base REV`: the policies (and the configuration with its params) as they
// are at a git revision and as they are in the working tree, evaluated on the same data for
// the same window, and what the change does to the alerts (alert_diff.hpp).
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "app/check_run.hpp"
#include "app/one_off.hpp"

namespace reddalert::app {

struct DiffOptions {
  std::string base;                // the git revision to compare with
  std::vector<std::string> paths;  // empty: the configuration's `policies`, else ./policies
  std::string config_path;         // empty: etc/reddalert.yaml when it exists
  OneOffRequest data;              // the source and window both sides are evaluated on
  std::string format = "text";     // text, markdown, json
  std::size_t max_alerts = 10;     // markdown: alerts listed per policy and kind
};

// Exit 0: no alert changes; 1: alerts change; 2: the working tree's policies do not load,
// the revision or the data cannot be read.
int run_diff(const DiffOptions& options, std::ostream& out, std::ostream& err, const World& world = {});

}  // namespace reddalert::app
