#include "base/json_text.hpp"

#include <nlohmann/json.hpp>

#include "base/text.hpp"

namespace reddalert::base {

namespace {

// nlohmann's DOM builder, with the position of an error kept instead of thrown.
struct LocatingSax : nlohmann::detail::json_sax_dom_parser<nlohmann::json> {
  using json_sax_dom_parser::json_sax_dom_parser;
  JsonError error;
  template <class Exception>
  bool parse_error(std::size_t position, const std::string& /*token*/, const Exception& e) {
    error.byte = position;
    const std::string what = e.what();  // "[json.exception.parse_error.101] parse error at line 1, column 2: why"
    const std::size_t colon = what.find(": ");
    error.cause = colon == std::string::npos ? what.substr(what.find(']') + 2) : what.substr(colon + 2);
    return false;
  }
};

}  // namespace

std::optional<nlohmann::json> parse_json(std::string_view text, JsonError* error) {
  nlohmann::json j;
  LocatingSax sax(j, false);
  if (nlohmann::json::sax_parse(text, &sax)) return j;
  if (error) *error = sax.error;
  return std::nullopt;
}

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

std::string json_quote(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

void append_json_double(std::string& out, double d) { out += nlohmann::json(d).dump(); }

void JsonWriter::pad(int depth) {
  if (indent_ >= 0) out_.append(static_cast<std::size_t>(indent_) * static_cast<std::size_t>(depth), ' ');
}

void JsonWriter::next() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (counts_.empty()) return;
  if (counts_.back()++ > 0) out_ += ',';
  if (indent_ >= 0) {
    out_ += '\n';
    pad(level_ + static_cast<int>(counts_.size()));
  }
}

void JsonWriter::open(char c) {
  next();
  out_ += c;
  counts_.push_back(0);
}

void JsonWriter::close(char c) {
  const int n = counts_.back();
  counts_.pop_back();
  if (n > 0 && indent_ >= 0) {
    out_ += '\n';
    pad(level_ + static_cast<int>(counts_.size()));
  }
  out_ += c;
}

void JsonWriter::key(std::string_view k) {
  next();
  append_json_string(out_, k);
  out_ += indent_ >= 0 ? ": " : ":";
  after_key_ = true;
}

void JsonWriter::value(std::string_view s) {
  next();
  append_json_string(out_, s);
}

void JsonWriter::value(std::int64_t n) {
  next();
  out_ += std::to_string(n);
}

void JsonWriter::json(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object:
      begin_object();
      for (auto it = j.begin(); it != j.end(); ++it) {
        key(it.key());
        json(it.value());
      }
      end_object();
      return;
    case nlohmann::json::value_t::array:
      begin_array();
      for (const auto& e : j) json(e);
      end_array();
      return;
    case nlohmann::json::value_t::string: value(std::string_view(j.get_ref<const std::string&>())); return;
    case nlohmann::json::value_t::number_float:
      next();
      append_json_double(out_, j.get<double>());
      return;
    default:  // null, booleans, integers
      next();
      out_ += j.dump();
      return;
  }
}

void JsonWriter::raw(std::string_view compact) {
  if (indent_ < 0) {
    next();
    out_ += compact;
    return;
  }
  // Re-indents text json_text() wrote: only the white space between tokens changes.
  for (std::size_t i = 0; i < compact.size();) {
    const char c = compact[i];
    if (c == '{' || c == '[') {
      open(c);
      ++i;
    } else if (c == '}' || c == ']') {
      close(c);
      ++i;
    } else if (c == ',') {
      ++i;
    } else if (c == ':') {
      out_ += ": ";
      after_key_ = true;
      ++i;
    } else {
      // A string (a key, if a colon follows) or a scalar: copied as it is.
      std::size_t end = i;
      if (c == '"') {
        for (++end; compact[end] != '"'; ++end) {
          if (compact[end] == '\\') ++end;
        }
        ++end;
      } else {
        while (end < compact.size() && compact[end] != ',' && compact[end] != '}' && compact[end] != ']') ++end;
      }
      next();  // for a key, the colon after it suppresses the next value's separator
      out_.append(compact.substr(i, end - i));
      i = end;
    }
  }
}

}  // namespace reddalert::base
