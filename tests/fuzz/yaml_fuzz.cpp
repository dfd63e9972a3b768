// libFuzzer target: the input is read as each of the YAML files reddalert reads (a
// configuration file, a policy test file, a waivers file), and every diagnostic is rendered.
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/diagnostic.hpp"
#include "config/config.hpp"
#include "config/test_file.hpp"
#include "config/waivers.hpp"

namespace {

using namespace reddalert;

// Larger inputs only make the runs slower; the shipped test files are up to about 20 KB.
constexpr std::size_t kMaxInput = 32 * 1024;

// Both renderers, as `lint` prints them (text with carets, or JSON).
void render_all(const base::Diagnostics& diags) {
  for (const base::Diagnostic& d : diags.sorted()) {
    base::render(d);
    base::render_json_line(d);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size > kMaxInput) return -1;
  const std::string text(reinterpret_cast<const char*>(bytes), size);
  render_all(config::load_text("etc/reddalert.yaml", text).diagnostics);
  render_all(config::load_test_text("policies/fuzz_test.yaml", text).diagnostics);
  render_all(config::load_waivers_text("etc/waivers.yaml", text).diagnostics);
  return 0;
}
