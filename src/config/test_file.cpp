#include "config/test_file.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "base/file.hpp"
#include "base/text.hpp"
#include "config/yaml_json.hpp"

namespace reddalert::config {

namespace {

using nlohmann::json;

class TestReader {
 public:
  TestReader(base::SourcePtr file, base::Diagnostics& diags) : file_(std::move(file)), diags_(diags) {}

  base::Location at(const YAML::Node& n, std::size_t length = 1) const { return yaml_location(file_, n, length); }

  void unknown_keys(const YAML::Node& map, const std::vector<std::string>& allowed, const std::string& where) {
    for (const auto& kv : map) {
      const std::string key = kv.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      std::string hint = base::did_you_mean(key, allowed);
      if (hint.empty()) hint = "known keys: " + base::join(allowed, ", ");
      diags_.error("E0501", at(kv.first, key.size()), "unknown key `" + key + "` in " + where, hint);
    }
  }

  std::optional<base::Millis> time(const YAML::Node& n, const char* what) {
    const json v = yaml_to_json(n);
    if (v.is_number_integer() && base::valid_time(v.get<base::Millis>())) return v.get<base::Millis>();
    if (v.is_string()) {
      if (const auto t = base::parse_time(v.get<std::string>(), 0)) return t;
    }
    diags_.error(
        "E0502", at(n),
        std::string("`") + what + "` must be epoch milliseconds or an ISO 8601 time, from " + base::kTimeRange);
    return std::nullopt;
  }

  TestCase test_case(const YAML::Node& n, std::size_t index) {
    TestCase c;
    c.location = at(n);
    c.name = "case " + std::to_string(index + 1);
    if (!n.IsMap()) {
      diags_.error("E0502", at(n), "a test case is a map with `name`, `data` and `expect`");
      return c;
    }
    unknown_keys(
        n,
        {"name", "params", "config_params", "window", "data", "state", "expect", "count", "problems", "not_evaluated"},
        "a test case");
    if (n["name"]) c.name = n["name"].as<std::string>(c.name);
    if (const YAML::Node p = n["params"]) {
      if (!p.IsMap()) {
        diags_.error("E0502", at(p), "`params` is a map of param name -> value");
      } else {
        for (const auto& kv : p) {
          c.params[kv.first.Scalar()] = yaml_to_json(kv.second);
          c.param_locations[kv.first.Scalar()] = at(kv.first, kv.first.Scalar().size());
        }
      }
    }
    if (const YAML::Node w = n["window"]) {
      if (!w.IsMap()) {
        diags_.error("E0502", at(w), "`window` is {since: T, until: T}");
      } else {
        unknown_keys(w, {"since", "until"}, "`window`");
        if (w["since"]) c.since = time(w["since"], "since");
        if (w["until"]) c.until = time(w["until"], "until");
      }
    }
    if (const YAML::Node d = n["data"]) {
      if (!d.IsMap()) {
        diags_.error("E0502", at(d), "`data` maps collection names to lists of documents");
      } else {
        for (const auto& kv : d) {
          const json docs = yaml_to_json(kv.second);
          if (!docs.is_array() && !docs.is_null()) {  // null: the source does not serve it
            diags_.error(
                "E0502", at(kv.second),
                "`data." + kv.first.Scalar() + "` must be a list of documents, or null for a source without it");
            continue;
          }
          c.data[kv.first.Scalar()] = docs;
          c.data_locations[kv.first.Scalar()] = at(kv.first, kv.first.Scalar().size());
        }
      }
    }
    if (const YAML::Node s = n["state"]) {
      unknown_keys(s, {"first_seen"}, "`state`");
      const json fs = s["first_seen"] ? yaml_to_json(s["first_seen"]) : json::array();
      if (!fs.is_array())
        diags_.error("E0502", at(s), "`state.first_seen` is a list of values");
      else
        for (const json& v : fs) c.first_seen.push_back(v);
    }
    if (const YAML::Node cp = n["config_params"]) {
      const json v = yaml_to_json(cp);
      if (!v.is_boolean()) {
        diags_.error("E0502", at(cp),
                     "`config_params` is true or false: whether the case starts from the configuration's params");
      } else if (v.get<bool>()) {
        c.config_params = at(cp);
      }
    }
    if (const YAML::Node k = n["count"]) {
      const json v = yaml_to_json(k);
      if (v.is_number_integer() && v.get<long long>() >= 0) {
        c.count = v.get<std::size_t>();
      } else {
        diags_.error("E0502", at(k), "`count` is the number of alerts the case raises, 0 or more");
      }
    }
    if (const YAML::Node ne = n["not_evaluated"]) {
      const json v = yaml_to_json(ne);
      if (v.is_string() && !v.get<std::string>().empty()) {
        c.not_evaluated = v.get<std::string>();
      } else {
        diags_.error("E0502", at(ne), "`not_evaluated` is a part of the reason the policy is not evaluated",
                     "e.g. `not_evaluated: \"field view.instances.metadataOptions not provided\"`");
      }
    }
    if (const YAML::Node pr = n["problems"]) {
      c.problems = strings(pr, "`problems` is a list of run-time problem messages (a part of each is enough)");
    }
    // A policy that is not evaluated raises no alert: `not_evaluated` says all `expect: []` would.
    const YAML::Node e = n["expect"];
    if (!e) {
      if (!n["not_evaluated"])
        diags_.error("E0502", c.location, "test case `" + c.name + "` has no `expect`",
                     "write `expect: []` for no alerts, or `not_evaluated:` for data the policy cannot decide");
    } else if (!e.IsSequence()) {
      diags_.error("E0502", at(e), "`expect` is a list of {id, messages, severity, details, resources}");
    } else {
      for (const auto& x : e) {
        ExpectedAlert a;
        if (x.IsScalar()) {
          a.id = x.Scalar();
        } else if (x.IsMap() && x["id"]) {
          unknown_keys(x, {"id", "messages", "severity", "details", "resources"}, "an expected alert");
          a.id = x["id"].as<std::string>();
          if (x["messages"]) a.messages = texts(x["messages"]);
          if (x["resources"]) a.resources = texts(x["resources"]);
          if (x["severity"]) {
            if (x["severity"].IsScalar()) {
              a.severity = x["severity"].Scalar();
            } else {
              diags_.error("E0502", at(x["severity"]), "`severity` is one of info, low, medium, high, critical");
            }
          }
          if (x["details"]) {
            const json d = yaml_to_json(x["details"]);
            a.details = d.is_array() ? std::vector<json>(d.begin(), d.end()) : std::vector<json>{d};
          }
        } else {
          diags_.error("E0502", at(x), "an expected alert is {id: ..., messages: [...]} or just its id");
          continue;
        }
        c.expect.push_back(std::move(a));
      }
    }
    return c;
  }

