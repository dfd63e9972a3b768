#include "config/config.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "base/file.hpp"
#include "base/text.hpp"
#include "base/url.hpp"
#include "config/yaml_json.hpp"

namespace reddalert::config {

namespace {

using nlohmann::json;

constexpr base::Millis kDay = 86400000;
constexpr int kMaxRetries = 10;
constexpr std::size_t kMinAnswer = 1024;  // an answer smaller than this cannot even hold an error page

// Keys of cli.md section 3, and those of the original tool (section 8).
const std::map<std::string, std::set<std::string>> kSections = {
    {"",
     {"edda", "edda_password_env", "snapshot", "policies", "import_paths", "state", "lag", "store-until", "output",
      "http", "email", "elasticsearch", "webhook", "file", "waivers", "policies_config", "state_retention", "limits",
      "lint",
      // the original configfile.json
      "es_host", "es_port", "email_from", "email_to", "email_subject", "smtp_host"}},
    {"http", {"timeout", "connect_timeout", "retries", "ca_file", "proxy", "max_response", "max_decompressed"}},
    {"email", {"smtp_url", "starttls", "from", "to", "subject", "username_env", "password_env"}},
    {"elasticsearch", {"url", "index", "api_key_env"}},
    {"webhook", {"url", "url_env", "format"}},
    {"limits", {"max_steps", "max_memory", "jobs"}},
};

class Reader {
 public:
  Reader(base::SourcePtr file, base::Diagnostics& diags) : file_(std::move(file)), diags_(diags) {}

  base::Location at(const YAML::Node& n, std::uint32_t length = 1) const { return yaml_location(file_, n, length); }
  base::Location at_key(const YAML::Node& key) const {
    return at(key, static_cast<std::uint32_t>(key.IsScalar() ? key.Scalar().size() : 1));
  }

  void error(const std::string& code, base::Location loc, std::string message, std::string hint = {}) {
    diags_.error(code, std::move(loc), std::move(message), std::move(hint));
  }

  json to_json(const YAML::Node& n) const { return yaml_to_json(n); }

  std::optional<std::string> string(const YAML::Node& n, const std::string& key) {
    if (n.IsScalar()) return n.Scalar();
    if (n.IsNull()) return std::nullopt;
    error("E0402", at(n), "`" + key + "` must be a string");
    return std::nullopt;
  }

  std::vector<std::string> string_list(const YAML::Node& n, const std::string& key) {
    std::vector<std::string> out;
    if (n.IsScalar()) {  // "stdout,email" as the original wrote it
      std::stringstream ss(n.Scalar());
      for (std::string item; std::getline(ss, item, ',');) {
        if (!item.empty()) out.push_back(item);
      }
    } else if (n.IsSequence()) {
      for (const auto& e : n) {
        if (e.IsScalar())
          out.push_back(e.Scalar());
        else
          error("E0402", at(e), "`" + key + "` must be a list of strings");
      }
    } else if (!n.IsNull()) {
      error("E0402", at(n), "`" + key + "` must be a list of strings or a comma-separated string");
    }
    return out;
  }

  void check_keys(const YAML::Node& map, const std::string& section) {
    const auto& allowed = kSections.at(section);
    for (const auto& kv : map) {
      const std::string key = kv.first.Scalar();
      if (section.empty() && key.rfind("plugin.", 0) == 0) continue;
      if (allowed.count(key)) continue;
      const std::vector<std::string> names(allowed.begin(), allowed.end());
      std::string hint = base::did_you_mean(key, names);
      if (hint.empty())
        hint =
            "known keys" + (section.empty() ? std::string() : " of `" + section + "`") + ": " + base::join(names, ", ");
      error("E0401", at_key(kv.first),
            "unknown configuration key `" + (section.empty() ? key : section + "." + key) + "`", hint);
    }
  }

  void params(const YAML::Node& n, PolicyConfig& pc, const std::string& policy) {
    if (!n.IsMap()) {
      if (!n.IsNull()) error("E0402", at(n), "the params of `" + policy + "` must be a map of name: value");
      return;
    }
    for (const auto& kv : n) {
      pc.params[kv.first.Scalar()] = {to_json(kv.second), at(kv.second)};
    }
  }

