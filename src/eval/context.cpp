#include "eval/context.hpp"

#include <algorithm>
#include <new>
#include <unordered_map>

#include <re2/re2.h>

#include "base/text.hpp"

namespace reddalert::eval {

namespace {

// Enough for any program: frames are as large as their owner's slots and nest only as
// deep as defs call defs (never recursively).
constexpr std::size_t kStackSlots = std::size_t{1} << 16;

}  // namespace

Value Node::error(Context& ctx, std::string_view message) const {
  auto* info = ctx.arena->array<ErrorInfo>(1);
  info->where = this;
  info->message = ctx.arena->copy(message);
  Value v;
  v.kind = Kind::Error;
  v.error = info;
  return v;
}

base::TreeDump Node::tree(std::string kind, std::string label) const {
  base::TreeDump t;
  t.kind = std::move(kind);
  t.label = std::move(label);
  t.location = loc_;
  return t;
}

std::string first_seen_key(const Value& v) {
  // The status file is JSON: a byte-wise slice is kept as the text it will read back as.
  return v.kind == Kind::String ? base::to_valid_utf8(v.str()) : to_text(v);
}

Worker::Worker(const Options& options)
    : arena(std::size_t{256} << 10),
      stack_(static_cast<Value*>(std::malloc(kStackSlots * sizeof(Value))), std::free),
      capacity_(kStackSlots),
      step_limit_(options.max_steps) {
  if (!stack_) throw std::bad_alloc();
  arena.set_limit(options.max_memory);
}

Value* Worker::push(std::size_t n, const Node* where) {
  if (top_ + n > capacity_) throw BudgetExceeded{where, "evaluation nested too deeply (value stack full)"};
  Value* frame = stack_.get() + top_;
  std::fill(frame, frame + n, Value());
  top_ += n;
  return frame;
}

void Worker::exceeded(const Node* where) const {
  throw BudgetExceeded{where, "evaluation budget of " + std::to_string(step_limit_) +
                                  " steps exceeded (set limits.max_steps or --max-steps to allow more)"};
}

Run::Run(const Program& program, const model::DataSet* data, base::Millis since, base::Millis until,
         const FirstSeenState* memory, const Options& options)
    : program(program), data(data), since(since), until(until), memory(memory), options(options) {
  for (const CollectionUse& c : program.collections) {
    views_.push_back(data ? data->current(c.name) : std::span<const model::Doc>());
    views_.push_back(data ? data->changed(c.name) : std::span<const model::Doc>());
  }
  for (std::size_t i = 0; i < program.lets.size(); ++i) lets_.push_back(std::make_unique<Once>());
  for (std::size_t i = 0; i < program.indexes; ++i) indexes_.push_back(std::make_unique<Once>());
}

Run::~Run() = default;

std::span<const model::Doc> Run::view(std::size_t index, bool changed) const {
  return views_[2 * index + (changed ? 1 : 0)];
}

Value Run::let(std::size_t index, Context& caller) {
  Once& cell = *lets_[index];
  if (cell.done.load(std::memory_order_acquire)) return cell.value;
  const CompiledLet& let = program.lets[index];
  // Lint rejects cycles; this guard keeps a missed one from waiting for itself.
  if (cell.owner.load() == std::this_thread::get_id()) {
    return let.body->error(caller, "`" + let.name + "` depends on itself");
  }
  const std::lock_guard<std::mutex> lock(cell.mutex);
  if (cell.done.load(std::memory_order_relaxed)) return cell.value;
  cell.owner.store(std::this_thread::get_id());
  // A let is computed once for the whole run, with a budget of its own, into its own arena.
  const Worker::Budget saved = caller.w.begin_budget(options.max_steps * 100);
  Context ctx{*this, caller.w, &cell.arena, caller.frame, nullptr, nullptr};
  try {
    const Frame frame(ctx, static_cast<std::size_t>(let.frame_size), let.body.get());
    cell.value = let.body->eval(ctx);
  } catch (...) {
    cell.owner.store(std::thread::id());
    caller.w.restore(saved);
    throw;
  }
  cell.owner.store(std::thread::id());
  caller.w.restore(saved);
  cell.done.store(true, std::memory_order_release);
  return cell.value;
}

const re2::RE2* Run::regex(std::string_view pattern, std::string& error) {
  const std::lock_guard<std::mutex> lock(regex_mutex_);
  auto it = regexes_.find(pattern);
  if (it == regexes_.end()) {
    auto re = std::make_unique<re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), re2::RE2::Quiet);
    it = regexes_.emplace(std::string(pattern), std::move(re)).first;
  }
  if (!it->second->ok()) {
    error = it->second->error();
    return nullptr;
  }
  return it->second.get();
}

