#include "model/alert.hpp"

#include <algorithm>

#include "base/sha256.hpp"

namespace reddalert::model {

nlohmann::json to_json(const Alert& a) {
  nlohmann::json details = nlohmann::json::array();
  for (const auto& d : a.details) details.push_back(d);
  return {{"policy", a.policy},
          {"revision", a.revision},
          {"fingerprint", a.fingerprint},
          {"policy_fingerprint", a.policy_fingerprint},
          {"severity", a.severity},
          {"title", a.title},
          {"id", a.id},
          {"messages", a.messages},
          {"details", details},
          {"collection", a.collection},
          {"resources", a.resources},
          {"source", {{"file", a.file}, {"line", a.line}}},
          {"first_seen", a.first_seen},
          {"window", {{"since", a.since}, {"until", a.until}}}};
}

std::string alert_fingerprint(const std::string& policy, const std::string& id, std::vector<std::string> messages) {
  std::sort(messages.begin(), messages.end());
  std::string text = policy + '\0' + id;
  for (const std::string& m : messages) text += '\0' + m;
  return "sha256:" + base::sha256_hex(text);
}

}  // namespace reddalert::model
