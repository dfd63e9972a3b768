#include "eval/value.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <re2/re2.h>

#include "base/hash.hpp"
#include "base/json_text.hpp"

namespace reddalert::eval {

namespace {

int bytes_compare(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  const int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
  if (c != 0) return c < 0 ? -1 : 1;
  return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

// Entry `i` of a map, whichever its representation.
std::pair<std::string_view, Value> entry(const Value& m, std::uint32_t i) {
  if (m.rep == Value::kDocObject) return {model::key_name(m.object->keys()[i]), Value::of(m.object->values()[i])};
  return {m.entries[i].key.str(), m.entries[i].value};
}

model::Doc as_doc(const Value& v) {
  model::Doc d;
  static_assert(sizeof d == sizeof v);
  std::memcpy(static_cast<void*>(&d), &v, sizeof d);
  return d;
}

int rank(Kind k) { return static_cast<int>(k); }

bool small_integer(double d) { return d == std::floor(d) && std::fabs(d) < 9.007199254740992e15; }

// A number inside a list or map, as to_json() and nlohmann's dump() write it.
void append_nested_number(std::string& out, double d) {
  if (small_integer(d)) {
    out += std::to_string(static_cast<long long>(d));
  } else {
    base::append_json_double(out, d);
  }
}

void append_json_value(std::string& out, const Value& v, bool top, std::size_t limit);

// Between the elements of a list or map: a text past its limit stops where it is.
void check_limit(const std::string& out, std::size_t limit) {
  if (out.size() > limit) throw base::ArenaLimit{limit};
}

void append_range(std::string& out, const Range& r) {
  append_number(out, r.lo);
  out += "..";
  append_number(out, r.hi);
}

void append_json_value(std::string& out, const Value& v, bool top, std::size_t limit) {
  switch (v.kind) {
    case Kind::Null:
    case Kind::Error: out += "null"; return;
    case Kind::Bool: out += v.boolean ? "true" : "false"; return;
    case Kind::Number:
      if (top) {
        append_number(out, v.num);
      } else {
        append_nested_number(out, v.num);
      }
      return;
    case Kind::String: base::append_json_string(out, v.str()); return;
    case Kind::List:
      if (v.doc_backed()) {
        model::append_json(out, as_doc(v));
        return;
      }
      out += '[';
      for (std::uint32_t i = 0; i < v.size; ++i) {
        if (i) out += ',';
        append_json_value(out, v.items[i], false, limit);
        check_limit(out, limit);
      }
      out += ']';
      return;
    case Kind::Map:
      if (v.doc_backed()) {
        model::append_json(out, as_doc(v));
        return;
      }
      out += '{';
      for (std::uint32_t i = 0; i < v.size; ++i) {
        if (i) out += ',';
        base::append_json_string(out, v.entries[i].key.str());
        out += ':';
        append_json_value(out, v.entries[i].value, false, limit);
        check_limit(out, limit);
      }
      out += '}';
      return;
    case Kind::Range: {
      std::string text;
      append_range(text, *v.range);
      base::append_json_string(out, text);
      return;
    }
    case Kind::Regex: base::append_json_string(out, "/" + v.regex->pattern() + "/"); return;
    case Kind::Function: out += "\"<function>\""; return;
  }
}

}  // namespace

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::Null: return "null";
    case Kind::Bool: return "boolean";
    case Kind::Number: return "number";
    case Kind::String: return "string";
    case Kind::List: return "list";
    case Kind::Map: return "map";
    case Kind::Range: return "range";
    case Kind::Regex: return "regex";
    case Kind::Function: return "function";
    case Kind::Error: return "error";
  }
  return "?";
}

Value Value::get(model::Key key, std::string_view name) const {
  if (kind != Kind::Map) return {};
  if (rep == kDocObject) {
    const model::Doc* d = object->find(key, name);
    return d ? of(*d) : Value();
  }
  return get(name);
}

