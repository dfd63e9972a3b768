#include "model/json_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <new>

#include <simdjson.h>

#include "base/file.hpp"
#include "base/time.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace reddalert::model {

namespace dom = simdjson::dom;

static_assert(sizeof(dom::element) == 16, "Element keeps a dom::element in 16 bytes");

struct ElementAccess {
  static const dom::element& get(const Element& e) { return *reinterpret_cast<const dom::element*>(e.impl_); }
  static Element make(const dom::element& d) {
    Element e;
    new (e.impl_) dom::element(d);
    return e;
  }
};

namespace {

const dom::element& el(const Element& e) { return ElementAccess::get(e); }

// ---- the batch scanner ----------------------------------------------------------------
// Finds, 64 bytes at a time, where the top-level array's elements are separated (commas at
// depth 1 outside strings) without parsing them: bit masks of quotes, backslashes and
// brackets, the inside of strings as a prefix XOR of the unescaped quotes, and depth as
// counts of opening and closing brackets outside strings.

struct Masks {
  std::uint64_t quote, backslash, open, close, comma;
};

// Classifiers of one 64-byte block, from the widest the processor has (chosen at run time).
#if defined(__SSE2__)
struct Sse2 {
  static std::uint64_t movemask(__m128i v) { return static_cast<std::uint32_t>(_mm_movemask_epi8(v)); }
  Masks operator()(const char* p) const {
    Masks m{0, 0, 0, 0, 0};
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), comma = _mm_set1_epi8(',');
    const __m128i case_bit = _mm_set1_epi8(0x20), open = _mm_set1_epi8('{'), close = _mm_set1_epi8('}');
    for (int i = 0; i < 4; ++i) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
      const __m128i folded = _mm_or_si128(v, case_bit);  // '[' | 0x20 == '{', ']' | 0x20 == '}'
      const int shift = 16 * i;
      m.quote |= movemask(_mm_cmpeq_epi8(v, quote)) << shift;
      m.backslash |= movemask(_mm_cmpeq_epi8(v, backslash)) << shift;
      m.comma |= movemask(_mm_cmpeq_epi8(v, comma)) << shift;
      m.open |= movemask(_mm_cmpeq_epi8(folded, open)) << shift;
      m.close |= movemask(_mm_cmpeq_epi8(folded, close)) << shift;
    }
    return m;
  }
};
#endif

#if defined(__x86_64__)
struct Avx2 {
  __attribute__((target("avx2"))) static std::uint64_t bits(__m256i x) {
    return static_cast<std::uint32_t>(_mm256_movemask_epi8(x));
  }
  __attribute__((target("avx2"))) Masks operator()(const char* p) const {
    Masks m{0, 0, 0, 0, 0};
    const __m256i quote = _mm256_set1_epi8('"'), backslash = _mm256_set1_epi8('\\'), comma = _mm256_set1_epi8(',');
    const __m256i case_bit = _mm256_set1_epi8(0x20), open = _mm256_set1_epi8('{'), close = _mm256_set1_epi8('}');
    for (int i = 0; i < 2; ++i) {
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * i));
      const __m256i folded = _mm256_or_si256(v, case_bit);
      const int shift = 32 * i;
      m.quote |= bits(_mm256_cmpeq_epi8(v, quote)) << shift;
      m.backslash |= bits(_mm256_cmpeq_epi8(v, backslash)) << shift;
      m.comma |= bits(_mm256_cmpeq_epi8(v, comma)) << shift;
      m.open |= bits(_mm256_cmpeq_epi8(folded, open)) << shift;
      m.close |= bits(_mm256_cmpeq_epi8(folded, close)) << shift;
    }
    return m;
  }
};

struct Avx512 {
  __attribute__((target("avx512bw"))) Masks operator()(const char* p) const {
    const __m512i v = _mm512_loadu_si512(p);
    const __m512i folded = _mm512_or_si512(v, _mm512_set1_epi8(0x20));
    return {_mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"')), _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\\')),
            _mm512_cmpeq_epi8_mask(folded, _mm512_set1_epi8('{')),
            _mm512_cmpeq_epi8_mask(folded, _mm512_set1_epi8('}')), _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(','))};
  }
};
#endif

