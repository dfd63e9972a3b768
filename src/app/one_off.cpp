#include "app/one_off.hpp"

#include "base/thread_pool.hpp"

namespace reddalert::app {

OneOffData open_one_off(const OneOffRequest& request, const std::optional<config::Config>& config, const World& world) {
  OneOffData d;
  CheckOptions co;
  co.snapshot = request.snapshot;
  co.edda = request.edda;
  co.jobs = request.jobs;
  co.outputs = {"stdout"};
  SettingsResult resolved = resolve_settings(co, config, base::ThreadPool::default_threads());
  if (!resolved.error.empty()) {
    d.error = resolved.error;
    return d;
  }
  d.settings = std::move(resolved.settings);
  d.http = world.http(d.settings.http);
  d.source = world.source(d.settings, *d.http, {});
  const edda::Manifest manifest = d.source->manifest();
  d.window.until = request.until          ? *request.until
                   : manifest.captured_at ? *manifest.captured_at
                                          : base::now_millis() - d.settings.lag;
  d.window.since = request.since ? *request.since : manifest.since.value_or(0);
  return d;
}

}  // namespace reddalert::app