  void policies_config(const YAML::Node& n, Config& c) {
    if (!n.IsMap()) {
      error("E0402", at(n), "`policies_config` must be a map of policy name -> {params, enabled}");
      return;
    }
    for (const auto& kv : n) {
      const std::string name = kv.first.Scalar();
      PolicyConfig& pc = c.policies_config[name];
      pc.location = at_key(kv.first);
      if (!kv.second.IsMap()) {
        error("E0402", at(kv.second), "`policies_config." + name + "` must be a map with `params` and/or `enabled`");
        continue;
      }
      for (const auto& entry : kv.second) {
        const std::string key = entry.first.Scalar();
        if (key == "params") {
          params(entry.second, pc, name);
        } else if (key == "enabled") {
          const json v = to_json(entry.second);
          if (!v.is_boolean())
            error("E0402", at(entry.second), "`enabled` must be true or false");
          else
            pc.enabled = v.get<bool>();
        } else {
          error("E0401", at_key(entry.first), "unknown configuration key `policies_config." + name + "." + key + "`",
                base::did_you_mean(key, {"params", "enabled"}).empty()
                    ? "a policy's entry has `params` and `enabled`"
                    : base::did_you_mean(key, {"params", "enabled"}));
        }
      }
    }
  }

  // Every number of `http:` within bounds: a value that wraps or means "forever" (a
  // timeout of 0s, 2^31-1 retries) is an error, not a surprise in production.
  void http(const YAML::Node& n, HttpConfig& h) {
    auto duration = [&](const char* key, std::optional<base::Millis>& out) {
      if (!n[key] || n[key].IsNull()) return;
      const auto s = string(n[key], std::string("http.") + key);
      if (s) out = base::parse_duration(*s);
      if (!out || *out <= 0 || *out > kDay) {
        error("E0402", at(n[key]), std::string("`http.") + key + "` must be a duration from 1ms to 1d, such as 60s",
              "0s would mean no timeout at all: a peer that stops answering would hang the run");
        out.reset();
      }
    };
    duration("timeout", h.timeout);
    duration("connect_timeout", h.connect_timeout);
    if (n["retries"] && !n["retries"].IsNull()) {
      const json r = to_json(n["retries"]);
      if (r.is_number_integer() && r >= 0 && r <= kMaxRetries) {
        h.retries = r.get<int>();
      } else {
        error("E0402", at(n["retries"]),
              "`http.retries` must be a number of retries from 0 to " + std::to_string(kMaxRetries),
              "the wait doubles with each retry (0.5s, 1s, 2s, ...): the tenth already waits over 4 minutes");
      }
    }
    auto size = [&](const char* key, std::optional<std::size_t>& out) {
      if (!n[key] || n[key].IsNull()) return;
      const auto s = string(n[key], std::string("http.") + key);
      if (s) out = base::parse_bytes(*s);
      if (!out || *out < kMinAnswer) {
        error("E0402", at(n[key]), std::string("`http.") + key + "` must be a size of 1KiB or more, such as 2GiB");
        out.reset();
      }
    };
    size("max_response", h.max_response);
    size("max_decompressed", h.max_decompressed);
    if (n["ca_file"] && !n["ca_file"].IsNull()) h.ca_file = string(n["ca_file"], "http.ca_file");
    if (n["proxy"] && !n["proxy"].IsNull()) {
      h.proxy = string(n["proxy"], "http.proxy");
      // Without a scheme libcurl guesses one; `file://` and the like are no proxy at all.
      if (h.proxy && !h.proxy->empty()) url(n["proxy"], "http.proxy", *h.proxy, base::kProxySchemes);
    }
  }

  // A URL setting: only the schemes its peer speaks (libcurl is restricted to them too).
  void url(const YAML::Node& n, const std::string& key, const std::string& value,
           const std::vector<std::string>& schemes) {
    const std::string problem = base::url_problem(value, schemes);
    if (!problem.empty()) error("E0402", at(n), "`" + key + "` must be " + base::url_kind(schemes) + ": " + problem);
  }

  void limits(const YAML::Node& n, LimitsConfig& l) {
    const auto positive = [&](const char* key, const char* what) -> std::optional<std::uint64_t> {
      if (!n[key] || n[key].IsNull()) return std::nullopt;
      const json v = to_json(n[key]);
      if (v.is_number_unsigned() && v.get<std::uint64_t>() > 0) return v.get<std::uint64_t>();
      error("E0402", at(n[key]), std::string("`limits.") + key + "` must be " + what);
      return std::nullopt;
    };
    l.max_steps = positive("max_steps", "a positive number of evaluation steps");
    if (const auto jobs = positive("jobs", "a positive number of threads")) {
      l.jobs = static_cast<unsigned>(std::min<std::uint64_t>(*jobs, 64));
    }
    if (n["max_memory"] && !n["max_memory"].IsNull()) {
      const auto s = string(n["max_memory"], "limits.max_memory");
      if (s) l.max_memory = base::parse_bytes(*s);
      if (!l.max_memory || *l.max_memory == 0) {
        error("E0402", at(n["max_memory"]), "`limits.max_memory` must be a size such as 512MiB or 1GiB");
      }
    }
  }

  // A string setting of a section, checked for kind.
  void set(const YAML::Node& n, const char* key, const std::string& section, std::string& out) {
    if (n[key] && !n[key].IsNull()) {
      if (const auto v = string(n[key], section + "." + key)) out = *v;
    }
  }

