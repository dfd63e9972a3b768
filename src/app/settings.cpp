#include "app/settings.hpp"

namespace reddalert::app {

net::HttpOptions http_options(const std::optional<config::Config>& c) {
  const config::HttpConfig h = c ? c->http : config::HttpConfig{};
  net::HttpOptions http;
  http.timeout = h.timeout.value_or(http.timeout);
  http.connect_timeout = h.connect_timeout.value_or(http.connect_timeout);
  http.retries = h.retries.value_or(http.retries);
  http.ca_file = h.ca_file.value_or("");
  http.proxy = h.proxy.value_or("");
  http.max_response = h.max_response.value_or(http.max_response);
  http.max_decompressed = h.max_decompressed.value_or(http.max_decompressed);
  return http;
}

SettingsResult resolve_settings(const CheckOptions& o, const std::optional<config::Config>& c, unsigned cores) {
  SettingsResult r;
  RunSettings& s = r.settings;
  // Exactly one data source: the command line's, else the configuration's.
  s.snapshot = o.snapshot;
  s.edda = o.edda;
  if (c) s.edda_password_env = c->edda_password_env;
  if (s.snapshot.empty() && s.edda.empty() && c) {
    s.snapshot = c->snapshot.value_or("");
    s.edda = c->edda.value_or("");
  }
  if (!s.snapshot.empty() && !s.edda.empty()) {
    r.error = "give one data source, --snapshot DIR or --edda URL, not both";
  } else if (s.snapshot.empty() && s.edda.empty()) {
    r.error =
        "no data source: give --snapshot DIR (a recorded snapshot) or --edda URL (a live EDDA), or set `snapshot:` "
        "or `edda:` in the configuration";
  }
  s.outputs = o.outputs;
  if (s.outputs.empty() && c) s.outputs = c->output;
  if (s.outputs.empty()) s.outputs = {"stdout"};
  s.state_path = o.state_path;
  if (s.state_path.empty() && c && c->state) s.state_path = *c->state;
  s.store_until = o.store_until.value_or(c && c->store_until ? *c->store_until : true);
  if (c && c->state_retention) s.retention = *c->state_retention;
  // The configuration's lag is the operator's; --lag does not exist, the default does.
  s.lag = c && c->lag ? *c->lag : o.lag;
  s.jobs = o.jobs != 0 ? o.jobs : c && c->limits.jobs ? *c->limits.jobs : cores;
  s.evaluation.jobs = s.jobs;
  if (c && c->limits.max_steps) s.evaluation.max_steps = *c->limits.max_steps;
  if (o.max_steps) s.evaluation.max_steps = *o.max_steps;
  if (c && c->limits.max_memory) s.evaluation.max_memory = *c->limits.max_memory;
  s.http = http_options(c);
  if (c) s.sinks = {c->email, c->elasticsearch, c->webhook, c->file, c->http.ca_file.value_or("")};
  return r;
}

}  // namespace reddalert::app