#if !defined(__SSE2__)
struct Sse2 {  // the baseline classifier, where there is no SSE2: byte by byte
  Masks operator()(const char* p) const {
    Masks m{0, 0, 0, 0, 0};
    for (int i = 0; i < 64; ++i) {
      const std::uint64_t bit = std::uint64_t{1} << i;
      switch (p[i]) {
        case '"': m.quote |= bit; break;
        case '\\': m.backslash |= bit; break;
        case ',': m.comma |= bit; break;
        case '{':
        case '[': m.open |= bit; break;
        case '}':
        case ']': m.close |= bit; break;
        default: break;
      }
    }
    return m;
  }
};
#endif

inline std::uint64_t prefix_xor(std::uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

// The characters escaped by a backslash; `carry`: the block before ended in an escape.
inline std::uint64_t escaped_chars(std::uint64_t backslash, bool& carry) {
  std::uint64_t escaped = 0;
  if (carry) {
    escaped = 1;
    backslash &= ~std::uint64_t{1};
  }
  carry = false;
  while (backslash != 0) {
    const int i = __builtin_ctzll(backslash);
    if (i == 63) {
      carry = true;
      break;
    }
    escaped |= std::uint64_t{2} << i;
    backslash &= ~(std::uint64_t{3} << i);
  }
  return escaped;
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The order of member names (bytes, unsigned): most names differ in their first byte.
inline int key_order(std::string_view a, std::string_view b) {
  if (!a.empty() && !b.empty() && a[0] != b[0])
    return static_cast<unsigned char>(a[0]) < static_cast<unsigned char>(b[0]) ? -1 : 1;
  return a.compare(b) < 0 ? -1 : a == b ? 0 : 1;
}

std::string cause(simdjson::error_code e, int max_depth) {
  switch (e) {
    case simdjson::NUMBER_ERROR: return "a number that is malformed or out of range";
    case simdjson::UTF8_ERROR: return "text that is not valid UTF-8";
    case simdjson::DEPTH_ERROR: return "a document nested deeper than " + std::to_string(max_depth) + " levels";
    case simdjson::UNCLOSED_STRING:
    case simdjson::STRING_ERROR: return "a malformed or unterminated string";
    case simdjson::UNESCAPED_CHARS: return "a control character inside a string";
    default: return simdjson::error_message(e);
  }
}

// The offsets of the elements of `text` (the inside of an array, no brackets): where each
// starts. A plain scan: only used to point at the element an error is in.
std::vector<std::size_t> element_starts(std::string_view text) {
  std::vector<std::size_t> out{0};
  int depth = 0;
  bool in_string = false, escape = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escape) {
        escape = false;
      } else if (c == '\\') {
        escape = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') --depth;
    if (c == ',' && depth == 0) out.push_back(i + 1);
  }
  return out;
}

// Bytes of input, never zero-filled: a page is touched when text is read into it.
class Buffer {
 public:
  explicit Buffer(std::size_t size) : data_(new char[size]), size_(size) {}
  char* data() { return data_.get(); }
  std::size_t size() const { return size_; }
  char& operator[](std::size_t i) { return data_[i]; }
  // At least `size` bytes, the first `keep` kept.
  void grow(std::size_t size, std::size_t keep) {
    std::unique_ptr<char[]> bigger(new char[size]);
    std::memcpy(bigger.get(), data_.get(), keep);
    data_ = std::move(bigger);
    size_ = size;
  }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_;
};

class Reader {
 public:
  Reader(ByteSource& source, std::string_view name, const std::function<void(const Element&)>& each,
         const ReadOptions& options)
      : source_(source), name_(name), each_(each), options_(options) {
    if (auto e = parser_.allocate(options.batch_bytes + 1024, static_cast<std::size_t>(options.max_depth) + 1)) {
      throw DataError{std::string(name_) + ": " + simdjson::error_message(e), DataError::kNoByte,
                      simdjson::error_message(e)};
    }
  }

  void run() {
    open_array();
    scan();
    close_array();
  }

 private:
  static constexpr std::size_t kPadding = simdjson::SIMDJSON_PADDING;

  [[noreturn]] void fail(std::size_t at, const std::string& why) const {
    throw DataError{std::string(name_) + ": invalid JSON at byte " + std::to_string(base_ + at) + ": " + why,
                    base_ + at, why};
  }

  // Reads more input after `filled_`, first moving the text still needed (from `keep`) to
  // the front of the buffer. Returns false at the end of the input.
  bool fill(std::size_t& keep) {
    if (eof_) return false;
    // The buffer holds several batches: the text still needed moves to the front only
    // when the buffer is full, so most bytes are never moved.
    const std::size_t want = options_.batch_bytes, room = want + kPadding + 64;
    if (buf_.size() < filled_ + room && keep > 0) {
      std::memmove(buf_.data(), buf_.data() + keep, filled_ - keep);
      base_ += keep;
      filled_ -= keep;
      batch_ -= keep;
      scan_ -= keep;
      keep = 0;
    }
    if (buf_.size() < filled_ + room) buf_.grow(std::max({buf_.size() * 2, filled_ + room, 8 * want}), filled_);
    const std::size_t n = source_.read(buf_.data() + filled_, want);
    if (n == 0) {
      eof_ = true;
      return false;
    }
    filled_ += n;
    return true;
  }

  void open_array() {
    std::size_t keep = 0;
    std::size_t i = 0;
    for (;;) {
      if (i == filled_ && !fill(keep)) fail(i, "expected a JSON array, found no text");
      if (i == 0 && base_ == 0 && filled_ >= 3 && std::memcmp(buf_.data(), "\xEF\xBB\xBF", 3) == 0) i = 3;
      if (i < filled_ && is_space(buf_[i])) {
        ++i;
        continue;
      }
      if (i < filled_) break;
    }
    if (buf_[i] != '[') {
      const char c = buf_[i];
      const std::string found = c == '{'                             ? "an object"
                                : c == '"'                           ? "a string"
                                : c == 't' || c == 'f'               ? "a boolean"
                                : c == 'n'                           ? "null"
                                : c == '-' || (c >= '0' && c <= '9') ? "a number"
                                                                     : "no JSON";
      const std::string why = "expected a JSON array, found " + found;
      throw DataError{std::string(name_) + ": " + why, DataError::kNoByte, why};
    }
    batch_ = i + 1;
    scan_ = batch_;
  }

  // Splits the array into batches at depth-1 commas and parses each, with the widest
  // vector instructions and the popcount instruction where the processor has them.
  void scan() {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("popcnt")) return scan_avx512();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt")) return scan_avx2();
#endif
    scan_with(Sse2{}, PortableCount{});
  }

  struct PortableCount {
    std::int64_t operator()(std::uint64_t x) const {
      std::int64_t n = 0;
      for (; x != 0; x &= x - 1) ++n;  // brackets are few in a block
      return n;
    }
  };
#if defined(__x86_64__)
  struct HardwareCount {
    __attribute__((target("popcnt"))) std::int64_t operator()(std::uint64_t x) const { return __builtin_popcountll(x); }
  };
  __attribute__((target("avx512bw,popcnt"))) void scan_avx512() { scan_with(Avx512{}, HardwareCount{}); }
  __attribute__((target("avx2,popcnt"))) void scan_avx2() { scan_with(Avx2{}, HardwareCount{}); }
#endif

  template <class Classify, class Count>
  __attribute__((always_inline)) void scan_with(Classify classify, Count count) {
    std::int64_t depth = 1;
    bool in_string = false, escape = false;
    for (;;) {
      while (scan_ < filled_ && (eof_ || scan_ + 64 <= filled_)) {
        if (scan_ + 64 > filled_) std::memset(buf_.data() + filled_, ' ', scan_ + 64 - filled_);
        const char* block = buf_.data() + scan_;
        Masks m = classify(block);
        if (m.backslash != 0 || escape) m.quote &= ~escaped_chars(m.backslash, escape);
        const std::uint64_t inside = prefix_xor(m.quote) ^ (in_string ? ~std::uint64_t{0} : 0);
        in_string = (inside >> 63) != 0;
        const std::uint64_t open = m.open & ~inside, close = m.close & ~inside, comma = m.comma & ~inside;
        const bool seeking = scan_ + 64 > batch_ + options_.batch_bytes;
        const std::int64_t closes = count(close);
        if (!seeking && depth - closes > 0) {
          depth += count(open) - closes;
          scan_ += 64;
          continue;
        }
        // In order, bit by bit: a cut at a depth-1 comma, or the end of the array.
        for (std::uint64_t bits = open | close | comma; bits != 0; bits &= bits - 1) {
          const int b = __builtin_ctzll(bits);
          const std::size_t at = scan_ + static_cast<std::size_t>(b);
          const std::uint64_t bit = std::uint64_t{1} << b;
          if (open & bit) {
            ++depth;
          } else if (close & bit) {
            if (--depth == 0) {
              parse_batch(at, true);
              end_ = at + 1;
              return;
            }
          } else if (depth == 1 && at >= batch_ + options_.batch_bytes) {
            parse_batch(at, false);
            batch_ = at + 1;
          }
        }
        scan_ += 64;
      }
      if (eof_) {
        if (in_string) fail(filled_, "the text ends inside a string");
        fail(filled_, "the text ends inside the array");
      }
      std::size_t keep = batch_ - 1;
      fill(keep);  // at the end of the input, the loop above scans what is left
    }
  }

  // Parses buf_[batch_, end) as the elements of an array: the byte before is set to '[',
  // the one at `end` to ']'. `last`: `end` is the array's own closing bracket.
  void parse_batch(std::size_t end, bool last) {
    const std::size_t begin = batch_ - 1;
    buf_[begin] = '[';
    buf_[end] = ']';
    dom::element doc;
    if (auto e = parser_.parse(buf_.data() + begin, end - begin + 1, false).get(doc)) locate(begin, end, e);
    const dom::array items = doc.get_array().value_unsafe();
    const std::size_t n = items.size();
    if (n == 0 && (!last || cuts_ > 0)) fail(end, "a comma with no value after it");
    for (const dom::element item : items) each_(ElementAccess::make(item));
    if (!last) ++cuts_;
  }

  // Points at the first element of a batch that does not parse on its own.
  [[noreturn]] void locate(std::size_t begin, std::size_t end, simdjson::error_code batch_error) {
    const std::string_view inside(buf_.data() + begin + 1, end - begin - 1);
    const std::vector<std::size_t> starts = element_starts(inside);
    dom::parser one;
    for (std::size_t i = 0; i < starts.size(); ++i) {
      const std::size_t stop = i + 1 < starts.size() ? starts[i + 1] - 1 : inside.size();
      const std::string_view element = inside.substr(starts[i], stop - starts[i]);
      if (starts.size() > 1 && element.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        fail(begin + 1 + starts[i],
             i + 1 < starts.size() ? "two commas with no value between them" : "a comma with no value after it");
      }
      std::string text = "[" + std::string(element) + "]";
      text.resize(text.size() + kPadding, ' ');
      dom::element ignored;
      const std::size_t len = text.size() - kPadding;
      if (auto e = one.parse(text.data(), len, false).get(ignored)) {
        std::size_t at = starts[i];
        while (at < stop && is_space(inside[at])) ++at;
        fail(begin + 1 + at, cause(e, options_.max_depth));
      }
    }
    fail(begin, cause(batch_error, options_.max_depth));
  }

  // After the closing bracket only white space may follow.
  void close_array() {
    std::size_t from = end_;
    for (;;) {
      for (std::size_t i = from; i < filled_; ++i) {
        if (!is_space(buf_[i])) fail(i, "text after the end of the array");
      }
      if (eof_) return;
      const std::size_t n = source_.read(buf_.data(), buf_.size() - kPadding);
      if (n == 0) return;
      base_ += filled_;
      filled_ = n;
      from = 0;
    }
  }

  ByteSource& source_;
  std::string_view name_;
  const std::function<void(const Element&)>& each_;
  ReadOptions options_;
  dom::parser parser_;
  Buffer buf_{1024};
  std::size_t base_ = 0;    // offset in the input of buf_[0]
  std::size_t filled_ = 0;  // bytes of buf_ holding input
  std::size_t batch_ = 0;   // where the current batch's first element starts
  std::size_t scan_ = 0;    // the next byte to classify
  std::size_t end_ = 0;     // after the closing bracket
  std::size_t cuts_ = 0;
  bool eof_ = false;
};

}  // namespace

