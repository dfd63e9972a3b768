// An alert: the merged findings of one policy for one alert id (language.md section 3).
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/json_text.hpp"
#include "base/time.hpp"

namespace reddalert::model {

struct Alert {
  std::string policy;
  int revision = 1;
  std::string policy_fingerprint;  // "sha256:..." of the policy's normalised text
  std::string fingerprint;         // "sha256:..." of policy name, alert id and the findings' keys (their
                                   // messages unless the policy declares `key`): the alert's identity
  std::string severity;
  std::string title;
  std::string id;
  std::vector<std::string> messages;  // distinct, in the order found
  std::vector<std::string> details;   // distinct, in the order found; each as compact JSON text
  std::string collection;
  std::vector<std::string> resources;
  std::string file;
  int line = 0;
  // The policy's remediation and compliance metadata; each written only when set.
  std::string help_url;
  std::vector<std::string> references;
  std::map<std::string, std::vector<std::string>> controls;  // framework id -> control ids
  base::Millis first_seen = 0;
  base::Millis since = 0;
  base::Millis until = 0;
  // A resolved event: an alert reported earlier that no longer fires (its policy's
  // findings describe a condition, and the condition is gone). It carries no messages.
  bool resolved = false;
  base::Millis last_seen = 0;  // resolved events: the end of the last window it fired in
};

// The alert as JSON text, as json_text(to_json(a), indent) writes it (indent < 0: compact),
// nested `level` deep in a larger document.
void append_json(std::string& out, const Alert& a, int indent = -1, int level = 0);
void append_json(base::JsonWriter& w, const Alert& a);
nlohmann::json to_json(const Alert& a);
// The inverse of to_json() (alerts kept in the status file until an output takes them);
// throws nlohmann::json::exception on another shape.
Alert alert_from_json(const nlohmann::json& j);
// `keys` in any order, duplicates included.
std::string alert_fingerprint(std::string_view policy, std::string_view id, std::span<const std::string_view> keys);

}  // namespace reddalert::model
