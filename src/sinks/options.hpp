// What each delivery sink is configured with. The sinks own these structs; the
// configuration file (config/config.hpp) fills them, and a run hands each sink its own.
#pragma once

#include <string>
#include <vector>

namespace reddalert::sinks {

struct EmailOptions {
  std::string smtp_url;  // smtp://host:25 (STARTTLS when `starttls`), smtps://host:465
  bool starttls = true;
  std::string from;
  std::vector<std::string> to;
  std::string subject = "[reddalert] {count} new alerts";
  std::string username_env, password_env;  // names of environment variables, never secrets
};

struct ElasticsearchOptions {
  std::string url;                           // http://es:9200
  std::string index = "reddalert-%Y.%m.%d";  // strftime pattern, on the window's end
  std::string api_key_env;
};

struct WebhookOptions {
  std::string url;              // a bearer secret for Slack: never printed with its path
  std::string url_env;          // or the name of the environment variable that holds it
  std::string format = "json";  // json or slack
};

// Everything make_sinks() configures sinks from.
struct Options {
  EmailOptions email;
  ElasticsearchOptions elasticsearch;
  WebhookOptions webhook;
  std::string file;     // the `file` output appends ndjson here
  std::string ca_file;  // CA bundle for SMTP over TLS (HTTP sinks use the HTTP client's)
};

}  // namespace reddalert::sinks
