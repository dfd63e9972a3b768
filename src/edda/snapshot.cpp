#include "edda/snapshot.hpp"

#include <algorithm>
#include <filesystem>

#include "base/file.hpp"
#include "base/json_text.hpp"
#include "base/text.hpp"
#include "base/time.hpp"
#include "model/collections.hpp"

namespace reddalert::edda {

namespace fs = std::filesystem;
using model::Doc;

// One collection: its documents in an arena, its resource records, and the three views.
struct Snapshot::Collection {
  std::string name;
  std::uint32_t index = 0;
  Views views;
  const model::Projection* projection = nullptr;
  Window window;
  std::string id_field;

  base::Arena arena{std::size_t{1} << 20};
  std::vector<model::ResourceRef> records;  // by record number (ObjectRep::record)
  std::vector<Doc> current, changed;
  std::unordered_map<std::string_view, Doc> previous;
  std::size_t in_current = 0, in_changed = 0;  // resources in each view, built or not

  // While reading: the newest qualifying revision per id and view, ids in order of first
  // appearance.
  struct Pick {
    Doc doc;
    base::Millis stime = 0;
    bool set = false;
  };
  struct Revisions {
    std::string_view id;
    Pick current, changed, previous;
    bool in_current = false, in_changed = false;
  };
  std::vector<Revisions> envelopes;
  std::unordered_map<std::string_view, std::uint32_t> envelope_index;
  model::DocBuilder builder{arena};
  std::string source;  // names the input in errors

  void add(const model::Element& e);
  void finish();

