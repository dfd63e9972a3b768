// Where a run's documents come from: a snapshot directory, a live EDDA, or (tests) JSON
// arrays in memory. Each answers the same question: the views and projections of the
// collections a program reads, for one window, and which of them the source does not have.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/thread_pool.hpp"
#include "edda/snapshot.hpp"
#include "eval/program.hpp"
#include "net/http_client.hpp"

namespace reddalert::app {

struct SourceData {
  std::unique_ptr<edda::Snapshot> data;
  std::vector<std::string> missing;  // collections the source does not have, sorted
  std::vector<std::string> empty;    // collections EDDA answered [] for in every view
};

// Thrown when the source cannot be read: one line, ready to print after "reddalert: ".
struct SourceError {
  std::string message;
};

class DataSource {
 public:
  virtual ~DataSource() = default;
  // For -v: "snapshot DIR", "EDDA URL" (redacted).
  virtual std::string describe() const = 0;
  // Why policies reading `collections` (which the source lacks) are not evaluated.
  virtual std::string lacks(const std::vector<std::string>& collections) const = 0;
  // The window the data was captured for (a snapshot's manifest); EDDA has none.
  virtual edda::Manifest manifest() const { return {}; }
  // What `program` reads, for `window`, on `pool` when given. Throws SourceError.
  virtual SourceData read(const eval::Program& program, edda::Window window, base::ThreadPool* pool) = 0;
};

// What the reader must build for `program`: per collection its views and projection.
std::vector<edda::CollectionRequest> requests_of(const eval::Program& program);

std::unique_ptr<DataSource> snapshot_source(std::string dir);
// `progress(done, total)` is told of each answered query.
std::unique_ptr<DataSource> edda_source(std::string url, net::HttpClient& http, std::string password_env,
                                        std::function<void(std::size_t, std::size_t)> progress = {});
// The in-memory twin: collection name -> array of documents or EDDA envelopes, read with
// EDDA's time semantics. A collection not given is empty, unless it is named in `missing`.
std::unique_ptr<DataSource> memory_source(std::map<std::string, nlohmann::json> collections,
                                          std::vector<std::string> missing = {});

}  // namespace reddalert::app
