#include "model/alert.hpp"

#include <algorithm>

#include "base/sha256.hpp"

namespace reddalert::model {

void append_json(base::JsonWriter& w, const Alert& a) {
  const auto strings = [&](const char* key, const std::vector<std::string>& list) {
    w.key(key);
    w.begin_array();
    for (const std::string& s : list) w.value(s);
    w.end_array();
  };
  // Keys in name order, as a JSON object holds them.
  w.begin_object();
  w.key("collection");
  w.value(a.collection);
  if (!a.controls.empty()) {
    w.key("controls");
    w.begin_object();
    for (const auto& [framework, ids] : a.controls) strings(framework.c_str(), ids);
    w.end_object();
  }
  w.key("details");
  w.begin_array();
  for (const std::string& d : a.details) w.raw(d);
  w.end_array();
  w.key("fingerprint");
  w.value(a.fingerprint);
  w.key("first_seen");
  w.value(a.first_seen);
  if (!a.help_url.empty()) {
    w.key("help_url");
    w.value(a.help_url);
  }
  w.key("id");
  w.value(a.id);
  if (a.resolved) {
    w.key("last_seen");
    w.value(a.last_seen);
  }
  strings("messages", a.messages);
  w.key("policy");
  w.value(a.policy);
  w.key("policy_fingerprint");
  w.value(a.policy_fingerprint);
  if (!a.references.empty()) strings("references", a.references);
  if (a.resolved) {
    w.key("resolved");
    w.value(a.until);
  }
  strings("resources", a.resources);
  w.key("revision");
  w.value(std::int64_t{a.revision});
  w.key("severity");
  w.value(a.severity);
  w.key("source");
  w.begin_object();
  w.key("file");
  w.value(a.file);
  w.key("line");
  w.value(std::int64_t{a.line});
  w.end_object();
  w.key("status");
  w.value(a.resolved ? "resolved" : "open");
  w.key("title");
  w.value(a.title);
  w.key("window");
  w.begin_object();
  w.key("since");
  w.value(a.since);
  w.key("until");
  w.value(a.until);
  w.end_object();
  w.end_object();
}

void append_json(std::string& out, const Alert& a, int indent, int level) {
  base::JsonWriter w(out, indent, level);
  append_json(w, a);
}

nlohmann::json to_json(const Alert& a) {
  std::string text;
  append_json(text, a);
  return nlohmann::json::parse(text);
}

Alert alert_from_json(const nlohmann::json& j) {
  Alert a;
  const auto strings = [&](const char* key) {
    std::vector<std::string> out;
    for (const nlohmann::json& s : j.at(key)) out.push_back(s.get<std::string>());
    return out;
  };
  a.collection = j.at("collection").get<std::string>();
  for (const nlohmann::json& d : j.at("details")) a.details.push_back(base::json_text(d));
  a.fingerprint = j.at("fingerprint").get<std::string>();
  a.first_seen = j.at("first_seen").get<base::Millis>();
  a.id = j.at("id").get<std::string>();
  a.messages = strings("messages");
  a.policy = j.at("policy").get<std::string>();
  a.policy_fingerprint = j.at("policy_fingerprint").get<std::string>();
  a.resources = strings("resources");
  a.revision = j.at("revision").get<int>();
  a.severity = j.at("severity").get<std::string>();
  a.file = j.at("source").at("file").get<std::string>();
  a.line = j.at("source").at("line").get<int>();
  a.title = j.at("title").get<std::string>();
  a.since = j.at("window").at("since").get<base::Millis>();
  a.until = j.at("window").at("until").get<base::Millis>();
  a.help_url = j.value("help_url", "");
  if (j.contains("references")) a.references = strings("references");
  if (j.contains("controls")) {
    for (const auto& [framework, ids] : j.at("controls").items()) {
      for (const nlohmann::json& id : ids) a.controls[framework].push_back(id.get<std::string>());
    }
  }
  a.resolved = j.value("status", "open") == "resolved";
  if (a.resolved) a.last_seen = j.at("last_seen").get<base::Millis>();
  return a;
}

std::string alert_fingerprint(std::string_view policy, std::string_view id, std::span<const std::string_view> keys) {
  // The text hashed: the policy, the id and the sorted distinct keys, separated by NUL
  // bytes, so neither the order of the findings nor a repeated one changes it.
  std::vector<std::string_view> sorted(keys.begin(), keys.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::size_t size = policy.size() + 1 + id.size();
  for (std::string_view k : sorted) size += 1 + k.size();
  std::string text;
  text.reserve(size);
  text.append(policy).append(1, '\0').append(id);
  for (std::string_view k : sorted) text.append(1, '\0').append(k);
  std::string out;
  out.reserve(7 + 64);
  out = "sha256:";
  base::append_sha256_hex(out, text);
  return out;
}

}  // namespace reddalert::model
