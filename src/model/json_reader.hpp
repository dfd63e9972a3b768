// Reading documents: a JSON array of documents (a snapshot file, an EDDA answer) read in
// batches of whole elements, parsed with simdjson and built into documents with a
// projection. Memory stays bounded by the batch size and the largest element, whatever the
// length of the array; the text of a batch is reused for the next. The only user of simdjson.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/arena.hpp"
#include "model/doc.hpp"
#include "model/projection.hpp"

namespace reddalert::model {

// Input that is not the JSON expected.
struct DataError {
  static constexpr std::size_t kNoByte = static_cast<std::size_t>(-1);
  std::string message;         // one line: the input's name, the byte, the cause
  std::size_t byte = kNoByte;  // where in the input, when known
  std::string cause;           // the cause alone: "the text ends inside the array"
};

// Bytes from somewhere. read() returns how many it put into `buf` (at most `n`), 0 at the
// end, and throws DataError when the input fails.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual std::size_t read(char* buf, std::size_t n) = 0;
};

// A file read with read(2): never mapped, never loaded whole.
class FileSource : public ByteSource {
 public:
  explicit FileSource(const std::string& path);  // throws DataError("cannot read PATH: ...")
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  std::size_t read(char* buf, std::size_t n) override;

 private:
  std::string path_;
  int fd_ = -1;
};

class TextSource : public ByteSource {
 public:
  explicit TextSource(std::string_view text) : text_(text) {}
  std::size_t read(char* buf, std::size_t n) override;

 private:
  std::string_view text_;
};

// One element of the array being read, or a value inside it; valid only while the callback
// that received it runs.
class Element {
 public:
  enum class Type { Null, Bool, Number, String, Array, Object };
  Type type() const;
  bool is_object() const { return type() == Type::Object; }
  // The member `key` of an object, or nothing (also for other types).
  std::optional<Element> field(std::string_view key) const;
  // The members named `keys` of an object, found in one pass: out[i] is keys[i]'s, or
  // nothing. Of a key given twice, the last.
  void fields(std::span<const std::string_view> keys, std::span<std::optional<Element>> out) const;
  std::string_view string() const;  // String only
  // A number that is a whole number of milliseconds in the valid range (base/time.hpp).
  std::optional<std::int64_t> millis() const;
  // Compact JSON text.
  std::string text() const;

 private:
  friend class DocBuilder;
  friend struct ElementAccess;
  alignas(8) unsigned char impl_[16];
};

struct ReadOptions {
  std::size_t batch_bytes = std::size_t{256} << 10;  // text parsed at a time, about
  int max_depth = 256;                               // nesting of one document
};

// Calls `each` for every element of the JSON array in `source`, in order. `name` names the
// input in errors: "NAME: invalid JSON at byte N: CAUSE". Throws DataError.
void read_array(ByteSource& source, std::string_view name, const std::function<void(const Element&)>& each,
                const ReadOptions& options = {});

// Builds documents from elements into an arena, keeping what a projection asks for.
class DocBuilder {
 public:
  explicit DocBuilder(base::Arena& arena) : writer_(arena) {}
  // `projection` null: everything.
  Doc build(const Element& e, const Projection* projection);

 private:
  struct Level {
    std::vector<Member> members;
    std::vector<Doc> items;
  };
  Doc build_at(const void* element, const Projection* projection, std::size_t depth);

  DocWriter writer_;
  std::vector<Level> levels_;  // scratch per nesting depth, reused from one object to the next
};

// The document a whole JSON text holds (parse_json()). Throws DataError("CAUSE") when it
// is not JSON or nests deeper than `max_depth`.
Doc parse_document(std::string_view text, base::Arena& arena, int max_depth = 256);

}  // namespace reddalert::model
