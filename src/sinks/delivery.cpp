#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <sstream>

#include "base/json_text.hpp"
#include "base/sha256.hpp"
#include "base/text.hpp"
#include "base/url.hpp"
#include "sinks/formats.hpp"
#include "sinks/sink.hpp"

namespace reddalert::sinks {

namespace {

using nlohmann::json;

std::string env(const std::string& name, const std::string& sink) {
  if (name.empty()) return {};
  const char* v = std::getenv(name.c_str());
  if (v == nullptr || *v == '\0') throw SinkError{sink + ": the environment variable " + name + " is not set"};
  return v;
}

std::string strftime_utc(const std::string& pattern, base::Millis ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[256];
  const std::size_t n = std::strftime(buf, sizeof buf, pattern.c_str(), &tm);
  return n == 0 ? pattern : std::string(buf, n);
}

std::string crlf(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n')
      out += "\r\n";
    else if (c != '\r')
      out += c;
  }
  return out;
}

// Quoted-printable (RFC 2045 6.7): lines of at most 76 characters whatever the text's, so
// that a digest line of 17,000 bytes (a group with 200 open ports) passes SMTP's limit of
// 1,000 (RFC 5321 4.5.3.1.6), and the mail stays readable. "\n" is a line break; every
// other byte decodes to itself.
std::string quoted_printable(std::string_view text) {
  std::string out, line;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += line + '\n';
      line.clear();
      continue;
    }
    // Spaces before a line break would be dropped by the receiving side: encoded too.
    const bool ends_line = i + 1 == text.size() || text[i + 1] == '\n';
    const bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !ends_line);
    const std::string piece = literal ? std::string(1, static_cast<char>(c)) : "=" + base::hex_byte(c);
    if (line.size() + piece.size() > 75) {  // room for the soft break's "="
      out += line + "=\n";
      line.clear();
    }
    line += piece;
  }
  return out + line;
}

// A header's value: printable ASCII that fits a line as it is; anything else as RFC 2047
// encoded words (UTF-8, base64), one per folded line and never splitting a character, so
// that no header line comes near RFC 5322's 998 bytes and none can break the header.
std::string header_value(std::string_view name, std::string_view value) {
  const bool printable = std::all_of(value.begin(), value.end(), [](char c) { return c >= ' ' && c <= '~'; });
  if (printable && name.size() + 2 + value.size() <= 78) return std::string(value);
  std::string out;
  for (std::size_t i = 0; i < value.size();) {
    std::size_t n = std::min<std::size_t>(45, value.size() - i);  // 60 base64 characters, 72 with the word's frame
    while (n > 1 && i + n < value.size() && (static_cast<unsigned char>(value[i + n]) & 0xC0) == 0x80) --n;
    out += (out.empty() ? "" : "\n ") + ("=?utf-8?B?" + base::base64(value.substr(i, n)) + "?=");
    i += n;
  }
  return out;
}

// Addresses, folded before one would take a line past 78 characters.
std::string address_list(std::string_view name, const std::vector<std::string>& addresses) {
  std::string out;
  std::size_t column = name.size() + 2;
  for (const std::string& a : addresses) {
    if (!out.empty()) {
      out += ',';
      ++column;
      if (column + 1 + a.size() > 78) {
        out += "\n";
        column = 0;
      }
      out += ' ';
      ++column;
    }
    out += a;
    column += a.size();
  }
  return out;
}

// POSTs `body` and insists on a 2xx answer; `shown` names the sink and its URL, redacted,
// in the error.
net::HttpResponse post(net::HttpClient& http, const std::string& shown, const std::string& url, const std::string& body,
                       const std::vector<std::string>& headers) {
  net::HttpResponse resp;
  try {
    resp = http.post(url, body, headers);
  } catch (const net::HttpError& e) {
    throw SinkError{shown + (e.too_large ? " answered too much: " : " unreachable: ") + e.message};
  }
  if (resp.status < 200 || resp.status >= 300) {
    throw SinkError{shown + " answered HTTP " + std::to_string(resp.status)};
  }
  return resp;
}

