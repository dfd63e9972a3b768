// The libcurl client's own refusals, whatever URL reaches it: protocols other than http
// and https (a file:// URL read as if it were an answer) and SMTP's other than smtp(s).
#include <gtest/gtest.h>

#include <fstream>
#include <vector>

#include "net/http_client.hpp"

namespace reddalert::net {
namespace {

// libcurl's words for a protocol it was told not to speak: "Unsupported protocol", or
// (from SMTP's error buffer) `Protocol "http" not supported or disabled in libcurl`.
bool refused_protocol(const std::string& message) {
  return message.find("Unsupported protocol") != std::string::npos ||
         message.find("not supported or disabled") != std::string::npos;
}

TEST(CurlClient, SpeaksOnlyHttpAndHttps) {
  const std::string path = ::testing::TempDir() + "reddalert_http_test.json";
  std::ofstream(path) << "[]";
  HttpOptions o;
  o.retries = 0;
  const auto http = make_curl_client(o);
  for (const std::string& url :
       std::vector<std::string>{"file://" + path, "dict://127.0.0.1:1/x", "gopher://127.0.0.1:1/x"}) {
    try {
      const HttpResponse r = http->get(url);
      ADD_FAILURE() << url << " was fetched: HTTP " << r.status << ", " << r.body.size() << " bytes";
    } catch (const HttpError& e) {
      EXPECT_TRUE(refused_protocol(e.message)) << url << ": " << e.message;
    }
  }
}

TEST(SendMail, SpeaksOnlySmtpAndSmtps) {
  SmtpOptions o;
  o.url = "http://127.0.0.1:1/";
  o.timeout = 2000;
  try {
    send_mail(o, "a@example.com", {"b@example.com"}, "Subject: x\r\n\r\nx\r\n");
    ADD_FAILURE() << "a mail was sent over http://";
  } catch (const HttpError& e) {
    EXPECT_TRUE(refused_protocol(e.message)) << e.message;
  }
}

}  // namespace
}  // namespace reddalert::net
