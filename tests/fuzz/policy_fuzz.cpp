// libFuzzer target: the input is the text of one policy file. Runs `reddalert fmt` on it
// (the layout must be stable and keep the syntax tree), then what `reddalert lint`
// runs (load, check, compile) and renders every diagnostic; a program that compiles is then
// evaluated over the first documents of each collection of examples/snapshot, and its
// alerts are written as ndjson, as `reddalert check` would.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "app/engine.hpp"
#include "ast/printer.hpp"
#include "base/file.hpp"
#include "edda/snapshot.hpp"
#include "format/format.hpp"
#include "sinks/formats.hpp"
#include "syntax/parse.hpp"

namespace {

namespace fs = std::filesystem;
using namespace reddalert;

// Large enough for the inputs that reach the engine's limits (an operator chain past the
// expression depth, a chain of globals past E0123's, constants past the folding budget);
// runs use -max_len to keep most inputs small (scripts/fuzz.sh).
constexpr std::size_t kMaxInput = std::size_t{256} << 10;
// Documents taken from each collection of the bundled snapshot.
constexpr std::size_t kDocumentsPerCollection = 3;

// The file's name: imports resolve relative to it, so `import "lib/aws.policy"` reads the
// shipped library.
const std::string kPath = std::string(REDDALERT_SOURCE_DIR) + "/policies/fuzz.policy";

struct Data {
  std::unique_ptr<app::DataSource> source;
  edda::Window window;
};

// A small fixed data set: the first documents of each collection of examples/snapshot,
// with its window.
const Data& data() {
  static const Data d = [] {
    const fs::path dir = fs::path(REDDALERT_SOURCE_DIR) / "examples/snapshot";
    const edda::Manifest manifest = edda::read_manifest(dir.string());
    std::map<std::string, nlohmann::json> collections;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() != ".json" || e.path().filename() == "manifest.json") continue;
      const nlohmann::json all = nlohmann::json::parse(base::read_file(e.path().string()).value());
      nlohmann::json some = nlohmann::json::array();
      for (std::size_t i = 0; i < all.size() && i < kDocumentsPerCollection; ++i) some.push_back(all[i]);
      collections[e.path().stem().string()] = std::move(some);
    }
    Data out;
    out.window = {manifest.since.value_or(0), manifest.captured_at.value_or(0)};
    out.source = app::memory_source(std::move(collections));
    return out;
  }();
  return d;
}

// Imports read files: only relative paths without `..` are followed, so that every import
// stays below policies/ (an import of /dev/zero or a FIFO would hang the fuzzer).
bool imports_stay_inside(const std::string& text) {
  if (text.find("import") == std::string::npos) return true;
  const syntax::ParseResult parsed = syntax::parse(std::make_shared<base::SourceFile>(kPath, text));
  if (!parsed.module) return true;
  for (const ast::Import& imp : parsed.module->imports) {
    const fs::path p(imp.path);
    if (p.is_absolute()) return false;
    for (const fs::path& part : p) {
      if (part == "..") return false;
    }
  }
  return true;
}

// Both renderers, as `lint` prints them (text with carets, or JSON).
void render_all(const base::Diagnostics& diags) {
  for (const base::Diagnostic& d : diags.sorted()) {
    base::render(d);
    base::render_json_line(d);
  }
}

std::string tree_of(const std::string& text) {
  const syntax::ParseResult parsed = syntax::parse(std::make_shared<base::SourceFile>(kPath, text));
  return parsed.module ? base::to_text(ast::dump(*parsed.module), false) : "(does not parse)";
}

// `reddalert fmt`: formatting the layout changes nothing, and the tree is the input's.
void check_format(const std::string& text) {
  const format::FormatResult once = format::format(std::make_shared<base::SourceFile>(kPath, text));
  if (!once.text) return;
  const format::FormatResult twice = format::format(std::make_shared<base::SourceFile>(kPath, *once.text));
  if (!twice.text || *twice.text != *once.text || tree_of(text) != tree_of(*once.text)) {
    std::fprintf(stderr, "fmt is not stable or changes the tree; its output:\n%s\n", once.text->c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  data();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size > kMaxInput) return -1;
  const std::string text(reinterpret_cast<const char*>(bytes), size);
  if (!imports_stay_inside(text)) return -1;
  check_format(text);

  // `reddalert lint`: load, check, and compile when there is no error.
  const app::Engine engine(app::LoadRequest::of_text(kPath, text));
  render_all(engine.diagnostics());
  if (engine.diagnostics().has_errors()) return 0;
  const compile::CompileResult compiled = engine.compile();
  render_all(compiled.diagnostics);
  if (compiled.diagnostics.has_errors()) return 0;

  // `reddalert check` on the small data set, with first_seen() memory.
  const Data& d = data();
  eval::FirstSeenState state;
  const app::Evaluation e = engine.evaluate(compiled.program, *d.source, {d.window, &state, {}, nullptr});
  sinks::ndjson(e.alerts);
  return 0;
}
