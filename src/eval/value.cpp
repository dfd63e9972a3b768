#include "eval/value.hpp"

#include <cmath>
#include <cstdio>

#include <re2/re2.h>

#include "base/json_text.hpp"
#include "eval/evaluate.hpp"

namespace reddalert::eval {

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
  }
  return "?";
}

Value Value::ref(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded: return Value();
    case Json::value_t::boolean: return Value(j.get<bool>());
    case Json::value_t::number_integer: return Value(static_cast<double>(j.get<std::int64_t>()));
    case Json::value_t::number_unsigned: return Value(static_cast<double>(j.get<std::uint64_t>()));
    case Json::value_t::number_float: return Value(j.get<double>());
    default: {
      Value out;
      out.v = &j;
      return out;
    }
  }
}

Value Value::copy(const Json& j) {
  if (j.is_array()) {
    List out;
    for (const Json& e : j) out.push_back(copy(e));
    return Value(std::move(out));
  }
  if (j.is_object()) {
    Map out;
    for (auto it = j.begin(); it != j.end(); ++it) out.emplace(it.key(), copy(it.value()));
    return Value(std::move(out));
  }
  if (j.is_string()) return Value(j.get<std::string>());
  return ref(j);
}

Kind Value::kind() const {
  switch (v.index()) {
    case 0: return Kind::Null;
    case 1: return Kind::Bool;
    case 2: return Kind::Number;
    case 3: return Kind::String;
    case 4: {
      const Json& j = *std::get<const Json*>(v);
      if (j.is_string()) return Kind::String;
      if (j.is_array()) return Kind::List;
      return Kind::Map;
    }
    case 5: return Kind::List;
    case 6: return Kind::Map;
    case 7: return Kind::Range;
    case 8: return Kind::Regex;
    default: return Kind::Function;
  }
}

bool Value::as_bool() const { return std::get<bool>(v); }
double Value::as_number() const { return std::get<double>(v); }

std::string_view Value::as_string() const {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return std::get<const Json*>(v)->get_ref<const std::string&>();
}

const Json* Value::json() const {
  const auto* p = std::get_if<const Json*>(&v);
  return p ? *p : nullptr;
}

const List* Value::list() const {
  const auto* p = std::get_if<std::shared_ptr<const List>>(&v);
  return p ? p->get() : nullptr;
}

const Map* Value::map() const {
  const auto* p = std::get_if<std::shared_ptr<const Map>>(&v);
  return p ? p->get() : nullptr;
}

std::size_t Value::size() const {
  if (const Json* j = json()) return j->is_string() ? j->get_ref<const std::string&>().size() : j->size();
  if (const List* l = list()) return l->size();
  if (const Map* m = map()) return m->size();
  if (const auto* s = std::get_if<std::string>(&v)) return s->size();
  return 0;
}

Value Value::at(std::size_t i) const {
  if (const Json* j = json()) return j->is_array() && i < j->size() ? ref((*j)[i]) : Value();
  if (const List* l = list()) return i < l->size() ? (*l)[i] : Value();
  return Value();
}

Value Value::get(std::string_view key) const {
  if (const Json* j = json()) {
    if (!j->is_object()) return Value();
    const auto it = j->find(key);
    return it == j->end() ? Value() : ref(*it);
  }
  if (const Map* m = map()) {
    const auto it = m->find(key);
    return it == m->end() ? Value() : it->second;
  }
  return Value();
}

bool Value::has(std::string_view key) const {
  if (const Json* j = json()) return j->is_object() && j->find(key) != j->end();
  if (const Map* m = map()) return m->find(key) != m->end();
  return false;
}

void Value::for_each_entry(const std::function<void(std::string_view, const Value&)>& f) const {
  if (const Json* j = json()) {
    if (!j->is_object()) return;
    for (auto it = j->begin(); it != j->end(); ++it) f(it.key(), ref(it.value()));
  } else if (const Map* m = map()) {
    for (const auto& [k, val] : *m) f(k, val);
  }
}

bool Value::for_each_element(const std::function<void(const Value&)>& f) const {
  switch (kind()) {
    case Kind::Null: return true;
    case Kind::List:
      if (const Json* j = json()) {
        for (const Json& e : *j) f(ref(e));
      } else {
        for (const Value& e : *list()) f(e);
      }
      return true;
    case Kind::Map: for_each_entry([&](std::string_view, const Value& e) { f(e); }); return true;
    default: return false;
  }
}

