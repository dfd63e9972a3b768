// The waivers file (`waivers:` in the configuration): accepted risks, reviewed like the
// policies. Each waiver silences the alerts of one policy that it matches, until it
// expires; then they are reported again. Read with yaml-cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.hpp"
#include "base/time.hpp"

namespace reddalert::config {

struct Waiver {
  std::string policy;
  std::optional<std::string> id;       // the alert id, exactly
  std::vector<std::string> resources;  // any of the alert's resources
  std::string reason;
  std::string owner;  // optional: who answers for it
  base::Millis expires = 0;
  base::Location location;         // of the waiver in the file
  base::Location policy_location;  // of its `policy` value
  base::Location expires_location;
};

struct WaiverFile {
  std::string path;
  std::vector<Waiver> waivers;
};

struct WaiversResult {
  std::optional<WaiverFile> file;  // empty when it cannot be read or parsed
  base::Diagnostics diagnostics;
};

// `named_at`: where the configuration names the file (for "cannot read").
WaiversResult load_waivers(const std::string& path, const base::Location& named_at = {});
WaiversResult load_waivers_text(const std::string& path, const std::string& text);

}  // namespace reddalert::config
