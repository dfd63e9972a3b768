#include "app/source.hpp"

#include <algorithm>

#include "base/text.hpp"
#include "base/url.hpp"
#include "edda/client.hpp"

namespace reddalert::app {

std::vector<edda::CollectionRequest> requests_of(const eval::Program& program) {
  std::vector<edda::CollectionRequest> requests;
  for (const eval::CollectionUse& c : program.collections)
    requests.push_back({c.name, {c.current, c.changed, c.previous}, c.projection.get()});
  return requests;
}

namespace {

class SnapshotSource : public DataSource {
 public:
  explicit SnapshotSource(std::string dir) : dir_(std::move(dir)) {}

  std::string describe() const override { return "snapshot " + dir_; }
  std::string lacks(const std::vector<std::string>& collections) const override {
    return "the snapshot has no " + base::join(collections, ", ");
  }
  edda::Manifest manifest() const override {
    try {
      return edda::read_manifest(dir_);
    } catch (const edda::SnapshotError& e) {
      throw SourceError{"snapshot: " + e.message};
    }
  }
  SourceData read(const eval::Program& program, edda::Window window, base::ThreadPool* pool) override {
    try {
      SourceData r;
      r.data = edda::Snapshot::open(dir_, requests_of(program), window, pool);
      r.missing = r.data->missing();
      return r;
    } catch (const edda::SnapshotError& e) {
      throw SourceError{"snapshot: " + e.message};
    }
  }

 private:
  std::string dir_;
};

class EddaSource : public DataSource {
 public:
  EddaSource(std::string url, net::HttpClient& http, std::string password_env,
             std::function<void(std::size_t, std::size_t)> progress)
      : url_(std::move(url)), http_(http), password_env_(std::move(password_env)), progress_(std::move(progress)) {}

  std::string describe() const override { return "EDDA " + base::redact_url(url_); }
  std::string lacks(const std::vector<std::string>& collections) const override {
    return "EDDA does not serve " + base::join(collections, ", ");
  }
  SourceData read(const eval::Program& program, edda::Window window, base::ThreadPool* pool) override {
    try {
      const edda::EddaClient client(url_, http_, password_env_);
      edda::FetchReport report;
      SourceData r;
      r.data = edda::fetch_window(client, requests_of(program), window, report, 4, progress_, pool);
      r.missing = std::move(report.missing);
      r.empty = std::move(report.empty);
      return r;
    } catch (const edda::SnapshotError& e) {
      throw SourceError{"snapshot: " + e.message};
    } catch (const edda::EddaError& e) {
      throw SourceError{e.message + "; nothing was committed"};
    }
  }

 private:
  std::string url_;
  net::HttpClient& http_;
  std::string password_env_;
  std::function<void(std::size_t, std::size_t)> progress_;
};

class MemorySource : public DataSource {
 public:
  MemorySource(std::map<std::string, nlohmann::json> collections, std::vector<std::string> missing)
      : collections_(std::move(collections)), missing_(std::move(missing)) {
    std::sort(missing_.begin(), missing_.end());
  }

  std::string describe() const override { return "documents in memory"; }
  std::string lacks(const std::vector<std::string>& collections) const override {
    return "no " + base::join(collections, ", ") + " in memory";
  }
  SourceData read(const eval::Program& program, edda::Window window, base::ThreadPool* /*pool*/) override {
    const std::vector<edda::CollectionRequest> requests = requests_of(program);
    SourceData r;
    for (const edda::CollectionRequest& c : requests) {
      if (std::binary_search(missing_.begin(), missing_.end(), c.name)) r.missing.push_back(c.name);
    }
    try {
      r.data = edda::Snapshot::from_json(collections_, window, &requests);
    } catch (const edda::SnapshotError& e) {
      throw SourceError{e.message};
    }
    return r;
  }

 private:
  std::map<std::string, nlohmann::json> collections_;
  std::vector<std::string> missing_;
};

}  // namespace

std::unique_ptr<DataSource> snapshot_source(std::string dir) {
  return std::make_unique<SnapshotSource>(std::move(dir));
}

std::unique_ptr<DataSource> edda_source(std::string url, net::HttpClient& http, std::string password_env,
                                        std::function<void(std::size_t, std::size_t)> progress) {
  return std::make_unique<EddaSource>(std::move(url), http, std::move(password_env), std::move(progress));
}

std::unique_ptr<DataSource> memory_source(std::map<std::string, nlohmann::json> collections,
                                          std::vector<std::string> missing) {
  return std::make_unique<MemorySource>(std::move(collections), std::move(missing));
}

}  // namespace reddalert::app
