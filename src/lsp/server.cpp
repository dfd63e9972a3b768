#include "lsp/server.hpp"

#include <filesystem>

#include "base/file.hpp"
#include "lsp/completion.hpp"
#include "lsp/definition.hpp"
#include "lsp/diagnostics.hpp"
#include "lsp/formatting.hpp"
#include "lsp/hover.hpp"
#include "lsp/position.hpp"
#include "lsp/symbols.hpp"

namespace reddalert::lsp {

namespace {

// A request that cannot be answered: its error response.
struct RequestError {
  int code;
  std::string message;
};

const nlohmann::json& member(const nlohmann::json& j, const char* key, nlohmann::json::value_t type) {
  if (!j.is_object() || !j.contains(key) || j[key].type() != type) {
    throw RequestError{kInvalidParams, std::string("`") + key + "` is missing or has the wrong type"};
  }
  return j[key];
}

std::string string_member(const nlohmann::json& j, const char* key) {
  return member(j, key, nlohmann::json::value_t::string).get<std::string>();
}

}  // namespace

nlohmann::json Server::capabilities() {
  return {
      {"positionEncoding", "utf-16"},
      // TextDocumentSyncKind.Full: each change carries the whole text.
      {"textDocumentSync", {{"openClose", true}, {"change", 1}, {"save", {{"includeText", true}}}}},
      {"hoverProvider", true},
      {"completionProvider", {{"triggerCharacters", {"."}}, {"resolveProvider", false}}},
      {"definitionProvider", true},
      {"referencesProvider", true},
      {"documentFormattingProvider", true},
      {"documentSymbolProvider", true},
  };
}

int Server::run() {
  for (;;) {
    ReadResult r = transport_.read();
    switch (r.kind) {
      case ReadResult::Kind::End: return 1;  // no `exit`: the client went away
      case ReadResult::Kind::Truncated: log_ << "reddalert lsp: " << r.error << '\n'; return 1;
      case ReadResult::Kind::BadHeader:
      case ReadResult::Kind::TooLarge:
      case ReadResult::Kind::BadJson:
        // The id is unknown (the message was not read): JSON-RPC answers with a null id.
        log_ << "reddalert lsp: " << r.error << '\n';
        transport_.write(error_response(nullptr, kParseError, r.error));
        continue;
      case ReadResult::Kind::Message: break;
    }
    const nlohmann::json response = handle(r.message);
    if (!response.is_null()) transport_.write(response);
    if (exit_code_ >= 0) return exit_code_;
  }
}

nlohmann::json Server::handle(const nlohmann::json& message) {
  if (!message.is_object()) {
    log_ << "reddalert lsp: a message is not a JSON object\n";
    return error_response(nullptr, kInvalidRequest, "a message is a JSON object");
  }
  const bool has_id = message.contains("id");
  const nlohmann::json id = has_id ? message["id"] : nlohmann::json();
  if (has_id && !id.is_string() && !id.is_number_integer()) {
    return error_response(nullptr, kInvalidRequest, "a request id is a number or a string");
  }
  if (!message.contains("method")) {
    // A response to a request of ours: the server sends none, so there is nothing to match.
    if (message.contains("result") || message.contains("error")) return nullptr;
    return error_response(id, kInvalidRequest, "a request has a `method`");
  }
  if (!message["method"].is_string()) return error_response(id, kInvalidRequest, "`method` is a string");
  const std::string method = message["method"].get<std::string>();
  const nlohmann::json params = message.contains("params") ? message["params"] : nlohmann::json::object();
  if (!has_id) {
    try {
      notification(method, params);
    } catch (const RequestError& e) {
      log_ << "reddalert lsp: " << method << ": " << e.message << '\n';
    } catch (const std::exception& e) {
      log_ << "reddalert lsp: " << method << ": internal error: " << e.what() << '\n';
    }
    return nullptr;
  }
  if (!initialized_ && method != "initialize") {
    return error_response(id, kServerNotInitialized, "the server is not initialized: send `initialize` first");
  }
  if (shutdown_) return error_response(id, kInvalidRequest, "the server is shutting down: only `exit` is accepted");
  try {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"result", request(method, params)}};
  } catch (const RequestError& e) {
    return error_response(id, e.code, e.message);
  } catch (const std::exception& e) {
    // A bug or an exhausted resource: this request fails, the session goes on.
    log_ << "reddalert lsp: " << method << ": internal error: " << e.what() << '\n';
    return error_response(id, kInternalError, std::string("internal error: ") + e.what());
  }
}

