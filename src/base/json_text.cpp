#include "base/json_text.hpp"

#include <nlohmann/json.hpp>

#include "base/text.hpp"

namespace reddalert::base {

void append_json_string(std::string& out, std::string_view s) {
  if (first_invalid_utf8(s)) {  // nlohmann's replacement rules, not a second copy of them
    out += json_text(nlohmann::json(std::string(s)));
    return;
  }
  static const char* const kHex = "0123456789abcdef";
  out += '"';
  std::size_t plain = 0;  // start of the run of bytes copied as they are
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out += '"';
}

void append_json_double(std::string& out, double d) { out += nlohmann::json(d).dump(); }

}  // namespace reddalert::base