 private:
  base::Millis millis(const model::Element& e, const char* field) const;
  std::uint32_t record(std::string_view id);
};

base::Millis Snapshot::Collection::millis(const model::Element& e, const char* field) const {
  if (e.type() != model::Element::Type::Number) return 0;
  const auto ms = e.millis();
  if (!ms) {
    const std::string why = std::string("`") + field + "` " + e.text() + " is not a time in milliseconds";
    throw model::DataError{source + ": " + why, model::DataError::kNoByte, why};
  }
  return *ms;
}

std::uint32_t Snapshot::Collection::record(std::string_view id) {
  records.push_back({name, id});
  return static_cast<std::uint32_t>(records.size() - 1);
}

void Snapshot::Collection::add(const model::Element& e) {
  if (!e.is_object()) return;
  // An envelope has `stime` (plain documents of no collection do): one lookup tells.
  const auto probe = e.field("stime");
  const std::string_view names[] = {"data", "id", "ltime", id_field};
  std::optional<model::Element> found[std::size(names)];
  if (probe) {
    e.fields(names, found);
  } else {
    found[3] = e.field(id_field);
  }
  const auto& [data, id, lt, plain_id] = found;
  const auto& stime = probe;
  if (!data || !stime || !id) {
    // A plain document: current, and "changed" since it carries no history.
    std::string text;
    std::string_view key;
    if (const auto& f = plain_id) {
      if (f->type() == model::Element::Type::String) {
        key = f->string();
      } else {
        text = f->text();
        key = text;
      }
    }
    const Doc d = builder.build(e, projection);
    model::set_record(d, index, record(arena.copy(key)));
    ++in_current;
    ++in_changed;
    if (views.current) current.push_back(d);
    if (views.changed) changed.push_back(d);
    return;
  }
  std::string text;
  std::string_view key;
  if (id->type() == model::Element::Type::String) {
    key = id->string();
  } else {
    text = id->text();
    key = text;
  }
  auto [at, fresh] = envelope_index.try_emplace(key, static_cast<std::uint32_t>(envelopes.size()));
  if (fresh) {
    const std::string_view stored = arena.copy(key);
    envelope_index.erase(at);
    at = envelope_index.emplace(stored, static_cast<std::uint32_t>(envelopes.size())).first;
    envelopes.push_back({stored, {}, {}, {}});
  }
  Revisions& r = envelopes[at->second];
  const base::Millis st = millis(*stime, "stime");
  const bool open_ended = !lt || lt->type() == model::Element::Type::Null;
  const base::Millis ltime = open_ended ? 0 : millis(*lt, "ltime");
  const bool cur = st <= window.until && (open_ended || ltime >= window.until);
  const bool chg = st >= window.since && st <= window.until;
  const bool prv = st <= window.since && (open_ended || ltime >= window.since);
  r.in_current = r.in_current || cur;
  r.in_changed = r.in_changed || chg;
  Doc built;
  bool have = false;
  // A revision current at a change instant as well as its successor: the newer one wins.
  auto keep = [&](Pick& p) {
    if (p.set && st < p.stime) return;
    if (!have) built = builder.build(*found[0], projection), have = true;  // found[0]: `data`
    p = {built, st, true};
  };
  if (cur && views.current) keep(r.current);
  if (chg && views.changed) keep(r.changed);
  if (prv && views.previous) keep(r.previous);
}

void Snapshot::Collection::finish() {
  // Envelopes after plain documents, in order of first appearance, so output is stable.
  for (const Revisions& r : envelopes) {
    in_current += r.in_current ? 1 : 0;
    in_changed += r.in_changed ? 1 : 0;
    if (!r.current.set && !r.changed.set && !r.previous.set) continue;
    const std::uint32_t rec = record(r.id);
    for (const Pick* p : {&r.current, &r.changed, &r.previous}) {
      if (p->set) model::set_record(p->doc, index, rec);
    }
    if (r.current.set) current.push_back(r.current.doc);
    if (r.changed.set) changed.push_back(r.changed.doc);
    if (r.previous.set) previous.emplace(r.id, r.previous.doc);
  }
  envelopes.clear();
  envelopes.shrink_to_fit();
  envelope_index.clear();
  envelope_index.rehash(0);
}

Snapshot::~Snapshot() = default;

Snapshot::Collection& Snapshot::add(const CollectionRequest& request, Window window) {
  auto c = std::make_unique<Collection>();
  c->name = request.name;
  c->index = static_cast<std::uint32_t>(collections_.size());
  c->views = request.views;
  c->projection = request.projection;
  c->window = window;
  const model::CollectionInfo* info = model::find_collection(request.name);
  c->id_field = info ? info->id_field : "id";
  by_name_[request.name] = collections_.size();
  collections_.push_back(std::move(c));
  return *collections_.back();
}

namespace {

void read_into(Snapshot::Collection& c, model::ByteSource& source, const std::string& name) {
  c.source = name;
  model::read_array(source, name, [&](const model::Element& e) { c.add(e); });
}

}  // namespace

Manifest read_manifest(const std::string& dir) {
  Manifest m;
  const fs::path p = fs::path(dir) / "manifest.json";
  std::error_code ec;
  if (!fs::exists(p, ec) && !ec) return m;  // a search permission denied is read's error
  const std::string name = p.string();
  std::string why;
  const std::optional<std::string> text = base::read_file(name, &why);
  if (!text) throw SnapshotError{"cannot read " + name + ": " + why};
  base::JsonError error;
  const std::optional<nlohmann::json> parsed = base::parse_json(*text, &error);
  if (!parsed) throw SnapshotError{name + ": invalid JSON at byte " + std::to_string(error.byte) + ": " + error.cause};
  const nlohmann::json& j = *parsed;
  if (!j.is_object()) throw SnapshotError{name + ": expected a JSON object"};
  // A misspelled or mistyped key would silently widen the window to 1970 .. now.
  static const std::vector<std::string> kKeys = {"captured_at", "edda", "since"};
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (std::find(kKeys.begin(), kKeys.end(), it.key()) == kKeys.end()) {
      const std::string hint = base::did_you_mean(it.key(), kKeys);
      throw SnapshotError{name + ": unknown key `" + it.key() + "`" +
                          (hint.empty() ? "; keys: captured_at, since, edda" : "; " + hint)};
    }
  }
  const auto time = [&](const char* key) -> std::optional<base::Millis> {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    std::optional<base::Millis> ms;
    if (it->is_number()) ms = base::time_of(it->get<double>());
    if (it->is_string()) ms = base::parse_time(it->get<std::string>(), 0);
    if (!ms || !base::valid_time(*ms)) {
      throw SnapshotError{name + ": `" + key + "` " + it->dump() +
                          " is not a time: give epoch milliseconds or an ISO 8601 time (" + base::kTimeRange + ")"};
    }
    return ms;
  };
  m.captured_at = time("captured_at");
  m.since = time("since");
  if (j.contains("edda")) {
    if (!j["edda"].is_string()) throw SnapshotError{name + ": `edda` must be a string (the EDDA URL recorded)"};
    m.edda = j["edda"].get<std::string>();
  }
  if (m.since && m.captured_at && *m.since > *m.captured_at) {
    throw SnapshotError{name + ": `since` " + base::iso8601(*m.since) + " is after `captured_at` " +
                        base::iso8601(*m.captured_at)};
  }
  return m;
}

