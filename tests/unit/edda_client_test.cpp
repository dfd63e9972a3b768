// The EDDA client's reading of answers against a scripted HttpClient: every kind of
// failure becomes one line, and a collection EDDA does not serve is missing, not a failure.
#include <gtest/gtest.h>

#include <map>

#include "edda/client.hpp"

namespace reddalert::edda {
namespace {

// Answers by the collection part of the URL; an unscripted URL is unreachable.
class ScriptedHttp : public net::HttpClient {
 public:
  std::map<std::string, net::HttpResponse> answers;  // collection path -> answer
  net::HttpResponse get(const std::string& url) override {
    for (const auto& [path, answer] : answers) {
      if (url.find("/api/v2/" + path + ";") != std::string::npos) return answer;
    }
    throw net::HttpError{"connection refused"};
  }
  net::HttpResponse post(const std::string&, const std::string&, const std::vector<std::string>&) override {
    throw net::HttpError{"not scripted"};
  }
};

net::HttpResponse answer(long status, std::string body, std::string type = "application/json") {
  net::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(type);
  return r;
}

EddaError error_of(ScriptedHttp& http, const std::string& collection = "aws.securityGroups") {
  const EddaClient client("http://edda/edda", http);
  try {
    client.list(collection, ";_expand");
  } catch (const EddaError& e) {
    return e;
  }
  ADD_FAILURE() << "no error";
  return {};
}

TEST(EddaClient, ErrorsAreOneLineCauses) {
  ScriptedHttp http;
  EXPECT_EQ(error_of(http).message,
            "EDDA unreachable: connection refused for http://edda/edda/api/v2/aws/securityGroups;_expand");
  http.answers["aws/securityGroups"] = answer(500, "<html><body>boom</body></html>", "text/html");
  EXPECT_EQ(error_of(http).message,
            "EDDA answered HTTP 500: an HTML error page for http://edda/edda/api/v2/aws/securityGroups;_expand");
  http.answers["aws/securityGroups"] = answer(500, R"({"code": 500, "message": "datastore down"})");
  EXPECT_NE(error_of(http).message.find("HTTP 500: datastore down"), std::string::npos);
  EXPECT_FALSE(error_of(http).no_collection);
  http.answers["aws/securityGroups"] = answer(200, "<html>login</html>", "text/html");
  EXPECT_NE(error_of(http).message.find("EDDA answered HTML instead of JSON"), std::string::npos);
}

TEST(EddaClient, ACollectionEddaDoesNotServeIsMissingNotAFailure) {
  ScriptedHttp http;
  http.answers["aws/databases"] = answer(400, R"({"code": 400, "message": "invalid collection: aws.databases.null"})");
  EXPECT_TRUE(error_of(http, "aws.databases").no_collection);
  http.answers["aws/databases"] = answer(404, "{}");
  EXPECT_TRUE(error_of(http, "aws.databases").no_collection);
  http.answers["aws/databases"] = answer(400, R"({"code": 400, "message": "invalid path"})");
  EXPECT_FALSE(error_of(http, "aws.databases").no_collection);

  http.answers["aws/databases"] = answer(400, R"({"code": 400, "message": "invalid collection: aws.databases.null"})");
  http.answers["aws/securityGroups"] =
      answer(200, R"([{"id": "sg-1", "stime": 1, "ltime": null, "data": {"groupId": "sg-1"}}])");
  const EddaClient client("http://edda/edda", http);
  FetchReport report;
  const auto data =
      fetch_window(client, {{"aws.databases", {}, nullptr}, {"aws.securityGroups", {}, nullptr}}, {0, 10}, report);
  EXPECT_EQ(report.missing, std::vector<std::string>{"aws.databases"});
  EXPECT_EQ(data->current("aws.securityGroups").size(), 1U);
  EXPECT_TRUE(data->current("aws.databases").empty());
}

TEST(EddaClient, AFailureOfOneCollectionFailsTheFetch) {
  ScriptedHttp http;
  http.answers["aws/securityGroups"] = answer(503, "busy", "text/plain");
  const EddaClient client("http://edda/edda", http);
  FetchReport report;
  EXPECT_THROW(fetch_window(client, {{"aws.securityGroups", {}, nullptr}}, {0, 10}, report), EddaError);
}

}  // namespace
}  // namespace reddalert::edda
