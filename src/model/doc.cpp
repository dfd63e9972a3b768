#include "model/doc.hpp"

#include <algorithm>
#include <cstring>

#include "base/json_text.hpp"

namespace reddalert::model {

namespace {

bool name_less(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  const int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
  return c != 0 ? c < 0 : a.size() < b.size();
}

}  // namespace

const Doc* ObjectRep::find(std::string_view name) const {
  const Key* k = keys();
  std::uint32_t lo = 0, hi = size;
  while (lo < hi) {
    const std::uint32_t mid = lo + (hi - lo) / 2;
    const std::string_view m = key_name(k[mid]);
    if (m == name) return values() + mid;
    if (name_less(m, name)) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return nullptr;
}

Doc DocWriter::string(std::string_view s) {
  Doc d;
  d.type = DocType::String;
  d.size = static_cast<std::uint32_t>(s.size());
  d.chars = arena_.copy(s).data();
  return d;
}

Doc DocWriter::list(std::span<const Doc> elements) {
  Doc d;
  d.type = DocType::List;
  d.size = static_cast<std::uint32_t>(elements.size());
  if (!elements.empty()) {
    Doc* items = arena_.array<Doc>(elements.size());
    std::memcpy(static_cast<void*>(items), elements.data(), elements.size() * sizeof(Doc));
    d.items = items;
  }
  return d;
}

Doc DocWriter::object(std::span<Member> members) {
  const auto by_name = [](const Member& a, const Member& b) { return name_less(a.name, b.name); };
  if (!std::is_sorted(members.begin(), members.end(), by_name))
    std::stable_sort(members.begin(), members.end(), by_name);
  // A key given twice keeps its last value.
  std::size_t kept = 0;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i + 1 < members.size() && members[i + 1].name == members[i].name) continue;
    members[kept++] = members[i];
  }
  auto* rep = static_cast<ObjectRep*>(arena_.allocate(ObjectRep::bytes_for(static_cast<std::uint32_t>(kept)), 8));
  rep->size = static_cast<std::uint32_t>(kept);
  rep->record = kNoRecord;
  rep->collection = 0;
  rep->reserved = 0;
  Key* keys = const_cast<Key*>(rep->keys());
  Doc* values = const_cast<Doc*>(rep->values());
  for (std::size_t i = 0; i < kept; ++i) {
    keys[i] = members[i].key;
    values[i] = members[i].value;
  }
  Doc d;
  d.type = DocType::Map;
  d.size = rep->size;
  d.object = rep;
  return d;
}

void set_record(const Doc& root, std::uint32_t collection, std::uint32_t record) {
  if (root.type != DocType::Map) return;
  auto* rep = const_cast<ObjectRep*>(root.object);  // built by this process, in a writable arena
  rep->collection = collection;
  rep->record = record;
}

nlohmann::json to_json(const Doc& d) {
  switch (d.type) {
    case DocType::Null: return nullptr;
    case DocType::Bool: return d.boolean;
    case DocType::Number:
      switch (static_cast<NumberRep>(d.rep)) {
        case NumberRep::Int: return d.i;
        case NumberRep::UInt: return d.u;
        case NumberRep::Float: return d.d;
      }
      return d.d;
    case DocType::String: return std::string(d.string());
    case DocType::List: {
      nlohmann::json out = nlohmann::json::array();
      out.get_ref<nlohmann::json::array_t&>().reserve(d.size);
      for (const Doc& e : d.elements()) out.push_back(to_json(e));
      return out;
    }
    case DocType::Map: {
      nlohmann::json out = nlohmann::json::object();
      const Key* keys = d.object->keys();
      const Doc* values = d.object->values();
      for (std::uint32_t i = 0; i < d.size; ++i) out[std::string(key_name(keys[i]))] = to_json(values[i]);
      return out;
    }
  }
  return nullptr;
}

Doc from_json(const nlohmann::json& j, DocWriter& w) {
  switch (j.type()) {
    case nlohmann::json::value_t::boolean: return Doc::boolean_of(j.get<bool>());
    case nlohmann::json::value_t::number_integer: return Doc::integer(j.get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned: return Doc::unsigned_integer(j.get<std::uint64_t>());
    case nlohmann::json::value_t::number_float: return Doc::floating(j.get<double>());
    case nlohmann::json::value_t::string: return w.string(j.get_ref<const std::string&>());
    case nlohmann::json::value_t::array: {
      std::vector<Doc> items;
      items.reserve(j.size());
      for (const auto& e : j) items.push_back(from_json(e, w));
      return w.list(items);
    }
    case nlohmann::json::value_t::object: {
      std::vector<Member> members;
      members.reserve(j.size());
      for (auto it = j.begin(); it != j.end(); ++it) {
        const Key k = intern_key(it.key());
        members.push_back({key_name(k), k, from_json(it.value(), w)});
      }
      return w.object(members);
    }
    default: return Doc::null();
  }
}

void append_json(std::string& out, const Doc& d) {
  switch (d.type) {
    case DocType::Null: out += "null"; return;
    case DocType::Bool: out += d.boolean ? "true" : "false"; return;
    case DocType::Number:
      switch (static_cast<NumberRep>(d.rep)) {
        case NumberRep::Int: out += std::to_string(d.i); return;
        case NumberRep::UInt: out += std::to_string(d.u); return;
        case NumberRep::Float: base::append_json_double(out, d.d); return;
      }
      return;
    case DocType::String: base::append_json_string(out, d.string()); return;
    case DocType::List:
      out += '[';
      for (std::uint32_t i = 0; i < d.size; ++i) {
        if (i) out += ',';
        append_json(out, d.items[i]);
      }
      out += ']';
      return;
    case DocType::Map: {
      out += '{';
      const Key* keys = d.object->keys();
      const Doc* values = d.object->values();
      for (std::uint32_t i = 0; i < d.size; ++i) {
        if (i) out += ',';
        base::append_json_string(out, key_name(keys[i]));
        out += ':';
        append_json(out, values[i]);
      }
      out += '}';
      return;
    }
  }
}

}  // namespace reddalert::model