// Why a bulk answer does not show every document sent as stored, or empty when it does:
// `items` must hold one entry per document, in order, each accepted (no `error`, and a
// 2xx `status` if any). `{}` or `{"errors": false}` alone account for nothing.
std::string bulk_problem(const json& answer, std::size_t sent) {
  if (!answer.is_object()) return "answered no JSON object";
  if (answer.contains("errors") && !answer["errors"].is_boolean()) return "answered `errors` that is not true or false";
  const auto items = answer.find("items");
  const std::size_t listed = items != answer.end() && items->is_array() ? items->size() : 0;
  if (listed != sent) {
    return "answered for " + std::to_string(listed) + " of " + std::to_string(sent) + " documents";
  }
  std::size_t refused = 0;
  std::string reason;
  for (const json& item : *items) {
    // {"index": {"_id": ..., "status": 201}}, or {"index": {"status": 400, "error": {"reason": ...}}}
    const json* result = item.is_object() && item.size() == 1 && item.begin()->is_object() ? &*item.begin() : nullptr;
    const auto error = result != nullptr ? result->find("error") : item.end();
    const auto status = result != nullptr ? result->find("status") : item.end();
    const bool stored = result != nullptr && error == result->end() &&
                        (status == result->end() || (status->is_number_integer() && *status >= 200 && *status < 300));
    if (stored) continue;
    if (++refused > 1) continue;
    if (result == nullptr)
      reason = "an item that is not one action's result";
    else if (error != result->end())
      reason = error->is_object() && error->contains("reason") && (*error)["reason"].is_string()
                   ? (*error)["reason"].get<std::string>()
                   : error->dump();
    else
      reason = "status " + status->dump();
  }
  if (refused > 0) {
    return "refused " + std::to_string(refused) + " of " + std::to_string(sent) +
           " documents: " + base::first_line(reason);
  }
  if (answer.value("errors", false)) return "answered `errors: true` but refused no document";
  return {};
}

class EmailSink : public Sink {
 public:
  EmailSink(EmailOptions c, std::string ca_file) : c_(std::move(c)), ca_file_(std::move(ca_file)) {}
  std::string name() const override { return "email"; }

  void send(const Report& r) override {
    if (r.alerts.empty()) return;  // a digest of nothing is noise
    net::SmtpOptions o;
    o.url = c_.smtp_url;
    o.starttls = c_.starttls;
    o.ca_file = ca_file_;
    o.username = env(c_.username_env, "email");
    o.password = env(c_.password_env, "email");
    try {
      net::send_mail(o, c_.from, c_.to, message(r));
    } catch (const net::HttpError& e) {
      throw SinkError{"email to " + base::join(c_.to, ", ") + " via " + base::redact_url(c_.smtp_url) +
                      " failed: " + e.message};
    }
  }

 private:
  std::string message(const Report& r) const {
    std::ostringstream text;
    write_format("text", {r.alerts, {}, r.summary, {}, {}}, text, false);
    std::string subject = c_.subject;
    const std::size_t at = subject.find("{count}");
    if (at != std::string::npos) subject.replace(at, 7, std::to_string(r.alerts.size()));
    std::ostringstream html;
    html << "<html><body>\n<p>reddalert found " << r.alerts.size() << " new alert(s) between " << base::iso8601(r.since)
         << " and " << base::iso8601(r.until) << ".</p>\n";
    std::string policy;
    for (const model::Alert& a : r.alerts) {
      if (a.policy != policy) {
        if (!policy.empty()) html << "</ul>\n";
        policy = a.policy;
        html << "<h3>" << base::xml_escape(a.policy) << " [" << base::xml_escape(a.severity) << "] "
             << base::xml_escape(a.title) << "</h3>\n<ul>\n";
      }
      html << "<li><b>" << base::xml_escape(a.id) << "</b><ul>";
      for (const std::string& m : a.messages) html << "<li>" << base::xml_escape(m) << "</li>";
      html << "</ul></li>\n";
    }
    if (!policy.empty()) html << "</ul>\n";
    html << "</body></html>\n";
    const std::string boundary = "reddalert-" + base::sha256_hex(text.str()).substr(0, 24);
    char date[64];
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    const std::string part = "Content-Transfer-Encoding: quoted-printable\n\n";
    std::string m = "From: " + c_.from + "\nTo: " + address_list("To", c_.to) +
                    "\nSubject: " + header_value("Subject", subject) + "\nDate: " + date +
                    "\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"" + boundary + "\"\n\n" +
                    "--" + boundary + "\nContent-Type: text/plain; charset=utf-8\n" + part +
                    quoted_printable(text.str()) + "\n--" + boundary + "\nContent-Type: text/html; charset=utf-8\n" +
                    part + quoted_printable(html.str()) + "\n--" + boundary + "--\n";
    return crlf(m);
  }

