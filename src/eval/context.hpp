// What an evaluation runs in: the shared state of one run (the data, the window, top-level
// lets and join indexes computed once, compiled regexes), a worker per thread (the arena
// of the binding being evaluated, the value stack of frames and arguments, a text buffer),
// and the context a node sees.
#pragma once

#include <atomic>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "base/arena.hpp"
#include "base/time.hpp"
#include "eval/node.hpp"
#include "eval/program.hpp"
#include "model/dataset.hpp"

namespace reddalert::eval {

// A run-time problem as a value: where it arose and why.
struct ErrorInfo {
  const Node* where;
  std::string_view message;
};

// A budget exceeded while evaluating one document: too many steps, too much memory, a
// stack too deep. Thrown, and caught where the document's evaluation started: nothing
// inside it can absorb it.
struct BudgetExceeded {
  const Node* where;
  std::string message;
};

class Tracer;  // eval/trace.hpp

struct Options {
  std::uint64_t max_steps = 10'000'000;           // per document a policy's first `for` binds
  std::size_t max_memory = std::size_t{1} << 30;  // bytes of computed values per document
  unsigned jobs = 1;                              // threads; 1 runs everything on the calling thread
  // Set (by `explain` and `eval`), the evaluation runs on one thread and reports each
  // binding of the program's one policy to it.
  Tracer* tracer = nullptr;
};

// Memory of first_seen() per policy: values recorded by earlier runs, and the values
// asked about in this run (recorded when the run commits). Keys are first_seen_key() text.
struct FirstSeenState {
  std::map<std::string, std::set<std::string, std::less<>>> earlier;  // policy -> keys
  std::map<std::string, std::set<std::string, std::less<>>> asked;
};

// How first_seen() remembers a value: a string as it is (invalid UTF-8 bytes as U+FFFD),
// anything else as compact JSON.
std::string first_seen_key(const Value& v);

class Worker {
 public:
  explicit Worker(const Options& options);

  base::Arena arena;  // values of the document being evaluated; released after it
  std::string text;   // texts being built, nested as a stack (TextBuilder)

  // `n` null slots on the value stack; pop() gives them back, innermost first.
  Value* push(std::size_t n, const Node* where);
  void pop(std::size_t n) { top_ -= n; }
  // Where the stack ends; truncate() goes back there after a budget was exceeded.
  std::size_t top() const { return top_; }
  void truncate(std::size_t top) { top_ = top; }

  // One unit of work (a loop iteration, a call); throws BudgetExceeded past the budget.
  void step(const Node* where) {
    if (++steps_ > step_limit_) exceeded(where);
  }
  void steps(std::size_t n, const Node* where) {
    steps_ += n;
    if (steps_ > step_limit_) exceeded(where);
  }
  // Starts a new document's budget; returns the one it replaces (restore() takes it back).
  struct Budget {
    std::uint64_t steps, limit;
  };
  Budget begin_budget(std::uint64_t limit) {
    const Budget old{steps_, step_limit_};
    steps_ = 0;
    step_limit_ = limit;
    return old;
  }
  void restore(const Budget& b) {
    steps_ = b.steps;
    step_limit_ = b.limit;
  }

 private:
  [[noreturn]] void exceeded(const Node* where) const;

  // Allocated, not initialised: pages the stack never reaches are never touched.
  std::unique_ptr<Value[], void (*)(void*)> stack_;
  std::size_t capacity_;
  std::size_t top_ = 0;
  std::uint64_t steps_ = 0;
  std::uint64_t step_limit_;
};

// State shared by the workers of one run. Top-level lets and join indexes are computed
// on first use, once, whichever worker needs them first.
class Run {
 public:
  Run(const Program& program, const model::DataSet* data, base::Millis since, base::Millis until,
      const FirstSeenState* memory, const Options& options);
  ~Run();

  const Program& program;
  const model::DataSet* data;  // null while compiling: reading data is then an error
  const base::Millis since, until;
  const FirstSeenState* memory;  // null: no memory, every value is first seen
  const Options options;

  bool constant_only() const { return data == nullptr; }
  // The documents of program collection `index`, current or changed.
  std::span<const model::Doc> view(std::size_t index, bool changed) const;
  // Top-level let `index`, computed on first use in an arena of its own.
  Value let(std::size_t index, Context& caller);
  // A compiled pattern, cached for the run; null with `error` set when it does not compile.
  const re2::RE2* regex(std::string_view pattern, std::string& error);

