#include "model/field_path.hpp"

#include "base/text.hpp"

namespace reddalert::model {

namespace {

// A segment of a path: `ipPermissions`, `ipPermissions[*]`, `ipPermissions[]`.
struct Segment {
  std::string name;
  std::size_t elements = 0;  // how many `[*]` follow it
};

std::optional<std::vector<Segment>> split_path(std::string_view path) {
  std::vector<Segment> out;
  std::size_t i = 0;
  while (i < path.size()) {
    Segment seg;
    const std::size_t start = i;
    while (i < path.size() && path[i] != '.' && path[i] != '[') ++i;
    seg.name = std::string(path.substr(start, i - start));
    while (i < path.size() && path[i] == '[') {
      if (path.substr(i, 3) == "[*]") {
        i += 3;
      } else if (path.substr(i, 2) == "[]") {
        i += 2;
      } else {
        return std::nullopt;
      }
      ++seg.elements;
    }
    if (seg.name.empty()) return std::nullopt;
    out.push_back(std::move(seg));
    if (i < path.size()) {
      if (path[i] != '.' || i + 1 == path.size()) return std::nullopt;
      ++i;
    }
  }
  return out;
}

// "a string", "an object".
std::string with_article(const Schema& s) {
  const std::string kind = model::describe_kind(s);
  return (kind[0] == 'a' || kind[0] == 'o' ? "an " : "a ") + kind;
}

}  // namespace

const Schema* element_of(const Schema* s) {
  while (s->kind == Schema::Kind::List && s->element) s = s->element.get();
  return s;
}

std::optional<FieldPath> resolve_field_path(std::string_view text, std::string& error) {
  // A collection's name is a prefix and one more name (`aws.securityGroups`); the rest is the path.
  const std::size_t first_dot = text.find('.');
  const std::size_t second = first_dot == std::string_view::npos ? text.npos : text.find_first_of(".[", first_dot + 1);
  const std::string name(text.substr(0, second));
  FieldPath target;
  target.collection = find_collection(name);
  if (!target.collection) {
    std::string hint = base::did_you_mean(name, collection_names());
    if (hint.empty())
      hint = "`reddalert schema` lists them; they are named as EDDA names them, e.g. `aws.securityGroups`";
    error = "unknown collection `" + name + "`; " + hint;
    return std::nullopt;
  }
  target.shown = element_of(target.collection->schema.get());
  if (second == std::string_view::npos) return target;
  std::string_view rest = text.substr(second);
  if (rest.front() == '.') rest.remove_prefix(1);
  const auto segments = split_path(rest);
  if (!segments) {
    error =
        "`" + std::string(text) + "` is not a field path: write names joined by `.`, each optionally followed by `[*]`";
    return std::nullopt;
  }
  const Schema* at = target.collection->schema.get();
  std::string where = name + " documents";
  for (const Segment& seg : *segments) {
    at = element_of(at);
    if (at->kind != Schema::Kind::Object) {
      error = "`" + (target.path.empty() ? name : name + "." + target.path) + "` is " + with_article(*at) +
              ": it has no field `" + seg.name + "`";
      return std::nullopt;
    }
    target.field = at->field_entry(seg.name);
    if (!target.field) {
      std::string hint = base::did_you_mean(seg.name, at->field_names());
      if (hint.empty() && !at->fields.empty()) hint = "known fields there: " + base::join(at->field_names(), ", ");
      if (at->open)
        hint +=
            std::string(hint.empty() ? "" : "; ") + "the object is open: EDDA may have fields the table does not list";
      error = "no field `" + seg.name + "` in " + where + (hint.empty() ? "" : "; " + hint);
      return std::nullopt;
    }
    target.path += (target.path.empty() ? "" : ".") + seg.name;
    target.fields.push_back(seg.name);
    where = "`" + name + "." + target.path + "`";
    at = target.field->schema.get();
    for (std::size_t i = 0; i < seg.elements; ++i) {
      if (at->kind != Schema::Kind::List) {
        error = "`" + name + "." + target.path + "` is " + with_article(*at) + ", not a list: drop the `[*]`";
        return std::nullopt;
      }
      at = at->element.get();
    }
  }
  target.shown = element_of(at);
  return target;
}

}  // namespace reddalert::model
