#include "lsp/analysis.hpp"

#include <filesystem>

#include "app/case_runner.hpp"
#include "config/test_file.hpp"

namespace reddalert::lsp {

namespace fs = std::filesystem;

std::string workspace_config(const std::string& root) {
  if (root.empty()) return {};
  const fs::path config = fs::path(root) / app::kDefaultConfig;
  std::error_code ec;
  return fs::is_regular_file(config, ec) ? config.string() : std::string();
}

std::shared_ptr<const Analysis> analyze(const std::string& path, const std::string& text, const std::string& root) {
  auto a = std::make_shared<Analysis>();
  a->path = path;
  a->text = text;
  a->test_file = app::is_test_file(path);
  app::LoadRequest request;
  request.root = root;
  request.config_path = workspace_config(root);
  request.no_config = request.config_path.empty();
  // Expired waivers are reported at the waivers file, never in the document.
  request.waivers = false;
  if (a->test_file) {
    // A test file is checked against the policies beside it (and below), as `lint DIR`
    // checks the test files it finds against the policies it loads.
    request.paths = {fs::path(path).parent_path().string()};
    a->engine = std::make_unique<app::Engine>(request);
    app::check_test_file(*a->engine, config::load_test_text(path, text), a->diagnostics);
    a->source = std::make_shared<base::SourceFile>(path, text);
    return a;
  }
  request.paths = {path};
  request.text = text;
  a->engine = std::make_unique<app::Engine>(request);
  a->diagnostics = a->engine->lint();
  const auto& modules = a->engine->loaded().workspace.modules;
  for (std::size_t i = 0; i < modules.size(); ++i) {
    if (modules[i].module.source->path() == path) {
      a->module = &modules[i];
      a->module_index = i;
      a->source = modules[i].module.source;
    }
  }
  if (!a->source) a->source = std::make_shared<base::SourceFile>(path, text);
  return a;
}

}  // namespace reddalert::lsp
