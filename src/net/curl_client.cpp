// The libcurl client: HTTP with retries and backoff, SMTP for the e-mail sink, each
// transfer restricted to its protocols and an answer to the sizes its options allow.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>

#include "base/text.hpp"
#include "net/http_client.hpp"
#include "net/libcurl.hpp"

namespace reddalert::net {

namespace {

// Restricts a transfer, and any redirect it might follow, to `protocols` ("http,https"):
// a URL from a configuration or an environment variable must not read a file:// or
// speak gopher:// to an internal host. False when this libcurl cannot (before 7.85).
bool restrict_protocols(const Libcurl& curl, CURL* h, const char* protocols) {
  return curl.easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols) == CURLE_OK &&
         curl.easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, protocols) == CURLE_OK;
}

const char* const kCannotRestrict = "this libcurl cannot restrict protocols (CURLOPT_PROTOCOLS_STR needs 7.85)";

// One answer being received: its body, decompressed, and the limits it must stay within.
struct Transfer {
  std::string* body;
  std::size_t max_response, max_decompressed;
  std::string exceeded;  // the limit that stopped the transfer, in words; empty while none has
};

std::string over_response(std::size_t limit) {
  return "more than " + base::format_bytes(limit) + " as sent (http.max_response)";
}

// libcurl hands over the body decompressed: this counts what is kept in memory.
std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  if (n > t->max_decompressed - t->body->size()) {
    t->exceeded = "more than " + base::format_bytes(t->max_decompressed) + " decompressed (http.max_decompressed)";
    return 0;  // anything but n aborts the transfer
  }
  t->body->append(data, n);
  return n;
}

// The bytes received for the body, before decompression: an endless chunked answer stops
// here. A Content-Length over the limit is refused before any byte (CURLOPT_MAXFILESIZE).
int progress(void* user, curl_off_t, curl_off_t received, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (received < 0 || static_cast<std::size_t>(received) <= t->max_response) return 0;
  t->exceeded = over_response(t->max_response);
  return 1;  // aborts the transfer
}

class CurlClient : public HttpClient {
 public:
  explicit CurlClient(HttpOptions o) : o_(std::move(o)) {}

  HttpResponse get(const std::string& url) override { return with_retries(url, nullptr, {}); }

  HttpResponse post(const std::string& url, const std::string& body, const std::vector<std::string>& headers) override {
    return with_retries(url, &body, headers);
  }

 private:
  HttpResponse with_retries(const std::string& url, const std::string* body, const std::vector<std::string>& headers) {
    const Libcurl& curl = libcurl();
    base::Millis wait = o_.backoff;
    std::string last_error;
    HttpResponse last;
    const int attempts = o_.retries + 1;
    for (int attempt = 1; attempt <= attempts; ++attempt) {
      if (attempt > 1) {
        std::this_thread::sleep_for(std::chrono::milliseconds(wait));
        wait *= 2;
      }
      HttpResponse r;
      r.attempts = attempt;
      std::string exceeded;
      const CURLcode code = once(url, body, headers, r, exceeded);
      if (!exceeded.empty()) throw HttpError{exceeded, true};
      if (code != CURLE_OK) {
        last_error = curl.easy_strerror(code);
        continue;
      }
      last = std::move(r);
      if (last.status < 500) return last;
    }
    if (last.status >= 500) return last;
    throw HttpError{last_error + " (after " + std::to_string(attempts) + (attempts == 1 ? " attempt)" : " attempts)")};
  }