// ---- sources ------------------------------------------------------------------------------

FileSource::FileSource(const std::string& path) : path_(path) {
  // Non-blocking so that a FIFO cannot hang the open; then only regular files are read.
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd_ < 0)
    throw DataError{"cannot read " + path + ": " + std::strerror(errno), DataError::kNoByte, std::strerror(errno)};
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    const std::string why = "is " + base::file_kind(st.st_mode) + ", not a regular file";
    ::close(fd_);
    fd_ = -1;
    throw DataError{"cannot read " + path + ": " + why, DataError::kNoByte, why};
  }
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
}

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t FileSource::read(char* buf, std::size_t n) {
  for (;;) {
    const ssize_t got = ::read(fd_, buf, n);
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno != EINTR)
      throw DataError{"cannot read " + path_ + ": " + std::strerror(errno), DataError::kNoByte, std::strerror(errno)};
  }
}

std::size_t TextSource::read(char* buf, std::size_t n) {
  const std::size_t k = std::min(n, text_.size());
  std::memcpy(buf, text_.data(), k);
  text_.remove_prefix(k);
  return k;
}

// ---- elements -----------------------------------------------------------------------------

Element::Type Element::type() const {
  switch (el(*this).type()) {
    case dom::element_type::ARRAY: return Type::Array;
    case dom::element_type::OBJECT: return Type::Object;
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE: return Type::Number;
    case dom::element_type::STRING: return Type::String;
    case dom::element_type::BOOL: return Type::Bool;
    case dom::element_type::NULL_VALUE: return Type::Null;
  }
  return Type::Null;
}