namespace {

int rank(Kind k) {
  switch (k) {
    case Kind::Null: return 0;
    case Kind::Bool: return 1;
    case Kind::Number: return 2;
    case Kind::String: return 3;
    case Kind::List: return 4;
    case Kind::Map: return 5;
    case Kind::Range: return 6;
    case Kind::Regex: return 7;
    case Kind::Function: return 8;
  }
  return 9;
}

}  // namespace

int compare(const Value& a, const Value& b) {
  const Kind ka = a.kind(), kb = b.kind();
  if (ka != kb) return rank(ka) < rank(kb) ? -1 : 1;
  switch (ka) {
    case Kind::Null: return 0;
    case Kind::Bool: return static_cast<int>(a.as_bool()) - static_cast<int>(b.as_bool());
    case Kind::Number: return a.as_number() < b.as_number() ? -1 : a.as_number() > b.as_number() ? 1 : 0;
    case Kind::String: {
      const int c = a.as_string().compare(b.as_string());
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    case Kind::List: {
      const std::size_t n = std::min(a.size(), b.size());
      for (std::size_t i = 0; i < n; ++i) {
        if (const int c = compare(a.at(i), b.at(i))) return c;
      }
      return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
    }
    case Kind::Map: {
      const std::string ta = to_text(a), tb = to_text(b);
      return ta < tb ? -1 : ta > tb ? 1 : 0;
    }
    case Kind::Range: {
      const Range &ra = a.range(), &rb = b.range();
      if (ra.lo != rb.lo) return ra.lo < rb.lo ? -1 : 1;
      return ra.hi < rb.hi ? -1 : ra.hi > rb.hi ? 1 : 0;
    }
    case Kind::Regex: return a.regex().pattern().compare(b.regex().pattern());
    case Kind::Function: return 0;
  }
  return 0;
}

bool equal(const Value& a, const Value& b) {
  const Kind ka = a.kind();
  if (ka != b.kind()) return false;
  if (ka == Kind::Function) return &a.closure() == &b.closure();
  if (ka == Kind::Map) {
    if (a.size() != b.size()) return false;
    bool same = true;
    a.for_each_entry([&](std::string_view k, const Value& va) {
      if (same && (!b.has(k) || !equal(va, b.get(k)))) same = false;
    });
    return same;
  }
  if (ka == Kind::List) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!equal(a.at(i), b.at(i))) return false;
    }
    return true;
  }
  return compare(a, b) == 0;
}

std::string format_number(double d) {
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.007199254740992e15) {
    return std::to_string(static_cast<long long>(d));
  }
  if (!std::isfinite(d)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  // Shortest representation that round-trips.
  for (int precision = 1; precision <= 17; ++precision) {
    char tmp[32];
    std::snprintf(tmp, sizeof tmp, "%.*g", precision, d);
    if (std::strtod(tmp, nullptr) == d) return tmp;
  }
  return buf;
}

Json to_json(const Value& v) {
  switch (v.kind()) {
    case Kind::Null: return nullptr;
    case Kind::Bool: return v.as_bool();
    case Kind::Number: {
      const double d = v.as_number();
      if (d == std::floor(d) && std::fabs(d) < 9.007199254740992e15) return static_cast<std::int64_t>(d);
      return d;
    }
    case Kind::String: return std::string(v.as_string());
    case Kind::List:
    case Kind::Map:
      if (const Json* j = v.json()) return *j;
      if (const List* l = v.list()) {
        Json out = Json::array();
        for (const Value& e : *l) out.push_back(to_json(e));
        return out;
      }
      {
        Json out = Json::object();
        for (const auto& [k, e] : *v.map()) out[k] = to_json(e);
        return out;
      }
    case Kind::Range: return format_number(v.range().lo) + ".." + format_number(v.range().hi);
    case Kind::Regex: return "/" + v.regex().pattern() + "/";
    case Kind::Function: return "<function>";
  }
  return nullptr;
}

std::string to_text(const Value& v) {
  if (v.kind() == Kind::Number) return format_number(v.as_number());
  return base::json_text(to_json(v));
}

std::string interpolate(const Value& v) {
  switch (v.kind()) {
    case Kind::String: return std::string(v.as_string());
    case Kind::Range: return format_number(v.range().lo) + ".." + format_number(v.range().hi);
    case Kind::Regex: return v.regex().pattern();
    case Kind::Function: return "<function>";
    default: return to_text(v);
  }
}

}  // namespace reddalert::eval