  void sinks(const std::string& key, const YAML::Node& v, Config& c) {
    if (key == "email") {
      set(v, "smtp_url", key, c.email.smtp_url);
      if (!c.email.smtp_url.empty()) url(v["smtp_url"], "email.smtp_url", c.email.smtp_url, base::kSmtpSchemes);
      set(v, "from", key, c.email.from);
      set(v, "subject", key, c.email.subject);
      set(v, "username_env", key, c.email.username_env);
      set(v, "password_env", key, c.email.password_env);
      if (v["to"]) c.email.to = string_list(v["to"], "email.to");
      if (v["starttls"]) {
        const json b = to_json(v["starttls"]);
        if (!b.is_boolean())
          error("E0402", at(v["starttls"]), "`email.starttls` must be true or false");
        else
          c.email.starttls = b.get<bool>();
      }
    } else if (key == "elasticsearch") {
      set(v, "url", key, c.elasticsearch.url);
      if (!c.elasticsearch.url.empty()) url(v["url"], "elasticsearch.url", c.elasticsearch.url, base::kHttpSchemes);
      set(v, "index", key, c.elasticsearch.index);
      set(v, "api_key_env", key, c.elasticsearch.api_key_env);
    } else if (key == "webhook") {
      set(v, "url", key, c.webhook.url);
      if (!c.webhook.url.empty()) url(v["url"], "webhook.url", c.webhook.url, base::kHttpSchemes);
      set(v, "url_env", key, c.webhook.url_env);
      if (!c.webhook.url.empty() && !c.webhook.url_env.empty()) {
        error("E0402", at(v["url_env"]), "`webhook.url` and `webhook.url_env` exclude each other",
              "keep `url_env`: the URL of a Slack webhook is its secret");
      }
      set(v, "format", key, c.webhook.format);
      if (c.webhook.format != "json" && c.webhook.format != "slack") {
        error("E0402", at(v["format"]), "`webhook.format` is `json` or `slack`");
      }
    }
  }

  // The original tool's flat keys (design cli.md section 8).
  void original(const std::string& key, const YAML::Node& v, Config& c) {
    const json j = to_json(v);
    const std::string s = j.is_string() ? j.get<std::string>() : j.dump();
    if (key == "es_host")
      c.elasticsearch.url = "http://" + s + ":" + (original_es_port_.empty() ? "9200" : original_es_port_);
    if (key == "es_port") {
      const bool digits = !s.empty() && s.size() <= 5 && s.find_first_not_of("0123456789") == std::string::npos;
      if (!digits || std::stoi(s) < 1 || std::stoi(s) > 65535) {
        error("E0402", at(v), "`es_port` must be a port number from 1 to 65535");
        return;
      }
      original_es_port_ = s;
      if (!c.elasticsearch.url.empty()) {
        const std::size_t colon = c.elasticsearch.url.rfind(':');
        c.elasticsearch.url = c.elasticsearch.url.substr(0, colon) + ":" + s;
      }
    }
    if (key == "email_from") c.email.from = s;
    if (key == "email_to") c.email.to = string_list(v, key);
    if (key == "email_subject") c.email.subject = s;
    if (key == "smtp_host") {
      c.email.smtp_url = "smtp://" + s;
      c.email.starttls = false;  // the original sent plain SMTP to a local relay
    }
  }

  // `lint: {W0201: error, W0204: off}`: warnings may become errors or be turned off; an
  // error keeps its level (it makes a policy unusable).
  void lint(const YAML::Node& n, Config& c) {
    if (n.IsNull()) return;
    if (!n.IsMap()) {
      error("E0402", at(n), "`lint` must be a map of warning code: error, warning or off",
            "e.g. `lint: {W0201: error, W0204: off}`");
      return;
    }
    const std::vector<std::string> warnings(std::begin(base::kWarningCodes), std::end(base::kWarningCodes));
    for (const auto& kv : n) {
      const std::string code = kv.first.Scalar();
      if (!base::is_warning_code(code)) {
        if (!code.empty() && code[0] == 'E' && code.size() == 5) {
          error("E0402", at_key(kv.first), "`lint." + code + "`: an error keeps its level; only warnings can be set",
                "errors make a policy unusable; fix what E-codes report");
        } else {
          std::string hint = base::did_you_mean(code, warnings);
          if (hint.empty()) hint = "the warnings: " + base::join(warnings, ", ");
          error("E0401", at_key(kv.first), "unknown configuration key `lint." + code + "`: no such warning", hint);
        }
        continue;
      }
      const json value = to_json(kv.second);
      const std::string level = value.is_string() ? value.get<std::string>() : std::string();
      static const std::map<std::string, LintLevel> kLevels = {
          {"error", LintLevel::Error}, {"warning", LintLevel::Warning}, {"off", LintLevel::Off}};
      const auto it = kLevels.find(level);
      if (it == kLevels.end()) {
        // YAML reads a bare `off` as a string here (to_json keeps only true/false as booleans).
        error("E0402", at(kv.second, kv.second.IsScalar() ? kv.second.Scalar().size() : 1),
              "`lint." + code + "` must be error, warning or off");
        continue;
      }
      c.lint[code] = {.level = it->second, .location = at(kv.second)};
    }
  }

