#include <curl/curl.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "net/http_client.hpp"

namespace reddalert::net {

namespace {

std::once_flag curl_initialised;

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

class CurlClient : public HttpClient {
 public:
  explicit CurlClient(HttpOptions o) : o_(std::move(o)) {
    std::call_once(curl_initialised, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  HttpResponse get(const std::string& url) override {
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
      const CURLcode code = once(url, r);
      if (code != CURLE_OK) {
        last_error = curl_easy_strerror(code);
        continue;
      }
      last = std::move(r);
      if (last.status < 500) return last;
    }
    if (last.status >= 500) return last;
    throw HttpError{last_error + " (after " + std::to_string(attempts) + (attempts == 1 ? " attempt)" : " attempts)")};
  }

 private:
  CURLcode once(const std::string& url, HttpResponse& r) {
    CURL* h = curl_easy_init();
    if (h == nullptr) return CURLE_FAILED_INIT;
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(o_.timeout));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o_.connect_timeout));
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // whatever a proxy may compress with
    curl_easy_setopt(h, CURLOPT_USERAGENT, "reddalert");
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, o_.verify_tls ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, o_.verify_tls ? 2L : 0L);
    if (!o_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, o_.ca_file.c_str());
    curl_easy_setopt(h, CURLOPT_PROXY, o_.proxy.c_str());  // "" disables proxies from the environment
    const CURLcode code = curl_easy_perform(h);
    if (code == CURLE_OK) {
      curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
      char* type = nullptr;
      if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type != nullptr) r.content_type = type;
    }
    curl_easy_cleanup(h);
    return code;
  }

  HttpOptions o_;
};

}  // namespace

std::unique_ptr<HttpClient> make_curl_client(HttpOptions options) {
  return std::make_unique<CurlClient>(std::move(options));
}

}  // namespace reddalert::net
