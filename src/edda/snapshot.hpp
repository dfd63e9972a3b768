// Collections with EDDA's time semantics (edda.md 2.3): a snapshot directory (cli.md
// section 5), EDDA's answers, or in-memory arrays, read as a stream of revisions of which
// only those a run needs are kept (current at `until`, newest changed inside the window,
// current at `since`), each projected to what the policies read.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/thread_pool.hpp"
#include "base/time.hpp"
#include "model/dataset.hpp"
#include "model/json_reader.hpp"

namespace reddalert::edda {

struct Window {
  base::Millis since = 0;
  base::Millis until = 0;
};

struct Manifest {
  std::optional<base::Millis> captured_at;
  std::optional<base::Millis> since;
  std::string edda;
};

// Reads DIR/manifest.json; a missing file is an empty manifest. Throws SnapshotError.
Manifest read_manifest(const std::string& dir);

struct SnapshotError {
  std::string message;  // one line: file and cause
};

// Which views of a collection a run reads.
struct Views {
  bool current = true;
  bool changed = true;
  bool previous = true;
};

// A collection to read: its views, and the projection of its documents (null: whole).
struct CollectionRequest {
  std::string name;
  Views views;
  const model::Projection* projection = nullptr;
};

class Snapshot : public model::DataSet {
 public:
  // Reads the files of the requested collections (and only those) below `dir`, on `pool`
  // when given. A collection without a file is empty and listed in missing(). Throws
  // SnapshotError on an unreadable file or invalid JSON.
  static std::unique_ptr<Snapshot> open(const std::string& dir, const std::vector<CollectionRequest>& collections,
                                        Window window, base::ThreadPool* pool = nullptr);
  // The same over JSON texts per collection (EDDA's answers to several queries, read in
  // order); each text is freed once read. `sources` names them in errors.
  static std::unique_ptr<Snapshot> from_texts(std::map<std::string, std::vector<std::string>> texts,
                                              const std::map<std::string, std::vector<std::string>>& sources,
                                              const std::vector<CollectionRequest>& collections, Window window,
                                              base::ThreadPool* pool = nullptr);
  // The same over in-memory collection arrays (policy tests, unit tests); whole documents
  // unless `collections` says otherwise.
  static std::unique_ptr<Snapshot> from_json(const std::map<std::string, nlohmann::json>& collections, Window window,
                                             const std::vector<CollectionRequest>* requests = nullptr);

  std::span<const model::Doc> current(std::string_view collection) const override;
  std::span<const model::Doc> changed(std::string_view collection) const override;
  const model::Doc* previous(const model::Doc& document) const override;
  const model::ResourceRef* resource(const model::Doc& document) const override;
  // By id, for tests.
  const model::Doc* previous(std::string_view collection, std::string_view id) const;

  // The requested collections without a file, by name.
  const std::vector<std::string>& missing() const { return missing_; }
  // Documents per collection as evaluated (current or changed, whichever is larger).
  std::map<std::string, std::size_t> counts() const;
  // Bytes held for documents.
  std::size_t document_bytes() const;

  struct Collection;
  ~Snapshot() override;

 private:
  Snapshot() = default;
  Collection& add(const CollectionRequest& request, Window window);

  std::vector<std::unique_ptr<Collection>> collections_;  // index: the collection number in documents
  std::map<std::string, std::size_t, std::less<>> by_name_;
  std::vector<std::string> missing_;
};

}  // namespace reddalert::edda