  Config read(const YAML::Node& root) {
    Config c;
    c.path = file_->path();
    if (root.IsNull()) return c;
    if (!root.IsMap()) {
      error("E0402", at(root), "a configuration file is a map of keys (see etc/reddalert.yaml)");
      return c;
    }
    check_keys(root, "");
    for (const auto& kv : root) {
      const std::string key = kv.first.Scalar();
      const YAML::Node& v = kv.second;
      if (key == "edda" || key == "snapshot") {
        (key == "edda" ? c.edda : c.snapshot) = string(v, key);
        if (key == "edda" && c.edda) url(v, key, *c.edda, base::kHttpSchemes);
        // One data source: the second is the mistake, at its line.
        if (c.edda && c.snapshot) {
          error("E0402", at_key(kv.first), "`edda` and `snapshot` are both set; a run reads one data source",
                "keep one; `check --snapshot DIR` or `--edda URL` chooses for one run");
        }
      } else if (key == "edda_password_env") {
        if (const auto name = string(v, key)) c.edda_password_env = *name;
      } else if (key == "state")
        c.state = string(v, key);
      else if (key == "policies")
        c.policies = string_list(v, key);
      else if (key == "import_paths")
        c.import_paths = string_list(v, key);
      else if (key == "output")
        c.output = string_list(v, key);
      else if (key == "lag") {
        const auto s = string(v, key);
        if (s) {
          c.lag = base::parse_duration(*s);
          if (!c.lag) error("E0402", at(v), "`lag` must be a duration such as 5m, 30s or 1h");
        }
      } else if (key == "state_retention") {
        const auto s = string(v, key);
        if (s) {
          c.state_retention = base::parse_duration(*s);
          if (!c.state_retention) error("E0402", at(v), "`state_retention` must be a duration such as 90d");
        }
      } else if (key == "store-until") {
        const json b = to_json(v);
        if (!b.is_boolean())
          error("E0402", at(v), "`store-until` must be true or false");
        else
          c.store_until = b.get<bool>();
      } else if (key == "policies_config") {
        policies_config(v, c);
      } else if (key == "lint") {
        lint(v, c);
      } else if (key.rfind("plugin.", 0) == 0) {
        // The original tool's per-plugin settings are the policy's params.
        PolicyConfig& pc = c.policies_config[key.substr(7)];
        pc.location = at_key(kv.first);
        pc.original = true;
        params(v, pc, key.substr(7));
      } else if (kSections.count(key) && key != "") {
        if (!v.IsMap() && !v.IsNull()) {
          error("E0402", at(v), "`" + key + "` must be a map");
        } else if (v.IsMap()) {
          check_keys(v, key);
          if (key == "http") http(v, c.http);
          if (key == "limits") limits(v, c.limits);
          sinks(key, v, c);
        }
      } else if (key == "file") {
        if (const auto path = string(v, key)) c.file = *path;
      } else if (key == "waivers") {
        c.waivers = string(v, key);
        c.waivers_location = at(v, v.IsScalar() ? v.Scalar().size() : 1);
      } else if (key == "es_host" || key == "es_port" || key == "email_from" || key == "email_to" ||
                 key == "email_subject" || key == "smtp_host") {
        original(key, v, c);
      }
    }
    return c;
  }

 private:
  base::SourcePtr file_;
  base::Diagnostics& diags_;
  std::string original_es_port_;
};

}  // namespace

LoadResult load_text(const std::string& path, const std::string& text) {
  LoadResult r;
  // A diagnostic shows the line it is on: never with the password or webhook path in it.
  r.config = read_yaml(path, text, base::mask_url_secrets(text), "E0400", "E0402", "configuration", r.diagnostics,
                       [&](const base::SourcePtr& file, const YAML::Node& root) {
                         return std::optional<Config>(Reader(file, r.diagnostics).read(root));
                       });
  return r;
}

LoadResult load(const std::string& path) {
  std::string why;
  if (const auto text = base::read_file(path, &why)) return load_text(path, *text);
  LoadResult r;
  r.diagnostics.add(
      {base::Severity::Error, "E0400", {}, "cannot read configuration file " + path + ": " + why, "", {}});
  return r;
}

}  // namespace reddalert::config
