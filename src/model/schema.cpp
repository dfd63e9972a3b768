#include "model/schema.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace reddalert::model {

const Schema* Schema::field(std::string_view name) const {
  const SchemaField* f = field_entry(name);
  return f ? f->schema.get() : nullptr;
}

const SchemaField* Schema::field_entry(std::string_view name) const {
  const auto it = fields.find(name);
  return it == fields.end() ? nullptr : &it->second;
}

std::vector<std::string> Schema::field_names() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields) out.push_back(k);
  return out;
}

namespace {

class SchemaParser {
 public:
  SchemaParser(std::string_view text, const std::map<std::string, SchemaPtr, std::less<>>& defs)
      : s_(text), defs_(defs) {}

  SchemaPtr parse() {
    SchemaPtr out = node();
    skip();
    if (i_ != s_.size()) fail("trailing text");
    return out;
  }

 private:
  void skip() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == ',')) ++i_;
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw std::invalid_argument("schema: " + what + " at " + std::to_string(i_) + " in " +
                                std::string(s_.substr(0, 60)));
  }
  std::string word() {
    skip();
    const std::size_t start = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' || s_[i_] == '$')) {
      ++i_;
    }
    if (start == i_) fail("expected a word");
    return std::string(s_.substr(start, i_ - start));
  }
  // ` = VALUE` after a field's type: one JSON value that fits `schema`, as compact JSON text.
  std::string example(const Schema& schema) {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n')) ++i_;
    if (i_ >= s_.size() || s_[i_] != '=') return "";
    ++i_;
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n')) ++i_;
    const std::size_t start = i_;
    int depth = 0;
    bool in_string = false;
    for (; i_ < s_.size(); ++i_) {
      const char c = s_[i_];
      if (in_string) {
        if (c == '\\')
          ++i_;
        else if (c == '"')
          in_string = false;
      } else if (c == '"') {
        in_string = true;
      } else if (c == '[' || c == '{') {
        ++depth;
      } else if (c == ']' || c == '}') {
        if (depth == 0) break;
        --depth;
      } else if (depth == 0 && (c == ',' || c == ' ' || c == '\n')) {
        break;
      }
    }
    const std::string_view text = s_.substr(start, i_ - start);
    const nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
    if (value.is_discarded() || text.empty()) fail("example is not one JSON value");
    if (!fits(value, schema)) fail("example " + std::string(text) + " is not a " + describe_kind(schema));
    return value.dump();
  }
  // Null is never an example: it shows nothing about the field's values.
  static bool fits(const nlohmann::json& v, const Schema& schema) {
    switch (schema.kind) {
      case Schema::Kind::Any: return !v.is_null();
      case Schema::Kind::String: return v.is_string();
      case Schema::Kind::Number: return v.is_number();
      case Schema::Kind::Bool: return v.is_boolean();
      case Schema::Kind::List:
        if (!v.is_array()) return false;
        for (const nlohmann::json& e : v) {
          if (!fits(e, *schema.element)) return false;
        }
        return true;
      case Schema::Kind::Object:
        if (!v.is_object()) return false;
        for (const auto& [key, member] : v.items()) {
          const Schema* f = schema.field(key);
          if (f ? !fits(member, *f) : !schema.open) return false;
        }
        return true;
    }
    return false;
  }

  SchemaPtr node() {
    skip();
    auto out = std::make_shared<Schema>();
    if (i_ < s_.size() && s_[i_] == '[') {
      ++i_;
      out->kind = Schema::Kind::List;
      out->element = node();
      skip();
      if (i_ >= s_.size() || s_[i_] != ']') fail("expected ]");
      ++i_;
      return out;
    }
    if (i_ < s_.size() && s_[i_] == '{') {
      ++i_;
      out->kind = Schema::Kind::Object;
      for (;;) {
        skip();
        if (i_ >= s_.size()) fail("unterminated object");
        if (s_[i_] == '}') {
          ++i_;
          return out;
        }
        if (s_[i_] == '*') {
          ++i_;
          out->open = true;
          continue;
        }
        const std::string key = word();
        SchemaField field;
        if (i_ < s_.size() && s_[i_] == '?') {
          ++i_;
          field.optional = true;
        }
        skip();
        if (i_ >= s_.size() || s_[i_] != ':') fail("expected :");
        ++i_;
        field.schema = node();
        field.example = example(*field.schema);
        if (!out->fields.emplace(key, std::move(field)).second) fail("field " + key + " listed twice");
      }
    }
    const std::string w = word();
    if (w == "string")
      out->kind = Schema::Kind::String;
    else if (w == "number")
      out->kind = Schema::Kind::Number;
    else if (w == "bool")
      out->kind = Schema::Kind::Bool;
    else if (w == "any")
      out->kind = Schema::Kind::Any;
    else if (w[0] == '$') {
      const auto it = defs_.find(w.substr(1));
      if (it == defs_.end()) fail("unknown definition " + w);
      return it->second;
    } else {
      fail("unknown type " + w);
    }
    return out;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  const std::map<std::string, SchemaPtr, std::less<>>& defs_;
};

}  // namespace

SchemaPtr parse_schema(std::string_view text, const std::map<std::string, SchemaPtr, std::less<>>& definitions) {
  return SchemaParser(text, definitions).parse();
}

std::string describe_kind(const Schema& schema) {
  switch (schema.kind) {
    case Schema::Kind::Any: return "any";
    case Schema::Kind::String: return "string";
    case Schema::Kind::Number: return "number";
    case Schema::Kind::Bool: return "bool";
    case Schema::Kind::List: return "list of " + describe_kind(*schema.element);
    case Schema::Kind::Object: return "object";
  }
  return "any";
}

}  // namespace reddalert::model
