#include "edda/client.hpp"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "base/file.hpp"
#include "base/text.hpp"
#include "base/url.hpp"

namespace reddalert::edda {

namespace {

namespace fs = std::filesystem;

}  // namespace

EddaClient::EddaClient(std::string base, net::HttpClient& http, const std::string& password_env)
    : base_(std::move(base)), http_(http) {
  while (!base_.empty() && base_.back() == '/') base_.pop_back();
  shown_ = base::redact_url(base_);
  if (!password_env.empty()) {
    const char* password = std::getenv(password_env.c_str());
    if (password == nullptr || *password == '\0')
      throw EddaError{"EDDA: the environment variable " + password_env + " is not set"};
    base_ = base::with_password(base_, password);  // libcurl sends a URL's userinfo as Basic auth
  }
}

std::string EddaClient::path(const std::string& collection, const std::string& matrix) const {
  std::string path = collection;
  for (char& c : path) c = c == '.' ? '/' : c;
  return "/api/v2/" + path + matrix;
}

std::string EddaClient::url(const std::string& collection, const std::string& matrix) const {
  return shown_ + path(collection, matrix);
}

std::string EddaClient::list(const std::string& collection, const std::string& matrix) const {
  const std::string u = url(collection, matrix);
  net::HttpResponse r;
  try {
    r = http_.get(base_ + path(collection, matrix));
  } catch (const net::HttpError& e) {
    throw EddaError{(e.too_large ? "EDDA's answer is too large: " : "EDDA unreachable: ") + e.message + " for " + u};
  }
  const bool html = r.content_type.find("html") != std::string::npos ||
                    (!r.body.empty() && r.body.find_first_not_of(" \t\r\n") != std::string::npos &&
                     r.body[r.body.find_first_not_of(" \t\r\n")] == '<');
  if (r.status != 200) {
    // EDDA's own errors are JSON {"code","name","message"}; the container's are HTML.
    const nlohmann::json err = nlohmann::json::parse(r.body, nullptr, false);
    std::string cause = !err.is_discarded() && err.is_object() && err.contains("message") && err["message"].is_string()
                            ? base::first_line(err["message"].get<std::string>())
                        : html ? "an HTML error page"
                               : base::first_line(r.body);
    const bool no_collection =
        r.status == 404 || (r.status == 400 && cause.find("invalid collection") != std::string::npos);
    throw EddaError{"EDDA answered HTTP " + std::to_string(r.status) +
                        (r.attempts > 1 ? " (after " + std::to_string(r.attempts) + " attempts)" : "") + ": " + cause +
                        " for " + u,
                    no_collection};
  }
  if (html)
    throw EddaError{"EDDA answered HTML instead of JSON (HTTP 200) for " + u + "; is the URL's context path right?"};
  return std::move(r.body);
}

namespace {

// EDDA's answer for `url` (of `size` bytes) was not the JSON array of revisions expected.
EddaError answer_error(const model::DataError& e, const std::string& url, std::size_t size) {
  if (e.byte != model::DataError::kNoByte) {
    return EddaError{"EDDA answered invalid JSON (at byte " + std::to_string(e.byte) + " of " + std::to_string(size) +
                     ") for " + url + ": " + e.cause};
  }
  const std::string prefix = "expected a JSON array, found ";
  if (e.cause.rfind(prefix, 0) == 0) {
    return EddaError{"EDDA answered " + e.cause.substr(prefix.size()) + " instead of a list for " + url};
  }
  return EddaError{"EDDA's answer for " + url + ": " + e.cause};
}

bool empty_array(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  const auto last = text.find_last_not_of(" \t\r\n");
  return first != std::string_view::npos && text.substr(first, last - first + 1) == "[]";
}

}  // namespace

std::unique_ptr<Snapshot> fetch_window(const EddaClient& client, const std::vector<CollectionRequest>& collections,
                                       Window window, FetchReport& report, int parallel,
                                       const std::function<void(std::size_t, std::size_t)>& progress,
                                       base::ThreadPool* pool) {
  struct Query {
    std::string collection;
    std::string matrix;
    std::string answer;
  };
  const std::string s = std::to_string(window.since), u = std::to_string(window.until);
  std::vector<Query> queries;
  for (const CollectionRequest& c : collections) {
    const Views& v = c.views;
    if (v.current) queries.push_back({c.name, ";_expand;_meta;_at=" + u, {}});
    if (v.changed) queries.push_back({c.name, ";_expand;_meta;_since=" + s + ";_until=" + u + ";_updated", {}});
    if (v.previous) queries.push_back({c.name, ";_expand;_meta;_at=" + s, {}});
  }
  std::atomic<std::size_t> next{0}, done{0};
  std::mutex failure_mutex;
  std::optional<EddaError> failure;
  std::set<std::string> missing;  // guarded by failure_mutex
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
        if (!e.no_collection) {
          if (!failure) failure = e;
          return;
        }
        missing.insert(queries[i].collection);
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

  // Each collection's answers in query order; a revision answered twice (EDDA does not
  // de-duplicate across queries) is read twice and kept once.
  std::map<std::string, std::vector<std::string>> texts, urls;
  std::map<std::string, std::size_t> sizes;
  std::map<std::string, bool> empty;
  report.missing.assign(missing.begin(), missing.end());
  for (Query& q : queries) {
    if (missing.count(q.collection)) continue;  // every view of it, even those answered
    const std::string url = client.url(q.collection, q.matrix);
    sizes[url] = q.answer.size();
    auto [it, fresh] = empty.try_emplace(q.collection, true);
    it->second = it->second && empty_array(q.answer);
    texts[q.collection].push_back(std::move(q.answer));
    urls[q.collection].push_back(url);
  }
  for (const auto& [name, nothing] : empty) {
    if (nothing) report.empty.push_back(name);
  }
  try {
    return Snapshot::from_texts(std::move(texts), urls, collections, window, pool);
  } catch (const model::DataError& e) {
    // The reader names the input by its URL; the message starts with it.
    for (const auto& [url, size] : sizes) {
      if (e.message.rfind(url + ":", 0) == 0) throw answer_error(e, url, size);
    }
    throw EddaError{e.message};
  }
}

std::vector<std::string> record_snapshot(const EddaClient& client, const std::vector<std::string>& collections,
                                         const std::string& dir, base::Millis captured_at,
                                         const std::string& edda_url) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw SnapshotError{"cannot create " + dir + ": " + ec.message()};
  std::vector<std::string> skipped;
  // Each file whole or not at all: a full disk must fail the recording, not leave a
  // truncated file that the next `check` reads.
  auto write = [&](const std::string& name, std::string& text) {
    text += '\n';
    const std::string failure = base::write_file_atomic((fs::path(dir) / name).string(), text);
    if (!failure.empty()) throw SnapshotError{failure};
  };
  for (const std::string& c : collections) {
    std::string text;
    try {
      text = client.list(c, ";_since=0;_all;_expand;_meta");
    } catch (const EddaError& e) {
      if (!e.no_collection) throw;
      skipped.push_back(c);
      continue;
    }
    // Recorded as EDDA wrote it, once it reads as an array of revisions.
    try {
      model::TextSource source(text);
      model::read_array(source, client.url(c, ";_since=0;_all;_expand;_meta"), [](const model::Element&) {});
    } catch (const model::DataError& e) {
      throw answer_error(e, client.url(c, ";_since=0;_all;_expand;_meta"), text.size());
    }
    write(c + ".json", text);
  }
  std::string manifest =
      nlohmann::json{{"captured_at", captured_at}, {"edda", base::redact_url(edda_url)}, {"since", 0}}.dump(1);
  write("manifest.json", manifest);
  return skipped;
}

}  // namespace reddalert::edda