nlohmann::json Server::request(const std::string& method, const nlohmann::json& params) {
  if (method == "initialize") {
    if (initialized_) throw RequestError{kInvalidRequest, "`initialize` was sent twice"};
    initialized_ = true;
    // The workspace folder: rootUri, else the first workspace folder, else rootPath, else
    // the current directory (where `lint` would look for etc/reddalert.yaml).
    if (params.contains("rootUri") && params["rootUri"].is_string())
      root_ = path_of(params["rootUri"].get<std::string>());
    if (root_.empty() && params.contains("workspaceFolders") && params["workspaceFolders"].is_array() &&
        !params["workspaceFolders"].empty() && params["workspaceFolders"][0].is_object() &&
        params["workspaceFolders"][0].contains("uri") && params["workspaceFolders"][0]["uri"].is_string()) {
      root_ = path_of(params["workspaceFolders"][0]["uri"].get<std::string>());
    }
    if (root_.empty() && params.contains("rootPath") && params["rootPath"].is_string())
      root_ = params["rootPath"].get<std::string>();
    if (root_.empty()) root_ = std::filesystem::current_path().string();
    return {{"capabilities", capabilities()}, {"serverInfo", {{"name", "reddalert"}, {"version", REDDALERT_VERSION}}}};
  }
  if (method == "shutdown") {
    shutdown_ = true;
    return nullptr;
  }
  if (method == "textDocument/hover") {
    const Document& d = document(params);
    return hover(*d.analysis, offset_of(d, params));
  }
  if (method == "textDocument/completion") {
    const Document& d = document(params);
    const std::string path = d.path, root = root_;
    return completion(*d.analysis, d.last_good.get(), offset_of(d, params),
                      [&](const std::string& text) { return analyze(path, text, root); });
  }
  if (method == "textDocument/definition") {
    const Document& d = document(params);
    return definition(*d.analysis, offset_of(d, params));
  }
  if (method == "textDocument/references") {
    const Document& d = document(params);
    bool include = false;
    if (params.contains("context") && params["context"].is_object()) {
      include = params["context"].value("includeDeclaration", false);
    }
    return references(*d.analysis, offset_of(d, params), include);
  }
  if (method == "textDocument/formatting") {
    const Document& d = document(params);
    if (d.analysis->test_file) return nlohmann::json::array();  // `fmt` lays out policy files only
    return formatting(d.path, d.text);
  }
  if (method == "textDocument/documentSymbol") return document_symbols(*document(params).analysis);
  throw RequestError{kMethodNotFound, "unknown method `" + method + "`"};
}

void Server::notification(const std::string& method, const nlohmann::json& params) {
  if (method == "exit") {
    exit_code_ = shutdown_ ? 0 : 1;
    return;
  }
  // Before `initialize`, notifications other than `exit` are dropped (LSP 3.17).
  if (!initialized_ || shutdown_) return;
  if (method == "initialized" || method == "$/cancelRequest" || method == "$/setTrace" ||
      method == "workspace/didChangeConfiguration") {
    return;
  }
  if (method == "textDocument/didOpen") {
    const nlohmann::json& doc = member(params, "textDocument", nlohmann::json::value_t::object);
    update(string_member(doc, "uri"), string_member(doc, "text"));
  } else if (method == "textDocument/didChange") {
    const std::string uri = string_member(member(params, "textDocument", nlohmann::json::value_t::object), "uri");
    const nlohmann::json& changes = member(params, "contentChanges", nlohmann::json::value_t::array);
    // Full sync: the last change holds the whole text.
    if (changes.empty()) return;
    update(uri, string_member(changes.back(), "text"));
  } else if (method == "textDocument/didSave") {
    const std::string uri = string_member(member(params, "textDocument", nlohmann::json::value_t::object), "uri");
    if (params.contains("text") && params["text"].is_string()) {
      update(uri, params["text"].get<std::string>());
    } else if (const auto it = documents_.find(uri); it != documents_.end()) {
      // Saving may change what it imports on disk: analysed again.
      update(uri, it->second.text);
    }
  } else if (method == "textDocument/didClose") {
    const std::string uri = string_member(member(params, "textDocument", nlohmann::json::value_t::object), "uri");
    documents_.erase(uri);
    // The editor drops a closed file's problems only when told.
    transport_.write({{"jsonrpc", "2.0"},
                      {"method", "textDocument/publishDiagnostics"},
                      {"params", {{"uri", uri}, {"diagnostics", nlohmann::json::array()}}}});
  } else {
    log_ << "reddalert lsp: ignored notification `" << method << "`\n";
  }
}

void Server::update(const std::string& uri, const std::string& text) {
  const std::string path = path_of(uri);
  if (path.empty()) throw RequestError{kInvalidParams, "`" + uri + "` is not a file: URI"};
  if (text.size() > base::kMaxTextFile) {
    // The limit of every policy file read from disk holds for a buffer too: the document
    // is not served, and the author is told why.
    documents_.erase(uri);
    const std::string why = path + " is larger than " + std::to_string(base::kMaxTextFile >> 20) +
                            " MiB, the limit of a policy file: reddalert does not analyse it";
    transport_.write(
        {{"jsonrpc", "2.0"}, {"method", "window/showMessage"}, {"params", {{"type", 1}, {"message", why}}}});
    throw RequestError{kInvalidParams, why};
  }
  // Analysed before the document is touched: a failure leaves the previous state whole.
  std::shared_ptr<const Analysis> analysis = analyze(path, text, root_);
  Document& d = documents_[uri];
  d.path = path;
  d.text = text;
  d.analysis = std::move(analysis);
  if (d.analysis->module) d.last_good = d.analysis;
  transport_.write({{"jsonrpc", "2.0"},
                    {"method", "textDocument/publishDiagnostics"},
                    {"params", publish_diagnostics(uri, *d.analysis)}});
}

const Document& Server::document(const nlohmann::json& params) const {
  const std::string uri = string_member(member(params, "textDocument", nlohmann::json::value_t::object), "uri");
  const auto it = documents_.find(uri);
  if (it == documents_.end()) throw RequestError{kInvalidParams, "`" + uri + "` is not open"};
  return it->second;
}

std::size_t Server::offset_of(const Document& d, const nlohmann::json& params) const {
  const nlohmann::json& p = member(params, "position", nlohmann::json::value_t::object);
  if (!p.contains("line") || !p["line"].is_number_integer() || !p.contains("character") ||
      !p["character"].is_number_integer()) {
    throw RequestError{kInvalidParams, "`position` needs integer `line` and `character`"};
  }
  return offset(*d.analysis->source, p);
}

}  // namespace reddalert::lsp