std::optional<Element> Element::field(std::string_view key) const {
  dom::object obj;
  if (el(*this).get_object().get(obj)) return std::nullopt;
  dom::element v;
  if (obj.at_key(key).get(v)) return std::nullopt;
  return ElementAccess::make(v);
}

void Element::fields(std::span<const std::string_view> keys, std::span<std::optional<Element>> out) const {
  for (auto& o : out) o.reset();
  dom::object obj;
  if (el(*this).get_object().get(obj)) return;
  for (const dom::key_value_pair kv : obj) {
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (kv.key == keys[i]) out[i] = ElementAccess::make(kv.value);
    }
  }
}

std::string_view Element::string() const { return el(*this).get_string().value_unsafe(); }

std::optional<std::int64_t> Element::millis() const {
  const dom::element& e = el(*this);
  switch (e.type()) {
    case dom::element_type::INT64: {
      const std::int64_t v = e.get_int64().value_unsafe();
      if (!base::valid_time(v)) return std::nullopt;
      return v;
    }
    case dom::element_type::DOUBLE: return base::time_of(e.get_double().value_unsafe());
    default: return std::nullopt;  // UINT64: above 2^63
  }
}

std::string Element::text() const { return simdjson::to_string(el(*this)); }

// ---- building -----------------------------------------------------------------------------

