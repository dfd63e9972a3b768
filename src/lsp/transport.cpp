#include "lsp/transport.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string_view>
#include <vector>

namespace reddalert::lsp {

namespace {

constexpr std::string_view kLengthHeader = "Content-Length:";
// A header line longer than this is not a header: the peer is not speaking the protocol.
constexpr std::size_t kMaxHeaderLine = 8192;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x >= 'A' && x <= 'Z' ? x + 32 : x) == (y >= 'A' && y <= 'Z' ? y + 32 : y);
         });
}

// A header value shown in an error, cut short and without control characters.
std::string shown(std::string_view s) {
  std::string out;
  for (const char c : s.substr(0, 60)) out += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
  return s.size() > 60 ? out + "..." : out;
}

}  // namespace

nlohmann::json error_response(const nlohmann::json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

void Transport::resynchronise() {
  // Matches kLengthHeader anywhere: a body without a trailing line break runs straight
  // into the next header.
  std::size_t matched = 0;
  int c;
  while (matched < kLengthHeader.size() && (c = in_.get()) != std::char_traits<char>::eof()) {
    if (static_cast<char>(c) == kLengthHeader[matched]) {
      ++matched;
    } else {
      matched = static_cast<char>(c) == kLengthHeader[0] ? 1 : 0;
    }
  }
  if (matched == kLengthHeader.size()) carry_ = std::string(kLengthHeader);
}

bool Transport::read_line(std::string& line, bool& too_long) {
  line = std::exchange(carry_, {});
  too_long = false;
  int c;
  bool any = !line.empty();
  while ((c = in_.get()) != std::char_traits<char>::eof()) {
    any = true;
    if (c == '\n') {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return true;
    }
    if (line.size() >= kMaxHeaderLine) {
      too_long = true;
      continue;  // the rest of the line is dropped, not held
    }
    line += static_cast<char>(c);
  }
  if (any) truncated_ = true;
  return false;
}

ReadResult Transport::read() {
  if (std::exchange(resync_, false)) resynchronise();
  std::optional<std::size_t> length;
  std::string bad;
  std::string line;
  bool header = false, too_long = false;
  for (;;) {
    truncated_ = false;
    if (!read_line(line, too_long)) {
      if (header || truncated_)
        return {.kind = ReadResult::Kind::Truncated, .message = {}, .error = "the input ended inside a message header"};
      return {.kind = ReadResult::Kind::End, .message = {}, .error = {}};
    }
    if (line.empty() && !too_long) {
      if (header) break;
      continue;  // blank lines between messages are tolerated
    }
    header = true;
    if (too_long) {
      bad = "a header line is longer than " + std::to_string(kMaxHeaderLine) + " bytes";
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) {
      bad = "the header line `" + shown(line) + "` is not `Name: value`";
      continue;
    }
    const std::string_view name = trim(std::string_view(line).substr(0, colon));
    const std::string_view value = trim(std::string_view(line).substr(colon + 1));
    if (!iequals(name, "content-length")) continue;  // Content-Type and others: nothing to check
    std::size_t n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size()) {
      bad = "Content-Length `" + shown(value) + "` is not a byte count";
      continue;
    }
    length = n;
  }
  if (!length) {
    // Where the body ends is unknown: skip to the next message's header.
    resync_ = true;
    return {.kind = ReadResult::Kind::BadHeader,
            .message = {},
            .error = bad.empty() ? "the message header has no Content-Length" : bad};
  }
  if (*length > max_bytes_) {
    // Skipped in pieces: the claimed size is never allocated.
    std::vector<char> sink(std::min<std::size_t>(*length, 1u << 16));
    std::size_t left = *length;
    while (left > 0 && in_) {
      in_.read(sink.data(), static_cast<std::streamsize>(std::min(left, sink.size())));
      left -= static_cast<std::size_t>(in_.gcount());
    }
    return {.kind = left ? ReadResult::Kind::Truncated : ReadResult::Kind::TooLarge,
            .message = {},
            .error = "a message of " + std::to_string(*length) + " bytes is over the limit of " +
                     std::to_string(max_bytes_) + " bytes"};
  }
  std::string body(*length, '\0');
  in_.read(body.data(), static_cast<std::streamsize>(*length));
  if (static_cast<std::size_t>(in_.gcount()) != *length) {
    return {.kind = ReadResult::Kind::Truncated,
            .message = {},
            .error = "the input ended inside a message body (" + std::to_string(in_.gcount()) + " of " +
                     std::to_string(*length) + " bytes)"};
  }
  if (!bad.empty()) return {.kind = ReadResult::Kind::BadHeader, .message = {}, .error = bad};
  nlohmann::json message = nlohmann::json::parse(body, nullptr, false);
  if (message.is_discarded()) {
    return {.kind = ReadResult::Kind::BadJson, .message = {}, .error = "the message body is not valid JSON"};
  }
  return {.kind = ReadResult::Kind::Message, .message = std::move(message), .error = {}};
}

void Transport::write(const nlohmann::json& message) {
  // Text that is not UTF-8 (a file's bytes in a message) is replaced, not thrown on.
  const std::string body = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out_ << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out_.flush();
}

}  // namespace reddalert::lsp
