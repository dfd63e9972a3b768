// JSON text for outputs and files. A string a policy computed byte-wise (a slice through a
// multi-byte character) can be invalid UTF-8, and nlohmann::json's dump() throws on it;
// here such bytes become U+FFFD, so no output or status file fails on such a value.
#pragma once

#include <string>

namespace reddalert::base {

template <class Json>
std::string json_text(const Json& j, int indent = -1) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace reddalert::base
