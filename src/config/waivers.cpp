#include "config/waivers.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "base/file.hpp"
#include "base/text.hpp"
#include "config/yaml_json.hpp"

namespace reddalert::config {

namespace {

using nlohmann::json;

const std::vector<std::string> kWaiverKeys = {"policy", "id", "resources", "reason", "owner", "expires"};

class WaiverReader {
 public:
  WaiverReader(base::SourcePtr file, base::Diagnostics& diags) : file_(std::move(file)), diags_(diags) {}

  base::Location at(const YAML::Node& n, std::size_t length = 1) const { return yaml_location(file_, n, length); }

  void shape(const base::Location& loc, std::string message, std::string hint = {}) {
    diags_.error("E0412", loc, std::move(message), std::move(hint));
  }

  // A required or optional non-empty string.
  std::optional<std::string> text(const YAML::Node& w, const char* key, bool required, const base::Location& waiver) {
    const YAML::Node n = w[key];
    if (!n || n.IsNull()) {
      if (required) shape(waiver, std::string("a waiver needs `") + key + "`", required_hint(key));
      return std::nullopt;
    }
    const json v = yaml_to_json(n);
    if (!n.IsScalar() || n.Scalar().empty()) {
      shape(at(n), std::string("`") + key + "` must be a non-empty string");
      return std::nullopt;
    }
    return v.is_string() ? v.get<std::string>() : n.Scalar();
  }

  static std::string required_hint(const std::string& key) {
    if (key == "reason") return "say why the risk is accepted, e.g. `reason: \"bastion host, ticket SEC-142\"`";
    if (key == "expires") return "every waiver ends: `expires: 2027-03-31` (a date or an ISO 8601 time)";
    return "`policy: NAME` names the policy whose alerts it waives";
  }

  std::optional<Waiver> waiver(const YAML::Node& n) {
    Waiver w;
    w.location = at(n);
    if (!n.IsMap()) {
      shape(w.location, "a waiver is a map with `policy`, `id` or `resources`, `reason` and `expires`");
      return std::nullopt;
    }
    for (const auto& kv : n) {
      const std::string key = kv.first.Scalar();
      if (std::find(kWaiverKeys.begin(), kWaiverKeys.end(), key) != kWaiverKeys.end()) continue;
      std::string hint = base::did_you_mean(key, kWaiverKeys);
      if (hint.empty()) hint = "a waiver's keys: " + base::join(kWaiverKeys, ", ");
      diags_.error("E0411", at(kv.first, key.size()), "unknown key `" + key + "` in a waiver", hint);
    }
    const std::size_t errors = diags_.error_count();
    if (const auto p = text(n, "policy", true, w.location)) {
      w.policy = *p;
      w.policy_location = at(n["policy"], p->size());
    }
    w.id = text(n, "id", false, w.location);
    if (const YAML::Node r = n["resources"]) {
      const json v = yaml_to_json(r);
      if (v.is_string()) {
        w.resources.push_back(v.get<std::string>());
      } else if (v.is_array() && !v.empty() &&
                 std::all_of(v.begin(), v.end(), [](const json& x) { return x.is_string(); })) {
        for (const json& x : v) w.resources.push_back(x.get<std::string>());
      } else {
        shape(at(r), "`resources` must be a resource id or a non-empty list of them");
      }
    }
    if (!w.id && !n["resources"]) {
      shape(w.location, "a waiver needs `id` or `resources`",
            "`id` waives one alert (as reddalert printed its id); `resources` waives every alert of the policy on "
            "those resources");
    }
    if (const auto r = text(n, "reason", true, w.location)) w.reason = *r;
    if (const auto o = text(n, "owner", false, w.location)) w.owner = *o;
    if (const auto e = text(n, "expires", true, w.location)) {
      w.expires_location = at(n["expires"], e->size());
      const auto t = base::parse_time(*e, 0);
      if (!t || e->front() == '-') {
        shape(w.expires_location, "`expires` must be a date or an ISO 8601 time", "e.g. `expires: 2027-03-31`");
      } else {
        w.expires = *t;
      }
    }
    if (diags_.error_count() != errors) return std::nullopt;
    return w;
  }

  std::optional<WaiverFile> read(const YAML::Node& root) {
    WaiverFile f;
    f.path = file_->path();
    if (root.IsNull()) return f;
    if (!root.IsMap() || !root["waivers"]) {
      shape(at(root), "a waivers file is a map with a list `waivers:`", "see etc/waivers.yaml");
      return std::nullopt;
    }
    for (const auto& kv : root) {
      if (kv.first.Scalar() == "waivers") continue;
      diags_.error("E0411", at(kv.first, kv.first.Scalar().size()),
                   "unknown key `" + kv.first.Scalar() + "` in a waivers file", "the file has one key, `waivers`");
    }
    const YAML::Node list = root["waivers"];
    if (list.IsNull()) return f;
    if (!list.IsSequence()) {
      shape(at(list), "`waivers` is a list of waivers");
      return std::nullopt;
    }
    for (const auto& n : list) {
      if (auto w = waiver(n)) f.waivers.push_back(std::move(*w));
    }
    return f;
  }

 private:
  base::SourcePtr file_;
  base::Diagnostics& diags_;
};

}  // namespace

WaiversResult load_waivers_text(const std::string& path, const std::string& text) {
  WaiversResult r;
  r.file = read_yaml(path, text, {}, "E0410", "E0412", "waivers file", r.diagnostics,
                     [&](const base::SourcePtr& file, const YAML::Node& root) {
                       return WaiverReader(file, r.diagnostics).read(root);
                     });
  return r;
}

WaiversResult load_waivers(const std::string& path, const base::Location& named_at) {
  std::string why;
  if (const auto text = base::read_file(path, &why)) return load_waivers_text(path, *text);
  WaiversResult r;
  r.diagnostics.add({base::Severity::Error,
                     "E0410",
                     named_at,
                     "cannot read waivers file " + path + ": " + why,
                     "the configuration's `waivers:` names it; run with --no-waivers to go without",
                     {}});
  return r;
}

}  // namespace reddalert::config