  EmailOptions c_;
  std::string ca_file_;  // http.ca_file: the same CA for every TLS peer
};

class ElasticsearchSink : public Sink {
 public:
  ElasticsearchSink(ElasticsearchOptions c, net::HttpClient& http) : c_(std::move(c)), http_(http) {}
  std::string name() const override { return "elasticsearch"; }

  void send(const Report& r) override {
    if (r.alerts.empty() && r.resolved.empty()) return;
    // The alert fingerprint is the document id: sending an alert again updates it, and its
    // resolved event turns the document's status to resolved.
    std::string body;
    const std::string index = strftime_utc(c_.index, r.until);
    for (const auto* list : {&r.alerts, &r.resolved}) {
      for (const model::Alert& a : *list) {
        body += base::json_text(json{{"index", {{"_index", index}, {"_id", a.fingerprint}}}}) + "\n";
        model::append_json(body, a);
        body += '\n';
      }
    }
    std::vector<std::string> headers{"Content-Type: application/x-ndjson"};
    const std::string key = env(c_.api_key_env, "elasticsearch");
    if (!key.empty()) headers.push_back("Authorization: ApiKey " + key);
    std::string url = c_.url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    url += "/_bulk";
    const std::string shown = "elasticsearch at " + base::redact_url(url);
    const net::HttpResponse resp = post(http_, shown, url, body, headers);
    const json answer = json::parse(resp.body, nullptr, false);
    const std::string problem = answer.is_discarded() ? "answered no JSON" : bulk_problem(answer, r.alerts.size());
    if (!problem.empty()) throw SinkError{shown + " " + problem};
  }

 private:
  ElasticsearchOptions c_;
  net::HttpClient& http_;
};

class WebhookSink : public Sink {
 public:
  WebhookSink(WebhookOptions c, net::HttpClient& http) : c_(std::move(c)), http_(http) {}
  std::string name() const override { return "webhook"; }

  void send(const Report& r) override {
    if (r.alerts.empty() && r.resolved.empty()) return;
    const std::string url = c_.url_env.empty() ? c_.url : env(c_.url_env, "webhook");
    // The configuration's URL was checked when it was read; the environment's is checked here.
    const std::string problem = c_.url_env.empty() ? "" : base::url_problem(url, base::kHttpSchemes);
    if (!problem.empty()) {
      throw SinkError{"webhook: the URL in " + c_.url_env + " must be " + base::url_kind(base::kHttpSchemes) + ": " +
                      problem};
    }
    std::string body;
    if (c_.format == "slack") {
      std::ostringstream text;
      text << "*reddalert*: " << r.alerts.size() << " new alert(s)";
      if (!r.resolved.empty()) text << ", " << r.resolved.size() << " resolved";
      text << '\n';
      for (const model::Alert& a : r.alerts) {
        text << "• `" << a.policy << "` [" << a.severity << "] " << a.id;
        for (const std::string& m : a.messages) text << "\n    " << m;
        text << '\n';
      }
      for (const model::Alert& a : r.resolved) text << "✓ `" << a.policy << "` " << a.id << " resolved\n";
      body = base::json_text(json{{"text", text.str()}});
    } else {
      body = base::json_text(report_json({r.alerts, r.resolved, r.summary, {}, {}}));
    }
    // A webhook's path is its secret (Slack's are): messages show only the host.
    post(http_, "webhook " + base::redact_url_path(url), url, body, {"Content-Type: application/json"});
  }

 private:
  WebhookOptions c_;
  net::HttpClient& http_;
};

class FileSink : public Sink {
 public:
  explicit FileSink(std::string path) : path_(std::move(path)) {}
  std::string name() const override { return "file"; }

