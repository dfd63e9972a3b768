// The EDDA client: EDDA's raw URL grammar (edda.md section 1), its answers and errors
// turned into one-line causes, and the window's views fetched once per collection,
// concurrently, then served with the same time semantics as a snapshot.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "edda/snapshot.hpp"
#include "net/http_client.hpp"

namespace reddalert::edda {

struct EddaError {
  std::string message;  // one line
  // EDDA does not serve the collection (HTTP 404, or 400 "invalid collection": an EDDA
  // without that crawler), which is not a failure of EDDA.
  bool no_collection = false;
};

class EddaClient {
 public:
  // `base`: EDDA's URL with its context path, e.g. http://edda:8080/edda, perhaps with a
  // user and password (http://reddalert:pw@edda:8080/edda). `password_env`, when given,
  // names the environment variable that holds the password of the URL's user instead;
  // throws EddaError when it is not set.
  EddaClient(std::string base, net::HttpClient& http, const std::string& password_env = {});

  // `<base>/api/v2/<kind>/<name><matrix>`: flags bare (`;_expand`), nothing percent-encoded.
  // As messages name it: with the userinfo redacted (base::redact_url).
  std::string url(const std::string& collection, const std::string& matrix) const;
  // The text of a list query's answer, which must be JSON (checked when it is read).
  // Throws EddaError for errors, HTML pages and unreachable servers.
  std::string list(const std::string& collection, const std::string& matrix) const;

 private:
  std::string path(const std::string& collection, const std::string& matrix) const;

  std::string base_;   // what is requested, the password included
  std::string shown_;  // what messages show
  net::HttpClient& http_;
};

struct FetchReport {
  std::vector<std::string> empty;    // collections EDDA answered with no document at all
  std::vector<std::string> missing;  // collections EDDA does not serve, sorted
  std::size_t requests = 0;
};

// Fetches, for each collection, the revisions its views need (current: `;_at=until`,
// changed: `;_since;_until;_updated`, previous: `;_at=since`, all with `;_expand;_meta`),
// at most `parallel` requests at a time, then reads them with the snapshot's semantics and
// projections (on `pool` when given). A collection EDDA does not serve is left out, empty,
// and listed in `report.missing`. Throws EddaError on the first failure.
std::unique_ptr<Snapshot> fetch_window(const EddaClient& client, const std::vector<CollectionRequest>& collections,
                                       Window window, FetchReport& report, int parallel = 4,
                                       const std::function<void(std::size_t done, std::size_t total)>& progress = {},
                                       base::ThreadPool* pool = nullptr);

// Records every revision of each collection (`;_since=0;_all;_expand;_meta`) into `dir`
// in the snapshot format, with a manifest (which records `edda_url` redacted). Collections
// EDDA does not serve are skipped and returned. Throws EddaError, or SnapshotError when a
// file cannot be written.
std::vector<std::string> record_snapshot(const EddaClient& client, const std::vector<std::string>& collections,
                                         const std::string& dir, base::Millis captured_at, const std::string& edda_url);

}  // namespace reddalert::edda
