#include "edda/snapshot.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/text.hpp"
#include "model/collections.hpp"

namespace reddalert::edda {

namespace fs = std::filesystem;
using model::Json;

namespace {

Json read_json(const fs::path& path) {
  // Reading the file in one piece and parsing the buffer is about twice as fast as
  // parsing from the stream.
  std::optional<std::string> text = base::read_file(path.string());
  if (!text) throw SnapshotError{"cannot read " + path.string()};
  Json j;
  try {
    j = model::parse_document(*text);
  } catch (const Json::parse_error& e) {
    throw SnapshotError{path.string() + ": invalid JSON at byte " + std::to_string(e.byte)};
  }
  return j;
}

bool is_envelope(const Json& e) {
  return e.is_object() && e.contains("data") && e.contains("stime") && e.contains("id");
}

base::Millis millis(const Json& j, base::Millis fallback) { return j.is_number() ? j.get<base::Millis>() : fallback; }

std::string id_of_plain(const Json& doc, const std::string& id_field) {
  const auto it = doc.find(id_field);
  if (it == doc.end()) return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace

Manifest read_manifest(const std::string& dir) {
  Manifest m;
  const fs::path p = fs::path(dir) / "manifest.json";
  if (!fs::exists(p)) return m;
  const Json j = read_json(p);
  if (!j.is_object()) throw SnapshotError{p.string() + ": expected a JSON object"};
  if (j.contains("captured_at") && j["captured_at"].is_number()) m.captured_at = j["captured_at"].get<base::Millis>();
  if (j.contains("since") && j["since"].is_number()) m.since = j["since"].get<base::Millis>();
  if (j.contains("edda") && j["edda"].is_string()) m.edda = j["edda"].get<std::string>();
  return m;
}

std::unique_ptr<Snapshot> Snapshot::open(const std::string& dir, const std::vector<std::string>& collections,
                                         Window window) {
  if (!fs::is_directory(dir)) throw SnapshotError{"snapshot directory " + dir + " does not exist"};
  auto s = std::unique_ptr<Snapshot>(new Snapshot());
  for (const std::string& name : collections) {
    const fs::path p = fs::path(dir) / (name + ".json");
    Collection& c = s->collections_[name];
    if (!fs::exists(p)) {
      s->missing_.push_back(name);
      c.raw = Json::array();
    } else {
      c.raw = read_json(p);
      if (!c.raw.is_array())
        throw SnapshotError{p.string() + ": expected a JSON array of documents or _meta envelopes"};
    }
    s->index(name, c, window);
  }
  return s;
}

std::unique_ptr<Snapshot> Snapshot::from_json(std::map<std::string, Json> collections, Window window) {
  auto s = std::unique_ptr<Snapshot>(new Snapshot());
  for (auto& [name, arr] : collections) {
    Collection& c = s->collections_[name];
    c.raw = arr.is_array() ? std::move(arr) : Json::array();
    s->index(name, c, window);
  }
  return s;
}

void Snapshot::index(const std::string& name, Collection& c, Window window) {
  const model::CollectionInfo* info = model::find_collection(name);
  const std::string id_field = info ? info->id_field : "id";
  // Newest qualifying revision per id for each view.
  struct Pick {
    const Json* doc = nullptr;
    base::Millis stime = 0;
  };
  std::map<std::string, Pick> current, changed, previous;
  auto keep = [](std::map<std::string, Pick>& m, const std::string& id, const Json* doc, base::Millis stime) {
    Pick& p = m[id];
    if (p.doc == nullptr || stime >= p.stime) p = {doc, stime};
  };
  std::vector<std::string> order;
  for (const Json& e : c.raw) {
    if (is_envelope(e)) {
      const std::string id = e["id"].is_string() ? e["id"].get<std::string>() : e["id"].dump();
      const base::Millis stime = millis(e["stime"], 0);
      const bool open_ended = !e.contains("ltime") || e["ltime"].is_null();
      const base::Millis ltime = open_ended ? 0 : millis(e["ltime"], 0);
      const Json* data = &e["data"];
      if (!current.count(id) && !changed.count(id) && !previous.count(id)) order.push_back(id);
      if (stime <= window.until && (open_ended || ltime >= window.until)) keep(current, id, data, stime);
      if (stime >= window.since && stime <= window.until) keep(changed, id, data, stime);
      if (stime <= window.since && (open_ended || ltime >= window.since)) keep(previous, id, data, stime);
    } else if (e.is_object()) {
      // A plain document: current, and "changed" since it carries no history.
      const std::string id = id_of_plain(e, id_field);
      order.push_back(id);
      c.current.push_back(&e);
      c.changed.push_back(&e);
      resources_[&e] = {name, id};
    }
  }
  // Keep the file's order of first appearance, so output is stable.
  for (const std::string& id : order) {
    if (const auto it = current.find(id); it != current.end() && it->second.doc) {
      c.current.push_back(it->second.doc);
      resources_[it->second.doc] = {name, id};
      current.erase(it);
    }
    if (const auto it = changed.find(id); it != changed.end() && it->second.doc) {
      c.changed.push_back(it->second.doc);
      resources_[it->second.doc] = {name, id};
      changed.erase(it);
    }
  }
  for (const auto& [id, pick] : previous) c.previous[id] = pick.doc;
}

const std::vector<const Json*>& Snapshot::current(std::string_view collection) const {
  const auto it = collections_.find(collection);
  return it == collections_.end() ? none_ : it->second.current;
}

const std::vector<const Json*>& Snapshot::changed(std::string_view collection) const {
  const auto it = collections_.find(collection);
  return it == collections_.end() ? none_ : it->second.changed;
}

const Json* Snapshot::previous(std::string_view collection, std::string_view id) const {
  const auto it = collections_.find(collection);
  if (it == collections_.end()) return nullptr;
  const auto p = it->second.previous.find(std::string(id));
  return p == it->second.previous.end() ? nullptr : p->second;
}

const model::ResourceRef* Snapshot::resource(const Json* document) const {
  const auto it = resources_.find(document);
  return it == resources_.end() ? nullptr : &it->second;
}

std::map<std::string, std::size_t> Snapshot::counts() const {
  std::map<std::string, std::size_t> out;
  for (const auto& [name, c] : collections_) out[name] = std::max(c.current.size(), c.changed.size());
  return out;
}

}  // namespace reddalert::edda