  // A value or a list of them, as texts (a number as its JSON).
  static std::vector<std::string> texts(const YAML::Node& n) {
    const json v = yaml_to_json(n);
    std::vector<std::string> out;
    for (const json& s : v.is_array() ? v : json::array({v}))
      out.push_back(s.is_string() ? s.get<std::string>() : s.dump());
    return out;
  }

  // A list of strings, else `problem` at the node.
  std::optional<std::vector<std::string>> strings(const YAML::Node& n, const char* problem) {
    const json v = yaml_to_json(n);
    if (!v.is_array() || !std::all_of(v.begin(), v.end(), [](const json& s) { return s.is_string(); })) {
      diags_.error("E0502", at(n), problem);
      return std::nullopt;
    }
    return std::vector<std::string>(v.begin(), v.end());
  }

  std::optional<TestFile> read(const YAML::Node& root) {
    if (!root.IsMap()) {
      diags_.error("E0502", at(root), "a test file is a map with `policy` and `cases`");
      return std::nullopt;
    }
    unknown_keys(root, {"policy", "cases"}, "a test file");
    TestFile f;
    f.path = file_->path();
    if (!root["policy"] || !root["policy"].IsScalar()) {
      diags_.error("E0502", at(root), "a test file names its policy: `policy: NAME`");
      return std::nullopt;
    }
    f.policy = root["policy"].Scalar();
    f.policy_location = at(root["policy"], f.policy.size());
    const YAML::Node cases = root["cases"];
    if (!cases || !cases.IsSequence()) {
      diags_.error("E0502", at(root), "a test file has a list of `cases`");
      return std::nullopt;
    }
    for (std::size_t i = 0; i < cases.size(); ++i) f.cases.push_back(test_case(cases[i], i));
    return f;
  }

 private:
  base::SourcePtr file_;
  base::Diagnostics& diags_;
};

}  // namespace

TestFileResult load_test_text(const std::string& path, const std::string& text) {
  TestFileResult r;
  r.file = read_yaml(
      path, text, {}, "E0500", "E0502", "test file", r.diagnostics,
      [&](const base::SourcePtr& file, const YAML::Node& root) { return TestReader(file, r.diagnostics).read(root); });
  return r;
}

TestFileResult load_test_file(const std::string& path) {
  std::string why;
  if (const auto text = base::read_file(path, &why)) return load_test_text(path, *text);
  TestFileResult r;
  r.diagnostics.add({base::Severity::Error, "E0500", {}, "cannot read test file " + path + ": " + why, "", {}});
  return r;
}

}  // namespace reddalert::config
