// JSON-RPC 2.0 messages over a byte stream with LSP's base protocol framing: a header of
// `Name: value` lines (Content-Length required), an empty line, then exactly that many
// bytes of JSON. Reading never trusts the peer: the body is size-capped, a malformed header
// or body is a value (ReadResult::Kind), and the stream is resynchronised on the next
// `Content-Length:` so one bad message does not end the session.
#pragma once

#include <cstddef>
#include <istream>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

namespace reddalert::lsp {

// JSON-RPC and LSP error codes (LSP 3.17, "ErrorCodes").
enum ErrorCode {
  kParseError = -32700,
  kInvalidRequest = -32600,
  kMethodNotFound = -32601,
  kInvalidParams = -32602,
  kInternalError = -32603,
  kServerNotInitialized = -32002,
  kRequestFailed = -32803,
};

// A message larger than this is refused (and skipped without being held in memory): a
// policy file is at most a few hundred kilobytes, and a peer must not make us allocate
// what it claims.
inline constexpr std::size_t kMaxMessageBytes = 64u << 20;

struct ReadResult {
  enum class Kind {
    Message,    // `message` holds the parsed JSON
    End,        // the stream ended between messages
    BadHeader,  // no usable Content-Length, or a header line that is not `Name: value`
    TooLarge,   // Content-Length above the cap; the body was skipped
    BadJson,    // the body is not JSON (or not UTF-8)
    Truncated,  // the stream ended inside a header or a body
  } kind = Kind::End;
  nlohmann::json message;
  std::string error;  // why, for the log and the error response
};

class Transport {
 public:
  Transport(std::istream& in, std::ostream& out, std::size_t max_bytes = kMaxMessageBytes)
      : in_(in), out_(out), max_bytes_(max_bytes) {}

  ReadResult read();
  // Writes one message with its header and flushes.
  void write(const nlohmann::json& message);

 private:
  // Skips to the next line that starts with `Content-Length:` (after a bad header).
  void resynchronise();
  // One header line without its line break; false at the end of the input. A line past
  // the header limit sets `too_long` and is dropped.
  bool read_line(std::string& line, bool& too_long);

  std::istream& in_;
  std::ostream& out_;
  std::size_t max_bytes_;
  bool resync_ = false;     // the previous header was bad: look for the next Content-Length first
  std::string carry_;       // what resynchronise() consumed of the next header line
  bool truncated_ = false;  // read_line met the end of the input inside a line
};

// The JSON-RPC error response to request `id` (null when it is not known).
nlohmann::json error_response(const nlohmann::json& id, int code, const std::string& message);

}  // namespace reddalert::lsp
