#include "edda/client.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

namespace reddalert::edda {

namespace {

namespace fs = std::filesystem;
using model::Json;

std::string first_line(std::string s, std::size_t max = 200) {
  const std::size_t eol = s.find_first_of("\r\n");
  if (eol != std::string::npos) s = s.substr(0, eol);
  if (s.size() > max) s = s.substr(0, max) + "...";
  return s;
}

}  // namespace

EddaClient::EddaClient(std::string base, net::HttpClient& http) : base_(std::move(base)), http_(http) {
  while (!base_.empty() && base_.back() == '/') base_.pop_back();
}

std::string EddaClient::url(const std::string& collection, const std::string& matrix) const {
  std::string path = collection;
  for (char& c : path) c = c == '.' ? '/' : c;
  return base_ + "/api/v2/" + path + matrix;
}

Json EddaClient::list(const std::string& collection, const std::string& matrix) const {
  const std::string u = url(collection, matrix);
  net::HttpResponse r;
  try {
    r = http_.get(u);
  } catch (const net::HttpError& e) {
    throw EddaError{"EDDA unreachable: " + e.message + " for " + u};
  }
  const bool html = r.content_type.find("html") != std::string::npos ||
                    (!r.body.empty() && r.body.find_first_not_of(" \t\r\n") != std::string::npos &&
                     r.body[r.body.find_first_not_of(" \t\r\n")] == '<');
  if (r.status != 200) {
    // EDDA's own errors are JSON {"code","name","message"}; the container's are HTML.
    const Json err = Json::parse(r.body, nullptr, false);
    std::string cause = !err.is_discarded() && err.is_object() && err.contains("message") && err["message"].is_string()
                            ? err["message"].get<std::string>()
                        : html ? "an HTML error page"
                               : first_line(r.body);
    throw EddaError{"EDDA answered HTTP " + std::to_string(r.status) +
                    (r.attempts > 1 ? " (after " + std::to_string(r.attempts) + " attempts)" : "") + ": " + cause +
                    " for " + u};
  }
  if (html)
    throw EddaError{"EDDA answered HTML instead of JSON (HTTP 200) for " + u + "; is the URL's context path right?"};
  Json j;
  try {
    j = model::parse_document(r.body);
  } catch (const Json::parse_error& e) {
    throw EddaError{"EDDA answered invalid JSON (at byte " + std::to_string(e.byte) + " of " +
                    std::to_string(r.body.size()) + ") for " + u};
  }
  if (!j.is_array()) throw EddaError{"EDDA answered " + std::string(j.type_name()) + " instead of a list for " + u};
  return j;
}

std::unique_ptr<Snapshot> fetch_window(const EddaClient& client, const std::map<std::string, Views>& collections,
                                       Window window, FetchReport& report, int parallel,
                                       const std::function<void(std::size_t, std::size_t)>& progress) {
  struct Query {
    std::string collection;
    std::string matrix;
    Json answer;
  };
  const std::string s = std::to_string(window.since), u = std::to_string(window.until);
  std::vector<Query> queries;
  for (const auto& [name, v] : collections) {
    if (v.current) queries.push_back({name, ";_expand;_meta;_at=" + u, {}});
    if (v.changed) queries.push_back({name, ";_expand;_meta;_since=" + s + ";_until=" + u + ";_updated", {}});
    if (v.previous) queries.push_back({name, ";_expand;_meta;_at=" + s, {}});
  }
  std::atomic<std::size_t> next{0}, done{0};
  std::mutex failure_mutex;
  std::optional<EddaError> failure;
  auto worker = [&] {
    for (std::size_t i; (i = next++) < queries.size();) {
      {
        const std::lock_guard<std::mutex> lock(failure_mutex);
        if (failure) return;
      }
      try {
        queries[i].answer = client.list(queries[i].collection, queries[i].matrix);
      } catch (const EddaError& e) {
        const std::lock_guard<std::mutex> lock(failure_mutex);
        if (!failure) failure = e;
        return;
      }
      const std::size_t d = ++done;
      if (progress) {
        const std::lock_guard<std::mutex> lock(failure_mutex);
        progress(d, queries.size());
      }
    }
  };
  std::vector<std::thread> threads;
  const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(std::max(parallel, 1)), queries.size());
  for (std::size_t t = 0; t < n; ++t) threads.emplace_back(worker);
  for (std::thread& t : threads) t.join();
  report.requests += done;
  if (failure) throw *failure;

  // One array of revisions per collection, each revision once (EDDA does not de-duplicate).
  std::map<std::string, Json> arrays;
  std::map<std::string, std::set<std::pair<std::string, base::Millis>>> seen;
  for (Query& q : queries) {
    Json& out = arrays.try_emplace(q.collection, Json::array()).first->second;
    for (Json& e : q.answer) {
      if (!e.is_object() || !e.contains("id") || !e.contains("stime")) continue;
      const std::string id = e["id"].is_string() ? e["id"].get<std::string>() : e["id"].dump();
      const base::Millis stime = e["stime"].is_number() ? e["stime"].get<base::Millis>() : 0;
      if (seen[q.collection].insert({id, stime}).second) out.push_back(std::move(e));
    }
  }
  for (const auto& [name, arr] : arrays) {
    if (arr.empty()) report.empty.push_back(name);
  }
  return Snapshot::from_json(std::move(arrays), window);
}

std::vector<std::string> record_snapshot(const EddaClient& client, const std::vector<std::string>& collections,
                                         const std::string& dir, base::Millis captured_at,
                                         const std::string& edda_url) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw SnapshotError{"cannot create " + dir + ": " + ec.message()};
  std::vector<std::string> skipped;
  auto write = [&](const std::string& name, const Json& j) {
    const fs::path target = fs::path(dir) / name;
    const fs::path tmp = fs::path(dir) / (name + ".partial");
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << j.dump(1) << '\n';
      if (!out) throw SnapshotError{"cannot write " + tmp.string()};
    }
    fs::rename(tmp, target, ec);
    if (ec) throw SnapshotError{"cannot write " + target.string() + ": " + ec.message()};
  };
  for (const std::string& c : collections) {
    try {
      write(c + ".json", client.list(c, ";_since=0;_all;_expand;_meta"));
    } catch (const EddaError& e) {
      if (e.message.find("invalid collection") == std::string::npos) throw;
      skipped.push_back(c);
    }
  }
  write("manifest.json", Json{{"captured_at", captured_at}, {"edda", edda_url}, {"since", 0}});
  return skipped;
}

}  // namespace reddalert::edda
