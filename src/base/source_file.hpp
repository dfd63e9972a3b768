// A policy file's text and the positions inside it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reddalert::base {

// A loaded source file. Owned through shared_ptr so that every Location can point at it
// for as long as diagnostics, AST nodes or evaluator nodes live.
class SourceFile {
 public:
  // `shown`: the text as diagnostics show it, byte for byte the same length with secrets
  // masked (a configuration's URLs, base::mask_url_secrets); empty: the text itself.
  SourceFile(std::string path, std::string text, std::string shown = {});

  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  // The shown text of 1-based line `line`, without its line break; empty when out of range.
  std::string_view line(std::uint32_t line) const;
  // The 1-based line and column of byte `offset`. The column counts characters (UTF-8 code
  // points), as editors and CI annotations do; this is the one place columns are computed.
  std::pair<std::uint32_t, std::uint32_t> position(std::size_t offset) const;
  // The same text under another path (`diff --base` shows a revision's files as `REV:path`).
  std::shared_ptr<const SourceFile> renamed(std::string path) const;
  // The byte offset of 1-based `line` and character `column` (position's inverse); 0 for a
  // line out of range, the line's end for a column past it.
  std::size_t offset(std::uint32_t line, std::uint32_t column) const;
  // The byte offset where 1-based `line` starts (for positions other tools give in bytes).
  std::size_t line_start(std::uint32_t line) const;
  // How many characters the bytes [begin, end) hold (the bytes that do not continue a
  // UTF-8 sequence).
  std::uint32_t characters(std::size_t begin, std::size_t end) const;

 private:
  std::string path_;
  std::string text_;
  std::string shown_;  // empty: text_
  std::vector<std::size_t> line_starts_;
};

using SourcePtr = std::shared_ptr<const SourceFile>;

// A span in a source file, on one line; line and column are 1-based, column and length
// count characters (SourceFile::position).
struct Location {
  SourcePtr file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t length = 1;  // how many characters the caret underlines

  bool known() const { return file != nullptr && line > 0; }
  // The column just after the span (SARIF's endColumn): column + length.
  std::uint32_t end_column() const { return column + length; }
  // The byte offset of the span's start in the file's text; 0 when unknown.
  std::size_t offset() const { return known() ? file->offset(line, column) : 0; }
  std::string path() const { return file ? file->path() : std::string("<unknown>"); }
  // "path:line:col"
  std::string str() const;
};

bool operator<(const Location& a, const Location& b);

// The location of the `length` bytes at byte `offset` of `file` (at least one character).
Location location_at(const SourcePtr& file, std::size_t offset, std::size_t length = 1);

}  // namespace reddalert::base
