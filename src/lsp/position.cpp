#include "lsp/position.hpp"

#include <filesystem>

namespace reddalert::lsp {

namespace {

bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }
// UTF-16 code units of the code point that starts with `lead`: two for those past U+FFFF
// (four UTF-8 bytes), else one.
std::uint32_t units(unsigned char lead) { return lead >= 0xF0 ? 2 : 1; }

std::uint32_t line_count(const base::SourceFile& file) {
  std::uint32_t n = 1;
  for (const char c : file.text()) n += c == '\n';
  return n;
}

}  // namespace

nlohmann::json position(const base::SourceFile& file, std::uint32_t line, std::uint32_t column) {
  const std::string_view text = file.line(line);
  std::uint32_t character = 0, seen = 1;  // `seen`: the 1-based column at byte i
  for (std::size_t i = 0; i < text.size() && seen < column; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (continuation(c)) continue;
    character += units(c);
    // The column counts the characters before it; a continuation byte is no character.
    std::size_t j = i + 1;
    while (j < text.size() && continuation(static_cast<unsigned char>(text[j]))) ++j;
    i = j - 1;
    ++seen;
  }
  if (seen < column) character += column - seen;  // past the line's end (a span's end after its last byte)
  return {{"line", line > 0 ? line - 1 : 0}, {"character", character}};
}

nlohmann::json range(const base::Location& location) {
  if (!location.known()) return {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 0}}}};
  return {{"start", position(*location.file, location.line, location.column)},
          {"end", position(*location.file, location.line, location.end_column())}};
}

nlohmann::json whole_range(const base::SourceFile& file) {
  const std::uint32_t last = line_count(file);
  const std::string_view text = file.line(last);
  const std::uint32_t columns = file.characters(file.line_start(last), file.line_start(last) + text.size());
  return {{"start", {{"line", 0}, {"character", 0}}}, {"end", position(file, last, columns + 1)}};
}

std::size_t offset(const base::SourceFile& file, const nlohmann::json& position) {
  const auto line = position.value("line", 0LL), character = position.value("character", 0LL);
  if (line < 0 || line >= static_cast<long long>(line_count(file))) return line < 0 ? 0 : file.text().size();
  const auto l = static_cast<std::uint32_t>(line + 1);
  const std::size_t start = file.line_start(l);
  const std::string_view text = file.line(l);
  long long counted = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::uint32_t width = continuation(c) ? 0 : units(c);
    if (counted + width > character) break;
    counted += width;
    ++i;
    while (i < text.size() && continuation(static_cast<unsigned char>(text[i]))) ++i;
  }
  return start + i;
}

std::string uri_of(const std::string& path) {
  static const char* hex = "0123456789ABCDEF";
  const std::string absolute = std::filesystem::absolute(path).lexically_normal().string();
  std::string out = "file://";
  for (const char ch : absolute) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string path_of(const std::string& uri) {
  constexpr std::string_view scheme = "file://";
  if (uri.compare(0, scheme.size(), scheme) != 0) return {};
  std::string_view rest = std::string_view(uri).substr(scheme.size());
  // file://host/path: only the local host (empty or `localhost`) names a file here.
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return {};
  const std::string_view host = rest.substr(0, slash);
  if (!host.empty() && host != "localhost") return {};
  rest.remove_prefix(slash);
  const auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '%' && i + 2 < rest.size() && digit(rest[i + 1]) >= 0 && digit(rest[i + 2]) >= 0) {
      out += static_cast<char>(digit(rest[i + 1]) * 16 + digit(rest[i + 2]));
      i += 2;
    } else {
      out += rest[i];
    }
  }
  if (out.find('\0') != std::string::npos) return {};  // no path holds a NUL
  return out;
}

}  // namespace reddalert::lsp
