#include "model/schema.hpp"

#include <stdexcept>

namespace reddalert::model {

const Schema* Schema::field(std::string_view name) const {
  const auto it = fields.find(name);
  return it == fields.end() ? nullptr : it->second.get();
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
        skip();
        if (i_ >= s_.size() || s_[i_] != ':') fail("expected :");
        ++i_;
        out->fields[key] = node();
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

}  // namespace reddalert::model
