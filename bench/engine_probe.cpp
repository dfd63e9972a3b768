// The engine measured from inside, for bench/compare.sh:
//
//   engine_probe allocations POLICIES SNAPSHOT   heap allocations of evaluation per binding
//   engine_probe joins POLICY SNAPSHOT           evaluation with and without join indexes
//
// `allocations` runs the shipped secgroups policy over the snapshot's security groups,
// once with params that make a `where` drop every (group, rule) binding and once with its
// defaults, counting the calls to malloc (operator new included) made while evaluating.
// `joins` evaluates every policy of POLICY with the planner's hash indexes and without,
// and checks that both find the same.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "app/engine.hpp"

// ---- counting malloc ----------------------------------------------------------------------
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void __libc_free(void*);
}

namespace {
std::atomic<bool> counting{false};
std::atomic<std::uint64_t> allocations{0};
void count() {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace

extern "C" {
void* malloc(std::size_t n) {
  count();
  return __libc_malloc(n);
}
void* calloc(std::size_t n, std::size_t size) {
  count();
  return __libc_calloc(n, size);
}
void* realloc(void* p, std::size_t n) {
  count();
  return __libc_realloc(p, n);
}
void free(void* p) { __libc_free(p); }
void* aligned_alloc(std::size_t alignment, std::size_t n) {
  count();
  return __libc_memalign(alignment, n);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t n) {
  count();
  *out = __libc_memalign(alignment, n);
  return *out ? 0 : 12;  // ENOMEM
}
}

namespace {

using namespace reddalert;

struct Evaluation {
  eval::EvaluationResult result;
  std::uint64_t allocations = 0;
  double seconds = 0;
};

struct Setup {
  std::unique_ptr<app::Engine> engine;
  compile::CompileResult compiled;
  app::SourceData read;
  edda::Window window;
};

Setup setup(const std::vector<std::string>& paths, const std::set<std::string>& only, const std::string& snapshot,
            const check::ParamOverrides& overrides, compile::CompileOptions options) {
  Setup s;
  app::LoadRequest request = app::LoadRequest::policies_only(paths);
  request.selection.policies = {only.begin(), only.end()};
  s.engine = std::make_unique<app::Engine>(request);
  if (s.engine->diagnostics().has_errors()) {
    app::print_diagnostics(s.engine->diagnostics(), "text", std::cout, std::cerr, false);
    std::exit(2);
  }
  s.compiled = s.engine->compile(nullptr, &overrides, options);
  // Read apart from the evaluation (Engine::evaluate does both), which alone is measured.
  const auto source = app::snapshot_source(snapshot);
  s.window = {0, source->manifest().captured_at.value_or(0)};
  s.read = source->read(s.compiled.program, s.window, nullptr);
  return s;
}

Evaluation evaluate(const Setup& s) {
  Evaluation e;
  eval::Options options;
  options.jobs = 1;
  const std::clock_t start = std::clock();
  allocations = 0;
  counting = true;
  e.result = eval::evaluate(s.compiled.program, *s.read.data, s.window.since, s.window.until, nullptr, options);
  counting = false;
  e.allocations = allocations;
  e.seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  return e;
}

std::size_t dropped(const eval::PolicyResult& pr) {
  std::size_t n = 0;
  for (const auto& w : pr.where_outcomes) n += w[0];
  return n;
}

int allocations_probe(const std::string& policies, const std::string& snapshot) {
  // Every protocol allowed: each (group, rule) binding stops at `where perm.ipProtocol not in ...`.
  check::ParamOverrides all_allowed;
  all_allowed["secgroups"]["allowed_protocols"] = {
      nlohmann::json::array({"tcp", "udp", "icmp", "-1", "icmpv6", "6", "17", "1"}), {}};
  const Setup drop = setup({policies}, {"secgroups"}, snapshot, all_allowed, {});
  const Evaluation d = evaluate(drop);
  const std::size_t n = dropped(d.result.policies.at(0));
  const Setup keep = setup({policies}, {"secgroups"}, snapshot, {}, {});
  const Evaluation k = evaluate(keep);
  const std::size_t findings = k.result.policies.at(0).findings.size();
  std::printf(
      "secgroups, every binding dropped: %zu bindings dropped by a where, %zu findings, %llu allocations, "
      "%.3f per dropped binding\n",
      n, d.result.policies.at(0).findings.size(), static_cast<unsigned long long>(d.allocations),
      n ? static_cast<double>(d.allocations) / static_cast<double>(n) : 0.0);
  std::printf(
      "secgroups, default params: %zu bindings dropped by a where, %zu findings, %llu allocations, "
      "%.3f per finding\n",
      dropped(k.result.policies.at(0)), findings, static_cast<unsigned long long>(k.allocations),
      findings ? static_cast<double>(k.allocations) / static_cast<double>(findings) : 0.0);
  return 0;
}

int joins_probe(const std::string& policy, const std::string& snapshot) {
  const Setup planned = setup({policy}, {}, snapshot, {}, {true, true});
  const Setup scanned = setup({policy}, {}, snapshot, {}, {false, true});
  const Evaluation p = evaluate(planned), s = evaluate(scanned);
  const auto texts = [](const eval::EvaluationResult& r) {
    std::string out;
    for (const model::Alert& a : app::make_alerts(r, 0, 0)) model::append_json(out, a);
    return out;
  };
  const bool same = texts(p.result) == texts(s.result);
  std::size_t findings = 0;
  for (const auto& pr : p.result.policies) findings += pr.findings.size();
  std::printf("joins: %zu findings; with indexes %.3f s, scanning %.3f s, %.1f times faster; the same findings: %s\n",
              findings, p.seconds, s.seconds, p.seconds > 0 ? s.seconds / p.seconds : 0.0, same ? "yes" : "NO");
  return same ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (argc == 4 && mode == "allocations") return allocations_probe(argv[2], argv[3]);
  if (argc == 4 && mode == "joins") return joins_probe(argv[2], argv[3]);
  std::cerr << "usage: engine_probe allocations POLICIES SNAPSHOT | engine_probe joins POLICY SNAPSHOT\n";
  return 2;
}
