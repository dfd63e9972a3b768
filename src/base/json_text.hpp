// JSON text for outputs and files. A string a policy computed byte-wise (a slice through a
// multi-byte character) can be invalid UTF-8, and nlohmann::json's dump() throws on it;
// here such bytes become U+FFFD, so no output or status file fails on such a value.
#pragma once

#include <string>
#include <string_view>

namespace reddalert::base {

template <class Json>
std::string json_text(const Json& j, int indent = -1) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

// `s` as a JSON string literal, byte for byte as json_text() writes it.
void append_json_string(std::string& out, std::string_view s);
// `d` as json_text() writes a JSON number holding a double: "0.5", "1.0", "1e+20"; a
// non-finite value as "null".
void append_json_double(std::string& out, double d);

}  // namespace reddalert::base
