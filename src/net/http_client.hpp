// HTTP GET for the EDDA client and POST for the sinks, SMTP for the e-mail sink. The only
// module that uses libcurl. Every transfer speaks only its protocols (http and https, smtp
// and smtps) and keeps at most a configured number of bytes of an answer.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "base/time.hpp"

namespace reddalert::net {

struct HttpOptions {
  base::Millis timeout = 60000;  // whole request
  base::Millis connect_timeout = 10000;
  int retries = 3;             // further attempts after a network error or a 5xx
  base::Millis backoff = 500;  // before the first retry; doubles each time
  std::string ca_file;         // empty: the system's
  std::string proxy;           // empty: none (and no proxy from the environment)
  bool verify_tls = true;
  // An answer is abandoned past either: what arrives (compressed or not), and what it
  // inflates to, which is what is kept in memory (a gzip bomb stops here).
  std::size_t max_response = std::size_t{2} << 30;
  std::size_t max_decompressed = std::size_t{2} << 30;
};

struct HttpResponse {
  long status = 0;
  std::string content_type;
  std::string body;
  int attempts = 1;
};

// A request that got no HTTP answer, even after the retries, or whose answer was larger
// than the options allow (not retried: it would be as large again).
struct HttpError {
  std::string message;     // one line: what failed, e.g. "connection refused (after 4 attempts)"
  bool too_large = false;  // the message says which limit, e.g. "more than 1MiB as sent (http.max_response)"
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Retries network errors and 5xx answers with backoff; returns the last answer, or
  // throws HttpError when there was none or it was too large. http:// and https:// only.
  virtual HttpResponse get(const std::string& url) = 0;
  // POST `body`; `headers` are "Name: value" lines. Retried like get().
  virtual HttpResponse post(const std::string& url, const std::string& body,
                            const std::vector<std::string>& headers) = 0;
};

struct SmtpOptions {
  std::string url;  // smtp://host:port (STARTTLS when `starttls`), smtps://host:port (implicit TLS)
  bool starttls = true;
  std::string username, password;  // empty: no AUTH
  std::string ca_file;
  bool verify_tls = true;
  base::Millis timeout = 60000;
};

// Sends one message (headers and body, CRLF line ends) over SMTP. Throws HttpError with
// the server's or libcurl's cause.
void send_mail(const SmtpOptions& options, const std::string& from, const std::vector<std::string>& to,
               const std::string& message);

std::unique_ptr<HttpClient> make_curl_client(HttpOptions options);

}  // namespace reddalert::net
