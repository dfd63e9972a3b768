// JSON text for outputs and files. A string a policy computed byte-wise (a slice through a
// multi-byte character) can be invalid UTF-8, and nlohmann::json's dump() throws on it;
// here such bytes become U+FFFD, so no output or status file fails on such a value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace reddalert::base {

// Where and why a JSON text does not parse.
struct JsonError {
  std::size_t byte = 0;  // the offset where the parser stopped
  std::string cause;     // "syntax error while parsing value - invalid literal", "number overflow parsing '1e400'"
};
// `text` as JSON, or nullopt with `*error` set. json::parse throws out_of_range, not
// parse_error, for a number beyond a double (1e400), and without its position; here both
// are the same kind of error, with the byte.
std::optional<nlohmann::json> parse_json(std::string_view text, JsonError* error);

template <class Json>
std::string json_text(const Json& j, int indent = -1) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

// `s` as a JSON string literal, byte for byte as json_text() writes it (quotes included;
// invalid UTF-8 bytes become U+FFFD).
void append_json_string(std::string& out, std::string_view s);
std::string json_quote(std::string_view s);
// `d` as json_text() writes a JSON number holding a double: "0.5", "1.0", "1e+20"; a
// non-finite value as "null".
void append_json_double(std::string& out, double d);
// Writes JSON text piece by piece, byte for byte as json_text(document, indent) would
// write the whole document (indent < 0: compact): a large report is never built whole.
class JsonWriter {
 public:
  // `level`: how deep the first value written is nested (its first line is not indented:
  // the caller has written what comes before it).
  JsonWriter(std::string& out, int indent, int level = 0) : out_(out), indent_(indent), level_(level) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  void key(std::string_view k);  // in an object, before each value
  void value(std::string_view s);
  void value(const char* s) { value(std::string_view(s)); }
  void value(const std::string& s) { value(std::string_view(s)); }
  void value(std::int64_t n);
  void json(const nlohmann::json& j);
  // A value given as compact JSON text (as json_text() writes it), re-indented.
  void raw(std::string_view compact);

 private:
  void open(char c);
  void close(char c);
  void next();  // before a value: a comma and a line break as needed
  void pad(int depth);

  std::string& out_;
  int indent_;
  int level_;
  std::vector<int> counts_;  // values written so far in each open container
  bool after_key_ = false;
};

}  // namespace reddalert::base
