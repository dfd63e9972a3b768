// A snapshot directory (cli.md section 5) served with EDDA's time semantics (edda.md 2.3).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/time.hpp"
#include "model/dataset.hpp"

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

class Snapshot : public model::DataSet {
 public:
  // Reads the files of `collections` (and only those) below `dir`. A collection without a
  // file is empty and listed in missing(). Throws SnapshotError on unreadable or invalid JSON.
  static std::unique_ptr<Snapshot> open(const std::string& dir, const std::vector<std::string>& collections,
                                        Window window);
  // The same semantics over in-memory collection arrays (policy tests, unit tests).
  static std::unique_ptr<Snapshot> from_json(std::map<std::string, model::Json> collections, Window window);

  const std::vector<const model::Json*>& current(std::string_view collection) const override;
  const std::vector<const model::Json*>& changed(std::string_view collection) const override;
  const model::Json* previous(std::string_view collection, std::string_view id) const override;
  const model::ResourceRef* resource(const model::Json* document) const override;

  const std::vector<std::string>& missing() const { return missing_; }
  // Documents per collection as evaluated (current or changed, whichever is larger).
  std::map<std::string, std::size_t> counts() const;

 private:
  struct Collection {
    model::Json raw;
    std::vector<const model::Json*> current, changed;
    std::unordered_map<std::string, const model::Json*> previous;
  };
  void index(const std::string& name, Collection& c, Window window);

  std::map<std::string, Collection, std::less<>> collections_;
  std::unordered_map<const model::Json*, model::ResourceRef> resources_;
  std::vector<std::string> missing_;
  std::vector<const model::Json*> none_;
};

}  // namespace reddalert::edda