Doc DocBuilder::build(const Element& e, const Projection* projection) {
  return build_at(&el(e), projection && !projection->whole() ? projection : nullptr, 0);
}

Doc DocBuilder::build_at(const void* element, const Projection* p, std::size_t depth) {
  const dom::element& e = *static_cast<const dom::element*>(element);
  switch (e.type()) {
    case dom::element_type::NULL_VALUE: return Doc::null();
    case dom::element_type::BOOL: return Doc::boolean_of(e.get_bool().value_unsafe());
    case dom::element_type::INT64: return Doc::integer(e.get_int64().value_unsafe());
    case dom::element_type::UINT64: return Doc::unsigned_integer(e.get_uint64().value_unsafe());
    case dom::element_type::DOUBLE: return Doc::floating(e.get_double().value_unsafe());
    case dom::element_type::STRING: return writer_.string(e.get_string().value_unsafe());
    case dom::element_type::ARRAY: {
      const dom::array items = e.get_array().value_unsafe();
      const Projection* item = nullptr;
      if (p != nullptr) {
        item = p->element();
        if (item == nullptr) return writer_.list({});  // nothing reads the elements
        if (item->whole()) item = nullptr;
      }
      if (levels_.size() <= depth) levels_.resize(depth + 8);
      levels_[depth].items.clear();
      for (const dom::element x : items) {
        const Doc d = build_at(&x, item, depth + 1);
        levels_[depth].items.push_back(d);
      }
      return writer_.list(levels_[depth].items);
    }
    case dom::element_type::OBJECT: {
      const dom::object members = e.get_object().value_unsafe();
      if (p != nullptr && p->iterated()) p = nullptr;
      if (levels_.size() <= depth) levels_.resize(depth + 8);
      levels_[depth].members.clear();
      // Members usually come in name order, as the projection's fields do: a merge of the
      // two, with a search per member once they do not.
      static const std::vector<Projection::Field> kNone;
      const std::vector<Projection::Field>& fields = p ? p->fields() : kNone;
      std::size_t cursor = 0;
      bool in_order = true;
      std::string_view previous;
      for (const dom::key_value_pair kv : members) {
        if (p == nullptr) {
          const Key k = intern_key(kv.key);
          const Doc d = build_at(&kv.value, nullptr, depth + 1);
          levels_[depth].members.push_back({kv.key, k, d});
          continue;
        }
        const Projection::Field* f = nullptr;
        in_order = in_order && key_order(previous, kv.key) <= 0;
        previous = kv.key;
        if (in_order) {
          int c = -1;
          while (cursor < fields.size() && (c = key_order(fields[cursor].name, kv.key)) < 0) ++cursor;
          if (c == 0) f = &fields[cursor];
        } else {
          f = p->find(kv.key);
        }
        if (f == nullptr) continue;
        const Doc d = build_at(&kv.value, f->child->whole() ? nullptr : f->child.get(), depth + 1);
        levels_[depth].members.push_back({kv.key, f->key, d});
      }
      return writer_.object(levels_[depth].members);
    }
  }
  return Doc::null();
}

