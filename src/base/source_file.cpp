#include "base/source_file.hpp"

#include <algorithm>

#include <tuple>

namespace reddalert::base {

SourceFile::SourceFile(std::string path, std::string text, std::string shown)
    : path_(std::move(path)), text_(std::move(text)), shown_(std::move(shown)) {
  if (shown_.size() != text_.size()) shown_.clear();  // a mask must keep every position
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

namespace {

bool continues_utf8(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::pair<std::uint32_t, std::uint32_t> SourceFile::position(std::size_t offset) const {
  const auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const std::size_t line = static_cast<std::size_t>(next - line_starts_.begin());  // >= 1: line_starts_[0] is 0
  const std::size_t start = line_starts_[line - 1];
  // Past the text's end (a parse error at the end of the file), each missing byte counts one.
  const std::size_t inside = std::min(offset, text_.size());
  return {static_cast<std::uint32_t>(line),
          characters(start, inside) + static_cast<std::uint32_t>(offset - inside) + 1};
}

std::shared_ptr<const SourceFile> SourceFile::renamed(std::string path) const {
  return std::make_shared<const SourceFile>(std::move(path), text_, shown_);
}

std::size_t SourceFile::line_start(std::uint32_t line) const {
  if (line == 0) return 0;
  return line <= line_starts_.size() ? line_starts_[line - 1] : text_.size();
}

std::size_t SourceFile::offset(std::uint32_t line, std::uint32_t column) const {
  if (line == 0 || line > line_starts_.size()) return 0;
  std::size_t at = line_starts_[line - 1];
  for (std::uint32_t c = 1; c < column && at < text_.size() && text_[at] != '\n'; ++c) {
    ++at;
    while (at < text_.size() && continues_utf8(text_[at])) ++at;
  }
  return at;
}

std::uint32_t SourceFile::characters(std::size_t begin, std::size_t end) const {
  end = std::min(end, text_.size());
  std::uint32_t n = 0;
  for (std::size_t i = begin; i < end; ++i) n += continues_utf8(text_[i]) ? 0 : 1;
  return n;
}

Location location_at(const SourcePtr& file, std::size_t offset, std::size_t length) {
  const auto [line, column] = file->position(offset);
  const std::uint32_t chars = file->characters(offset, offset + length);
  return {file, line, column, std::max<std::uint32_t>(1, chars)};
}

std::string_view SourceFile::line(std::uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  const std::size_t begin = line_starts_[line - 1];
  std::size_t end = line < line_starts_.size() ? line_starts_[line] - 1 : text_.size();
  if (end > begin && text_[end - 1] == '\r') --end;
  return std::string_view(shown_.empty() ? text_ : shown_).substr(begin, end - begin);
}

std::string Location::str() const { return path() + ":" + std::to_string(line) + ":" + std::to_string(column); }

bool operator<(const Location& a, const Location& b) {
  return std::make_tuple(a.path(), a.line, a.column) < std::make_tuple(b.path(), b.line, b.column);
}

}  // namespace reddalert::base