Value Value::get(std::string_view name) const {
  if (kind != Kind::Map) return {};
  if (rep == kDocObject) {
    const model::Doc* d = object->find(name);
    return d ? of(*d) : Value();
  }
  std::uint32_t lo = 0, hi = size;
  while (lo < hi) {
    const std::uint32_t mid = lo + (hi - lo) / 2;
    const int c = bytes_compare(entries[mid].key.str(), name);
    if (c == 0) return entries[mid].value;
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return {};
}

bool Value::has(std::string_view name) const {
  if (kind != Kind::Map) return false;
  if (rep == kDocObject) return object->find(name) != nullptr;
  std::uint32_t lo = 0, hi = size;
  while (lo < hi) {
    const std::uint32_t mid = lo + (hi - lo) / 2;
    const int c = bytes_compare(entries[mid].key.str(), name);
    if (c == 0) return true;
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return false;
}

int compare(const Value& a, const Value& b) {
  if (a.kind != b.kind) return rank(a.kind) < rank(b.kind) ? -1 : 1;
  switch (a.kind) {
    case Kind::Null:
    case Kind::Error:
    case Kind::Function: return 0;
    case Kind::Bool: return static_cast<int>(a.boolean) - static_cast<int>(b.boolean);
    case Kind::Number: return a.num < b.num ? -1 : a.num > b.num ? 1 : 0;
    case Kind::String: return bytes_compare(a.str(), b.str());
    case Kind::List: {
      const std::uint32_t n = std::min(a.size, b.size);
      for (std::uint32_t i = 0; i < n; ++i) {
        if (const int c = compare(a.at(i), b.at(i))) return c;
      }
      return a.size < b.size ? -1 : a.size > b.size ? 1 : 0;
    }
    case Kind::Map: {
      const std::uint32_t n = std::min(a.size, b.size);
      for (std::uint32_t i = 0; i < n; ++i) {
        const auto [ka, va] = entry(a, i);
        const auto [kb, vb] = entry(b, i);
        if (const int c = bytes_compare(ka, kb)) return c;
        if (const int c = compare(va, vb)) return c;
      }
      return a.size < b.size ? -1 : a.size > b.size ? 1 : 0;
    }
    case Kind::Range: {
      const Range &ra = *a.range, &rb = *b.range;
      if (ra.lo != rb.lo) return ra.lo < rb.lo ? -1 : 1;
      return ra.hi < rb.hi ? -1 : ra.hi > rb.hi ? 1 : 0;
    }
    case Kind::Regex: return bytes_compare(a.regex->pattern(), b.regex->pattern());
  }
  return 0;
}

bool equal(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Kind::Function: return a.closure == b.closure;
    case Kind::List:
      if (a.size != b.size) return false;
      for (std::uint32_t i = 0; i < a.size; ++i) {
        if (!equal(a.at(i), b.at(i))) return false;
      }
      return true;
    case Kind::Map:
      if (a.size != b.size) return false;
      for (std::uint32_t i = 0; i < a.size; ++i) {
        const auto [ka, va] = entry(a, i);
        const auto [kb, vb] = entry(b, i);
        if (ka != kb || !equal(va, vb)) return false;
      }
      return true;
    default: return compare(a, b) == 0;
  }
}

std::uint64_t hash(const Value& v) {
  std::uint64_t h = static_cast<std::uint64_t>(v.kind) * 0x9e3779b97f4a7c15ULL;
  switch (v.kind) {
    case Kind::Null:
    case Kind::Error: return h;
    case Kind::Bool: return base::hash_mix(h, v.boolean ? 1 : 0);
    case Kind::Number: {
      const double d = v.num == 0 ? 0.0 : v.num;  // -0 == 0
      std::uint64_t bits;
      std::memcpy(&bits, &d, sizeof bits);
      return base::hash_mix(h, bits);
    }
    case Kind::String: return base::hash_mix(h, base::hash_bytes(v.str()));
    case Kind::List:
      for (std::uint32_t i = 0; i < v.size; ++i) h = base::hash_mix(h, hash(v.at(i)));
      return h;
    case Kind::Map:
      for (std::uint32_t i = 0; i < v.size; ++i) {
        const auto [k, x] = entry(v, i);
        h = base::hash_mix(base::hash_mix(h, base::hash_bytes(k)), hash(x));
      }
      return h;
    case Kind::Range: {
      std::uint64_t lo, hi;
      std::memcpy(&lo, &v.range->lo, 8);
      std::memcpy(&hi, &v.range->hi, 8);
      return base::hash_mix(base::hash_mix(h, lo), hi);
    }
    case Kind::Regex: return base::hash_mix(h, base::hash_bytes(v.regex->pattern()));
    case Kind::Function: return base::hash_mix(h, reinterpret_cast<std::uintptr_t>(v.closure));
  }
  return h;
}

void append_number(std::string& out, double d) {
  if (std::isfinite(d) && small_integer(d)) {
    out += std::to_string(static_cast<long long>(d));
    return;
  }
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  // Shortest representation that round-trips.
  char tmp[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(tmp, sizeof tmp, "%.*g", precision, d);
    if (std::strtod(tmp, nullptr) == d) break;
  }
  out += tmp;
}

std::string format_number(double d) {
  std::string out;
  append_number(out, d);
  return out;
}

nlohmann::json to_json(const Value& v) {
  switch (v.kind) {
    case Kind::Null:
    case Kind::Error: return nullptr;
    case Kind::Bool: return v.boolean;
    case Kind::Number:
      if (small_integer(v.num)) return static_cast<std::int64_t>(v.num);
      return v.num;
    case Kind::String: return std::string(v.str());
    case Kind::List: {
      if (v.doc_backed()) return model::to_json(as_doc(v));
      nlohmann::json out = nlohmann::json::array();
      for (std::uint32_t i = 0; i < v.size; ++i) out.push_back(to_json(v.items[i]));
      return out;
    }
    case Kind::Map: {
      if (v.doc_backed()) return model::to_json(as_doc(v));
      nlohmann::json out = nlohmann::json::object();
      for (std::uint32_t i = 0; i < v.size; ++i) out[std::string(v.entries[i].key.str())] = to_json(v.entries[i].value);
      return out;
    }
    case Kind::Range: {
      std::string text;
      append_range(text, *v.range);
      return text;
    }
    case Kind::Regex: return "/" + v.regex->pattern() + "/";
    case Kind::Function: return "<function>";
  }
  return nullptr;
}

void append_text(std::string& out, const Value& v, std::size_t limit) {
  append_json_value(out, v, true, limit);
  check_limit(out, limit);
}

std::string json_text(const Value& v, std::size_t limit) {
  std::string out;
  append_json_value(out, v, false, limit);  // a number at the top as to_json() makes it, too
  check_limit(out, limit);
  return out;
}

std::string to_text(const Value& v) {
  std::string out;
  append_text(out, v);
  return out;
}

void append_interpolation(std::string& out, const Value& v, std::size_t limit) {
  switch (v.kind) {
    case Kind::String:
      if (out.size() + v.size > limit) throw base::ArenaLimit{limit};
      out.append(v.chars, v.size);
      return;
    case Kind::Range: append_range(out, *v.range); return;
    case Kind::Regex: out += v.regex->pattern(); return;
    case Kind::Function: out += "<function>"; return;
    default: append_text(out, v, limit);
  }
}

std::string interpolate(const Value& v) {
  std::string out;
  append_interpolation(out, v);
  return out;
}

}  // namespace reddalert::eval