  // One attempt; `exceeded` says which size limit stopped it, if one did.
  CURLcode once(const std::string& url, const std::string* body, const std::vector<std::string>& headers,
                HttpResponse& r, std::string& exceeded) {
    const Libcurl& curl = libcurl();
    CURL* h = curl.easy_init();
    if (h == nullptr) return CURLE_FAILED_INIT;
    if (!restrict_protocols(curl, h, "http,https")) {
      curl.easy_cleanup(h);
      throw HttpError{kCannotRestrict};
    }
    curl.easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_slist* list = nullptr;
    for (const std::string& header : headers) list = curl.slist_append(list, header.c_str());
    if (body != nullptr) {
      curl.easy_setopt(h, CURLOPT_POST, 1L);
      curl.easy_setopt(h, CURLOPT_POSTFIELDS, body->data());
      curl.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
    } else {
      curl.easy_setopt(h, CURLOPT_HTTPGET, 1L);
    }
    if (list != nullptr) curl.easy_setopt(h, CURLOPT_HTTPHEADER, list);
    curl.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl.easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(o_.timeout));
    curl.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o_.connect_timeout));
    Transfer transfer{&r.body, o_.max_response, o_.max_decompressed, {}};
    curl.easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl.easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
    curl.easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl.easy_setopt(h, CURLOPT_XFERINFOFUNCTION, progress);
    curl.easy_setopt(h, CURLOPT_XFERINFODATA, &transfer);
    curl.easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(o_.max_response));
    curl.easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // whatever a proxy may compress with
    curl.easy_setopt(h, CURLOPT_USERAGENT, "reddalert");
    curl.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, o_.verify_tls ? 1L : 0L);
    curl.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, o_.verify_tls ? 2L : 0L);
    if (!o_.ca_file.empty()) curl.easy_setopt(h, CURLOPT_CAINFO, o_.ca_file.c_str());
    curl.easy_setopt(h, CURLOPT_PROXY, o_.proxy.c_str());  // "" disables proxies from the environment
    const CURLcode code = curl.easy_perform(h);
    exceeded = code == CURLE_FILESIZE_EXCEEDED ? over_response(o_.max_response) : transfer.exceeded;
    if (code == CURLE_OK) {
      curl.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
      char* type = nullptr;
      if (curl.easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type != nullptr) r.content_type = type;
    }
    curl.easy_cleanup(h);
    curl.slist_free_all(list);
    return code;
  }

  HttpOptions o_;
};

}  // namespace

namespace {

struct Upload {
  const std::string* data;
  std::size_t offset = 0;
};

std::size_t feed(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* u = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, u->data->size() - u->offset);
  std::memcpy(buffer, u->data->data() + u->offset, n);
  u->offset += n;
  return n;
}

}  // namespace

void send_mail(const SmtpOptions& o, const std::string& from, const std::vector<std::string>& to,
               const std::string& message) {
  const Libcurl& curl = libcurl();
  CURL* h = curl.easy_init();
  if (h == nullptr) throw HttpError{"cannot start libcurl"};
  if (!restrict_protocols(curl, h, "smtp,smtps")) {
    curl.easy_cleanup(h);
    throw HttpError{kCannotRestrict};
  }
  Upload upload{&message};
  curl_slist* rcpt = nullptr;
  for (const std::string& t : to) rcpt = curl.slist_append(rcpt, t.c_str());
  char error[CURL_ERROR_SIZE] = {};
  curl.easy_setopt(h, CURLOPT_URL, o.url.c_str());
  curl.easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl.easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(o.timeout));
  curl.easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
  curl.easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
  curl.easy_setopt(h, CURLOPT_READFUNCTION, feed);
  curl.easy_setopt(h, CURLOPT_READDATA, &upload);
  curl.easy_setopt(h, CURLOPT_UPLOAD, 1L);
  if (o.starttls && o.url.rfind("smtps://", 0) != 0)
    curl.easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  curl.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, o.verify_tls ? 1L : 0L);
  curl.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, o.verify_tls ? 2L : 0L);
  if (!o.ca_file.empty()) curl.easy_setopt(h, CURLOPT_CAINFO, o.ca_file.c_str());
  if (!o.username.empty()) {
    curl.easy_setopt(h, CURLOPT_USERNAME, o.username.c_str());
    curl.easy_setopt(h, CURLOPT_PASSWORD, o.password.c_str());
  }
  const CURLcode code = curl.easy_perform(h);
  curl.slist_free_all(rcpt);
  curl.easy_cleanup(h);
  if (code != CURLE_OK) throw HttpError{std::string(error[0] ? error : curl.easy_strerror(code))};
}

std::unique_ptr<HttpClient> make_curl_client(HttpOptions options) {
  return std::make_unique<CurlClient>(std::move(options));
}

}  // namespace reddalert::net
