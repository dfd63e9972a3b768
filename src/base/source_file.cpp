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

std::pair<std::uint32_t, std::uint32_t> SourceFile::position(std::size_t offset) const {
  const auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const std::size_t line = static_cast<std::size_t>(next - line_starts_.begin());  // >= 1: line_starts_[0] is 0
  return {static_cast<std::uint32_t>(line), static_cast<std::uint32_t>(offset - line_starts_[line - 1] + 1)};
}

std::shared_ptr<const SourceFile> SourceFile::renamed(std::string path) const {
  return std::make_shared<const SourceFile>(std::move(path), text_, shown_);
}

Location location_at(const SourcePtr& file, std::size_t offset, std::uint32_t length) {
  const auto [line, column] = file->position(offset);
  return {file, line, column, length};
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