namespace {

// Copies a value's computed parts once each: a list that refers to one long string a
// thousand times is copied as one string, not a thousand (the copy stays the size of the
// value). Only long strings and long lists and maps are remembered, so a small value's
// copy allocates nothing but its arena bytes.
class Copier {
 public:
  explicit Copier(base::Arena& arena) : arena_(arena) {}

  Value copy(const Value& v) {
    switch (v.kind) {
      case Kind::String: {
        if (v.size < kShared) return Value::string(arena_.copy(v.str()));
        return shared(v.chars, [&] { return Value::string(arena_.copy(v.str())); });
      }
      case Kind::List: {
        if (v.doc_backed()) return v;
        const auto make = [&] {
          Value* items = arena_.array<Value>(v.size);
          for (std::uint32_t i = 0; i < v.size; ++i) items[i] = copy(v.items[i]);
          return Value::list(items, v.size);
        };
        return v.size < kShared / 16 ? make() : shared(v.items, make);
      }
      case Kind::Map: {
        if (v.doc_backed()) return v;
        const auto make = [&] {
          MapEntry* entries = arena_.array<MapEntry>(v.size);
          for (std::uint32_t i = 0; i < v.size; ++i) entries[i] = {copy(v.entries[i].key), copy(v.entries[i].value)};
          return Value::map(entries, v.size);
        };
        return v.size < kShared / 16 ? make() : shared(v.entries, make);
      }
      case Kind::Range: {
        Range* r = arena_.array<Range>(1);
        *r = *v.range;
        Value out = v;
        out.range = r;
        return out;
      }
      default: return v;  // scalars; regexes and closures belong to the program
    }
  }

 private:
  static constexpr std::uint32_t kShared = 256;  // bytes of a string, or 16-byte elements

  template <class Make>
  Value shared(const void* original, const Make& make) {
    if (const auto it = done_.find(original); it != done_.end()) return it->second;
    const Value copied = make();
    done_.emplace(original, copied);
    return copied;
  }

  base::Arena& arena_;
  std::unordered_map<const void*, Value> done_;
};

}  // namespace

Value copy_value(const Value& v, base::Arena& arena) { return Copier(arena).copy(v); }

Value value_from_json(const nlohmann::json& j, base::Arena& arena) {
  switch (j.type()) {
    case nlohmann::json::value_t::boolean: return Value::of(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: return Value::number(j.get<double>());
    case nlohmann::json::value_t::string: return Value::string(arena.copy(j.get_ref<const std::string&>()));
    case nlohmann::json::value_t::array: {
      Value* items = arena.array<Value>(j.size());
      std::size_t i = 0;
      for (const auto& e : j) items[i++] = value_from_json(e, arena);
      return Value::list(items, j.size());
    }
    case nlohmann::json::value_t::object: {
      // nlohmann's objects iterate in key order, the order of a map value.
      MapEntry* entries = arena.array<MapEntry>(j.size());
      std::size_t i = 0;
      for (auto it = j.begin(); it != j.end(); ++it, ++i) {
        entries[i] = {Value::string(arena.copy(it.key())), value_from_json(it.value(), arena)};
      }
      return Value::map(entries, j.size());
    }
    default: return Value();
  }
}

Kind kind_of(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::boolean: return Kind::Bool;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: return Kind::Number;
    case nlohmann::json::value_t::string: return Kind::String;
    case nlohmann::json::value_t::array: return Kind::List;
    case nlohmann::json::value_t::object: return Kind::Map;
    default: return Kind::Null;
  }
}

}  // namespace reddalert::eval

namespace reddalert::eval {

const CollectionUse* Program::collection(std::string_view name) const {
  for (const CollectionUse& c : collections) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace reddalert::eval