  // Appends whole lines only: a write that fails part-way (a full disk, a file size
  // limit) is cut back to where it started, so the next run's re-send leaves no broken or
  // doubled line.
  void send(const Report& r) override {
    if (r.alerts.empty() && r.resolved.empty()) return;
    const std::string lines = ndjson(r.alerts, r.resolved);
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) throw SinkError{"file " + path_ + ": " + std::strerror(errno)};
    struct stat before {};
    const bool sized = ::fstat(fd, &before) == 0 && S_ISREG(before.st_mode);
    std::size_t written = 0;
    std::string why;
    while (written < lines.size()) {
      const ssize_t n = ::write(fd, lines.data() + written, lines.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        why = std::strerror(n < 0 ? errno : EIO);
        break;
      }
      written += static_cast<std::size_t>(n);
    }
    if (why.empty() && ::fsync(fd) != 0) why = std::strerror(errno);
    if (!why.empty() && written > 0 && sized && ::ftruncate(fd, before.st_size) != 0) {
      why += "; and cutting the partial write back failed: " + std::string(std::strerror(errno));
    }
    ::close(fd);
    if (!why.empty()) throw SinkError{"file " + path_ + ": " + why};
  }

 private:
  std::string path_;
};

// A sink whose library exceptions (nlohmann's, on an answer of an unexpected shape or
// text it cannot write) become that sink's failure, one line, like any other: the run
// goes on to the next sink and records what was delivered.
class Guarded : public Sink {
 public:
  explicit Guarded(std::unique_ptr<Sink> sink) : sink_(std::move(sink)) {}
  std::string name() const override { return sink_->name(); }

  void send(const Report& r) override {
    try {
      sink_->send(r);
    } catch (const json::exception& e) {
      throw SinkError{name() + ": " + base::first_line(e.what())};
    }
  }

 private:
  std::unique_ptr<Sink> sink_;
};

}  // namespace

std::string stdout_format(const std::string& output) {
  if (output == "stdout") return "default";
  if (output == "tsv" || output == "stdout_tabsep") return "tsv";
  return {};
}

std::vector<std::unique_ptr<Sink>> make_sinks(const std::vector<std::string>& outputs, const Options& c,
                                              net::HttpClient& http, base::Diagnostics& diags) {
  std::vector<std::unique_ptr<Sink>> sinks;
  bool email = false;
  for (const std::string& out : outputs) {
    if (!stdout_format(out).empty()) continue;
    auto missing = [&](const std::string& what) {
      diags.error("E0405", {}, "output `" + out + "` needs " + what + " in the configuration",
                  "see etc/reddalert.yaml");
    };
    if (out == "email" || out == "mail_txt" || out == "mail_html") {
      if (email) continue;  // the original's two mail outputs are one multipart digest
      email = true;
      if (c.email.smtp_url.empty() || c.email.from.empty() || c.email.to.empty()) {
        missing("`email.smtp_url`, `email.from` and `email.to`");
        continue;
      }
      sinks.push_back(std::make_unique<EmailSink>(c.email, c.ca_file));
    } else if (out == "elasticsearch") {
      if (c.elasticsearch.url.empty()) {
        missing("`elasticsearch.url`");
        continue;
      }
      sinks.push_back(std::make_unique<ElasticsearchSink>(c.elasticsearch, http));
    } else if (out == "webhook") {
      if (c.webhook.url.empty() && c.webhook.url_env.empty()) {
        missing("`webhook.url` or `webhook.url_env`");
        continue;
      }
      sinks.push_back(std::make_unique<WebhookSink>(c.webhook, http));
    } else if (out == "file") {
      if (c.file.empty()) {
        missing("`file` (a path)");
        continue;
      }
      sinks.push_back(std::make_unique<FileSink>(c.file));
    } else {
      diags.error("E0405", {}, "unknown output `" + out + "`",
                  base::did_you_mean(out, {"stdout", "tsv", "email", "elasticsearch", "webhook", "file"}).empty()
                      ? "outputs: stdout, tsv, email, elasticsearch, webhook, file"
                      : base::did_you_mean(out, {"stdout", "tsv", "email", "elasticsearch", "webhook", "file"}));
    }
  }
  // Idempotent sinks first: when a later one fails, the next run sends everything again,
  // and Elasticsearch (keyed by fingerprint) takes that without duplicates; e-mail last.
  auto rank = [](const std::unique_ptr<Sink>& s) {
    const std::string n = s->name();
    return n == "elasticsearch" ? 0 : n == "file" ? 1 : n == "webhook" ? 2 : 3;
  };
  std::stable_sort(sinks.begin(), sinks.end(), [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  for (auto& sink : sinks) sink = std::make_unique<Guarded>(std::move(sink));
  return sinks;
}

}  // namespace reddalert::sinks
