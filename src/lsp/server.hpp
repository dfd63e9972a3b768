// The language server (docs/cli.md, "lsp"): the LSP 3.17 lifecycle (initialize,
// initialized, shutdown, exit), the open documents (full text sync), and the dispatch of
// requests and notifications to the features (diagnostics, hover, completion, definition,
// references, formatting, document symbols). Single-threaded: one message at a time.
#pragma once

#include <map>
#include <memory>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "lsp/analysis.hpp"
#include "lsp/transport.hpp"

namespace reddalert::lsp {

struct Document {
  std::string path;
  std::string text;
  std::shared_ptr<const Analysis> analysis;   // of `text`
  std::shared_ptr<const Analysis> last_good;  // the last analysis whose text parsed
};

class Server {
 public:
  // `log`: where problems with the peer's messages are reported (standard error).
  Server(Transport& transport, std::ostream& log) : transport_(transport), log_(log) {}

  // Serves until `exit` (0 after `shutdown`, else 1, as LSP says) or the end of the
  // input (1).
  int run();

  // What the server answers `initialize` with.
  static nlohmann::json capabilities();

 private:
  // One message; a response when one is due (null json: none).
  nlohmann::json handle(const nlohmann::json& message);
  nlohmann::json request(const std::string& method, const nlohmann::json& params);
  void notification(const std::string& method, const nlohmann::json& params);

  // didOpen / didChange / didSave: (re)analyse and publish.
  void update(const std::string& uri, const std::string& text);
  const Document& document(const nlohmann::json& params) const;
  std::size_t offset_of(const Document& d, const nlohmann::json& params) const;

  Transport& transport_;
  std::ostream& log_;
  bool initialized_ = false;
  bool shutdown_ = false;
  int exit_code_ = -1;                         // set by `exit`
  std::string root_;                           // the workspace folder: its etc/reddalert.yaml configures the documents
  std::map<std::string, Document> documents_;  // by URI
};

}  // namespace reddalert::lsp
