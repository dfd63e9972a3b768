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
  w.key("details");
  w.begin_array();
  for (const std::string& d : a.details) w.raw(d);
  w.end_array();
  w.key("fingerprint");
  w.value(a.fingerprint);
  w.key("first_seen");
  w.value(a.first_seen);
  w.key("id");
  w.value(a.id);
  strings("messages", a.messages);
  w.key("policy");
  w.value(a.policy);
  w.key("policy_fingerprint");
  w.value(a.policy_fingerprint);
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

std::string alert_fingerprint(std::string_view policy, std::string_view id, std::span<const std::string> messages) {
  // The text hashed: the policy, the id and the sorted messages, separated by NUL bytes.
  // Most alerts have one message: sorted only when there are more.
  std::vector<std::string_view> sorted;
  if (messages.size() > 1) {
    sorted.assign(messages.begin(), messages.end());
    std::sort(sorted.begin(), sorted.end());
  }
  const auto each_message = [&](const auto& f) {
    if (sorted.empty()) {
      for (const std::string& m : messages) f(m);
    } else {
      for (std::string_view m : sorted) f(m);
    }
  };
  std::size_t size = policy.size() + 1 + id.size();
  each_message([&](std::string_view m) { size += 1 + m.size(); });
  std::string text;
  text.reserve(size);
  text.append(policy).append(1, '\0').append(id);
  each_message([&](std::string_view m) { text.append(1, '\0').append(m); });
  std::string out;
  out.reserve(7 + 64);
  out = "sha256:";
  base::append_sha256_hex(out, text);
  return out;
}

}  // namespace reddalert::model
