#include "base/source_file.hpp"

#include <tuple>

namespace reddalert::base {

SourceFile::SourceFile(std::string path, std::string text) : path_(std::move(path)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

std::string_view SourceFile::line(std::uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  const std::size_t begin = line_starts_[line - 1];
  std::size_t end = line < line_starts_.size() ? line_starts_[line] - 1 : text_.size();
  if (end > begin && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(begin, end - begin);
}

std::string Location::str() const { return path() + ":" + std::to_string(line) + ":" + std::to_string(column); }

bool operator<(const Location& a, const Location& b) {
  return std::make_tuple(a.path(), a.line, a.column) < std::make_tuple(b.path(), b.line, b.column);
}

}  // namespace reddalert::base
