// Where alerts go besides standard output (cli.md section 6): e-mail, Elasticsearch,
// webhook, file. A run commits its window only when every sink succeeded; after a partial
// failure it records which sinks accepted which alerts (state::Delivery).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/diagnostic.hpp"
#include "model/alert.hpp"
#include "net/http_client.hpp"
#include "sinks/options.hpp"

namespace reddalert::sinks {

struct Report {
  const std::vector<model::Alert>& alerts;    // new alerts this sink has not taken yet
  const std::vector<model::Alert>& resolved;  // resolved events this sink has not taken yet
  const nlohmann::json& summary;
  base::Millis since = 0;
  base::Millis until = 0;
};

struct SinkError {
  std::string message;  // one line, naming the sink
};

class Sink {
 public:
  virtual ~Sink() = default;
  virtual std::string name() const = 0;
  // Delivers the report; throws SinkError. A report without alerts may send nothing.
  virtual void send(const Report& report) = 0;
};

// The sinks named in `outputs` other than standard output ("stdout", "tsv"), each given
// its part of `options`. Unknown names and missing settings are diagnostics. `http` is
// used by the HTTP sinks and must outlive them.
std::vector<std::unique_ptr<Sink>> make_sinks(const std::vector<std::string>& outputs, const Options& options,
                                              net::HttpClient& http, base::Diagnostics& diags);

// The standard-output format an `output` entry asks for, or empty for other sinks.
std::string stdout_format(const std::string& output);

}  // namespace reddalert::sinks