std::unique_ptr<Snapshot> Snapshot::open(const std::string& dir, const std::vector<CollectionRequest>& collections,
                                         Window window, base::ThreadPool* pool) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw SnapshotError{"snapshot directory " + dir + " does not exist"};
  auto s = std::unique_ptr<Snapshot>(new Snapshot());
  std::vector<std::string> paths;
  for (const CollectionRequest& r : collections) {
    s->add(r, window);
    const fs::path p = fs::path(dir) / (r.name + ".json");
    if (!fs::exists(p, ec) && !ec) {
      s->missing_.push_back(r.name);
      paths.emplace_back();
    } else {
      paths.push_back(p.string());
    }
  }
  std::vector<std::optional<SnapshotError>> errors(paths.size());
  const auto task = [&](std::size_t i) {
    if (paths[i].empty()) return;
    try {
      model::FileSource file(paths[i]);
      read_into(*s->collections_[i], file, paths[i]);
      s->collections_[i]->finish();
    } catch (const model::DataError& e) {
      errors[i] = SnapshotError{e.message};
    }
  };
  if (pool) {
    pool->run(paths.size(), task);
  } else {
    for (std::size_t i = 0; i < paths.size(); ++i) task(i);
  }
  for (auto& e : errors) {
    if (e) throw *e;  // the first in request order, whatever finished first
  }
  std::sort(s->missing_.begin(), s->missing_.end());
  return s;
}

std::unique_ptr<Snapshot> Snapshot::from_texts(std::map<std::string, std::vector<std::string>> texts,
                                               const std::map<std::string, std::vector<std::string>>& sources,
                                               const std::vector<CollectionRequest>& collections, Window window,
                                               base::ThreadPool* pool) {
  auto s = std::unique_ptr<Snapshot>(new Snapshot());
  for (const CollectionRequest& r : collections) s->add(r, window);
  std::vector<std::optional<model::DataError>> errors(collections.size());
  const auto task = [&](std::size_t i) {
    Collection& c = *s->collections_[i];
    auto it = texts.find(c.name);
    if (it == texts.end()) return;
    const auto names = sources.find(c.name);
    try {
      for (std::size_t k = 0; k < it->second.size(); ++k) {
        std::string& text = it->second[k];
        model::TextSource source(text);
        read_into(c, source, names != sources.end() && k < names->second.size() ? names->second[k] : c.name);
        std::string().swap(text);
      }
      c.finish();
    } catch (const model::DataError& e) {
      errors[i] = e;
    }
  };
  if (pool) {
    pool->run(collections.size(), task);
  } else {
    for (std::size_t i = 0; i < collections.size(); ++i) task(i);
  }
  for (auto& e : errors) {
    if (e) throw *e;
  }
  return s;
}

std::unique_ptr<Snapshot> Snapshot::from_json(const std::map<std::string, nlohmann::json>& collections, Window window,
                                              const std::vector<CollectionRequest>* requests) {
  std::vector<CollectionRequest> all;
  if (requests == nullptr) {
    for (const auto& [name, arr] : collections) all.push_back({name, {}, nullptr});
    requests = &all;
  }
  std::map<std::string, std::vector<std::string>> texts;
  for (const auto& [name, arr] : collections) {
    texts[name].push_back(arr.is_array() ? arr.dump() : std::string("[]"));
  }
  try {
    return from_texts(std::move(texts), {}, *requests, window);
  } catch (const model::DataError& e) {
    throw SnapshotError{e.message};
  }
}

std::span<const Doc> Snapshot::current(std::string_view collection) const {
  const auto it = by_name_.find(collection);
  if (it == by_name_.end()) return {};
  return collections_[it->second]->current;
}

std::span<const Doc> Snapshot::changed(std::string_view collection) const {
  const auto it = by_name_.find(collection);
  if (it == by_name_.end()) return {};
  return collections_[it->second]->changed;
}

const model::ResourceRef* Snapshot::resource(const Doc& document) const {
  if (document.type != model::DocType::Map || document.object->record == model::kNoRecord) return nullptr;
  if (document.object->collection >= collections_.size()) return nullptr;
  const Collection& c = *collections_[document.object->collection];
  if (document.object->record >= c.records.size()) return nullptr;
  return &c.records[document.object->record];
}

const Doc* Snapshot::previous(const Doc& document) const {
  const model::ResourceRef* r = resource(document);
  if (r == nullptr) return nullptr;
  return previous(r->collection, r->id);
}

const Doc* Snapshot::previous(std::string_view collection, std::string_view id) const {
  const auto it = by_name_.find(collection);
  if (it == by_name_.end()) return nullptr;
  const auto& prev = collections_[it->second]->previous;
  const auto p = prev.find(id);
  return p == prev.end() ? nullptr : &p->second;
}

std::map<std::string, std::size_t> Snapshot::counts() const {
  std::map<std::string, std::size_t> out;
  for (const auto& c : collections_) out[c->name] = std::max(c->in_current, c->in_changed);
  return out;
}

std::size_t Snapshot::document_bytes() const {
  std::size_t n = 0;
  for (const auto& c : collections_) n += c->arena.used();
  return n;
}

}  // namespace reddalert::edda