void read_array(ByteSource& source, std::string_view name, const std::function<void(const Element&)>& each,
                const ReadOptions& options) {
  Reader(source, name, each, options).run();
}

Doc parse_document(std::string_view text, base::Arena& arena, int max_depth) {
  thread_local dom::parser parser;
  if (parser.max_depth() < static_cast<std::size_t>(max_depth) + 1 || parser.capacity() < text.size()) {
    if (auto e = parser.allocate(std::max(text.size(), parser.capacity()), static_cast<std::size_t>(max_depth) + 1))
      throw DataError{simdjson::error_message(e), DataError::kNoByte, simdjson::error_message(e)};
  }
  // A padded copy in the arena: the caller's arena holds the result anyway.
  char* padded = static_cast<char*>(arena.allocate(text.size() + simdjson::SIMDJSON_PADDING, 1));
  std::memcpy(padded, text.data(), text.size());
  std::memset(padded + text.size(), ' ', simdjson::SIMDJSON_PADDING);
  dom::element doc;
  if (auto e = parser.parse(padded, text.size(), false).get(doc)) {
    throw DataError{cause(e, max_depth), DataError::kNoByte, cause(e, max_depth)};
  }
  DocBuilder builder(arena);
  return builder.build(ElementAccess::make(doc), nullptr);
}

}  // namespace reddalert::model