  // A cell computed once per run (lets, join indexes).
  struct Once {
    std::mutex mutex;
    std::atomic<bool> done{false};
    std::atomic<std::thread::id> owner{};  // the thread computing it
    Value value;
    base::Arena arena{std::size_t{256} << 10};
    std::shared_ptr<void> extra;  // what a join index keeps besides its value
  };
  Once& index_cell(std::size_t index) { return *indexes_[index]; }

 private:
  std::vector<std::span<const model::Doc>> views_;  // 2 per collection: current, changed
  std::vector<std::unique_ptr<Once>> lets_;
  std::vector<std::unique_ptr<Once>> indexes_;
  std::mutex regex_mutex_;
  std::map<std::string, std::unique_ptr<re2::RE2>, std::less<>> regexes_;
};

// The values first_seen() was asked about by one unit of work, merged after the run.
using Asked = std::set<std::string, std::less<>>;

struct Context {
  Run& run;
  Worker& w;
  base::Arena* arena;  // where computed values go
  Value* frame;
  const CompiledPolicy* policy;  // null in top-level lets and constants
  Asked* asked;                  // where first_seen() records; null outside a policy

  // A copy of `s` in the current arena.
  Value string(std::string_view s) const { return Value::string(arena->copy(s)); }
  // A list of `n` elements in the current arena, filled by the caller.
  Value* items(std::size_t n) const { return arena->array<Value>(n); }
};

// Builds a string in the worker's text buffer, which nested builders share as a stack.
class TextBuilder {
 public:
  explicit TextBuilder(Context& ctx) : ctx_(ctx), start_(ctx.w.text.size()) {}
  ~TextBuilder() { ctx_.w.text.resize(start_); }
  TextBuilder(const TextBuilder&) = delete;
  TextBuilder& operator=(const TextBuilder&) = delete;
  // Appends what `{v}` inserts; throws base::ArenaLimit when the text would pass the
  // document's memory budget.
  void append(const Value& v) {
    try {
      append_interpolation(ctx_.w.text, v, limit());
    } catch (const base::ArenaLimit&) {
      throw base::ArenaLimit{ctx_.run.options.max_memory};
    }
  }
  void append(std::string_view s) {
    if (ctx_.w.text.size() + s.size() > limit()) throw base::ArenaLimit{ctx_.run.options.max_memory};
    ctx_.w.text.append(s);
  }
  // The text built, copied into the context's arena.
  Value finish() const { return ctx_.string(std::string_view(ctx_.w.text).substr(start_)); }

 private:
  // The worker's text buffer may hold this much: what is below this builder, and a budget.
  std::size_t limit() const { return start_ + ctx_.run.options.max_memory; }

  Context& ctx_;
  std::size_t start_;
};

// Pushes a frame for the duration of a scope.
class Frame {
 public:
  Frame(Context& ctx, std::size_t size, const Node* where) : ctx_(ctx), size_(size), saved_(ctx.frame) {
    ctx.frame = ctx.w.push(size, where);
  }
  ~Frame() {
    ctx_.w.pop(size_);
    ctx_.frame = saved_;
  }
  Frame(const Frame&) = delete;
  Frame& operator=(const Frame&) = delete;

 private:
  Context& ctx_;
  std::size_t size_;
  Value* saved_;
};

// Runs `body` with computed values going to `arena`.
class ArenaScope {
 public:
  ArenaScope(Context& ctx, base::Arena& arena) : ctx_(ctx), saved_(ctx.arena) { ctx.arena = &arena; }
  ~ArenaScope() { ctx_.arena = saved_; }
  ArenaScope(const ArenaScope&) = delete;
  ArenaScope& operator=(const ArenaScope&) = delete;

 private:
  Context& ctx_;
  base::Arena* saved_;
};

// A deep copy of the computed parts of `v` into `arena`; document data is shared.
Value copy_value(const Value& v, base::Arena& arena);
// A value from configuration JSON (params), in `arena`.
Value value_from_json(const nlohmann::json& j, base::Arena& arena);
// The kind a configuration JSON value would have as a value.
Kind kind_of(const nlohmann::json& j);

}  // namespace reddalert::eval
