#include "app/schema_doc.hpp"

#include <algorithm>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/text.hpp"

namespace reddalert::app {

namespace {

using model::Schema;
using model::SchemaField;

// Text and the page cut examples here (policy documents and ARNs run long); JSON never does.
constexpr std::size_t kTextExampleWidth = 60;
constexpr std::size_t kPageExampleWidth = 80;

bool has_fields(const Schema& s) { return model::element_of(&s)->kind == Schema::Kind::Object; }

// "list of object, open" for a list of open objects: what can be read below the field.
std::string kind_text(const Schema& s) {
  std::string out = model::describe_kind(s);
  if (model::element_of(&s)->open) out += ", open";
  return out;
}

std::string cut(const std::string& text, std::size_t width) {
  if (text.size() <= width) return text;
  std::size_t n = width - 3;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // not inside a UTF-8 sequence
  return text.substr(0, n) + "...";
}

nlohmann::json example_json(const SchemaField& f) {
  return f.example.empty() ? nlohmann::json(nullptr) : nlohmann::json::parse(f.example);
}

}  // namespace

void write_collection_list(std::ostream& out, SchemaFormat format) {
  const std::vector<std::string> names = model::collection_names();
  if (format == SchemaFormat::Json) {
    nlohmann::json list = nlohmann::json::array();
    for (const std::string& n : names) {
      const model::CollectionInfo& c = *model::find_collection(n);
      list.push_back({{"name", c.name}, {"id_field", c.id_field}, {"description", c.description}});
    }
    out << nlohmann::json{{"collections", list}}.dump(2) << '\n';
    return;
  }
  std::size_t name_width = 0, id_width = 0;
  for (const std::string& n : names) {
    name_width = std::max(name_width, n.size());
    id_width = std::max(id_width, model::find_collection(n)->id_field.size());
  }
  for (const std::string& n : names) {
    const model::CollectionInfo& c = *model::find_collection(n);
    out << n << std::string(name_width - n.size() + 2, ' ') << c.id_field
        << std::string(id_width - c.id_field.size() + 2, ' ') << c.description << '\n';
  }
}

void write_schema_target(const model::FieldPath& target, std::ostream& out, SchemaFormat format) {
  const model::CollectionInfo& c = *target.collection;
  const Schema& shown = *target.shown;
  const bool object = shown.kind == Schema::Kind::Object;
  if (format == SchemaFormat::Json) {
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& [name, f] : shown.fields) {
      fields.push_back({{"name", name},
                        {"kind", model::describe_kind(*f.schema)},
                        {"open", model::element_of(f.schema.get())->open},
                        {"has_fields", has_fields(*f.schema)},
                        {"optional", f.optional},
                        {"example", example_json(f)}});
    }
    nlohmann::json j = {{"collection", c.name},
                        {"id_field", c.id_field},
                        {"description", c.description},
                        {"path", target.path},
                        {"kind", target.field ? model::describe_kind(*target.field->schema) : "object"},
                        {"optional", target.field && target.field->optional},
                        {"example", target.field ? example_json(*target.field) : nlohmann::json(nullptr)},
                        {"open", shown.open},
                        {"fields", fields}};
    out << j.dump(2) << '\n';
    return;
  }
  const std::string full = target.path.empty() ? c.name : c.name + "." + target.path;
  if (!target.field) {
    out << full << ": " << c.description << " (record id `" << c.id_field << "`)\n";
  } else {
    out << full << ": " << kind_text(*target.field->schema)
        << (target.field->optional ? ", EDDA may omit it" : ", always present") << '\n';
    if (!target.field->example.empty()) out << "example: " << cut(target.field->example, kTextExampleWidth) << '\n';
  }
  if (!object) return;
  if (shown.open) out << "open: EDDA documents may have fields not listed here; read them as x[\"name\"]\n";
  if (shown.fields.empty()) return;
  std::size_t name_width = 5, kind_width = 4;
  for (const auto& [name, f] : shown.fields) {
    name_width = std::max(name_width, name.size());
    kind_width = std::max(kind_width, kind_text(*f.schema).size());
  }
  const auto row = [&](const std::string& name, const std::string& kind, const std::string& omit,
                       const std::string& example) {
    std::string line = name + std::string(name_width - name.size() + 2, ' ') + kind +
                       std::string(kind_width - kind.size() + 2, ' ') + omit;
    if (!example.empty()) line += std::string(10 - omit.size(), ' ') + example;
    out << line << '\n';
  };
  out << '\n';
  row("field", "kind", "may omit", "example");
  std::string nested;
  for (const auto& [name, f] : shown.fields) {
    row(name, kind_text(*f.schema), f.optional ? "yes" : "no", cut(f.example, kTextExampleWidth));
    if (nested.empty() && has_fields(*f.schema)) nested = name;
  }
  if (!nested.empty()) {
    out << "\nThe fields of an object field: `reddalert schema " << full << ".FIELD` (e.g. `" << full << "." << nested
        << "`)\n";
  }
}

namespace {

// One row per field, nested fields as paths (`ipPermissions[].fromPort`).
void page_rows(const Schema& object, const std::string& prefix, std::ostream& out) {
  for (const auto& [name, f] : object.fields) {
    out << "| `" << prefix << name << "` | " << kind_text(*f.schema) << " | " << (f.optional ? "yes" : "") << " | "
        << (f.example.empty() ? "" : "`" + base::markdown_code_cell(cut(f.example, kPageExampleWidth)) + "`") << " |\n";
    std::string below = prefix + name;
    const Schema* s = f.schema.get();
    while (s->kind == Schema::Kind::List && s->element) {
      below += "[]";
      s = s->element.get();
    }
    if (s->kind == Schema::Kind::Object) page_rows(*s, below + ".", out);
  }
}

std::string anchor(const std::string& name) {
  std::string out;
  for (char ch : name) {
    if (ch != '.') out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return out;
}

}  // namespace

std::string schema_page() {
  std::ostringstream out;
  out << "# Collection schemas\n\n"
         "<!-- Generated by `reddalert schema --format markdown --out docs/schemas.md` from the collection\n"
         "     table (src/model/collections.cpp). Do not edit: a test fails when this page and the table\n"
         "     disagree. -->\n\n"
         "The fields lint knows in each EDDA collection's documents (the `data` of each record), their\n"
         "kinds, whether EDDA may omit them (a field absent or null reads as null: say what that means,\n"
         "`perm.fromPort == null or ...`), and an example value. A nested field is shown as a path: `[]`\n"
         "is a list's element. An open object takes fields the table does not list (read them as\n"
         "`x[\"name\"]`). `reddalert schema COLLECTION[.path]` shows the same from the command line, and\n"
         "docs/cli.md (\"Collection schemas\") says how the table decides what EDDA may omit.\n\n"
         "| collection | record id | holds |\n|---|---|---|\n";
  const std::vector<std::string> names = model::collection_names();
  for (const std::string& n : names) {
    const model::CollectionInfo& c = *model::find_collection(n);
    out << "| [" << n << "](#" << anchor(n) << ") | `" << c.id_field << "` | " << base::markdown_cell(c.description)
        << " |\n";
  }
  for (const std::string& n : names) {
    const model::CollectionInfo& c = *model::find_collection(n);
    const Schema& root = *model::element_of(c.schema.get());
    out << "\n## " << n << "\n\n" << c.description << ". Record id: `" << c.id_field << "`.";
    if (root.open)
      out << " Open: documents may have fields not listed" << (root.fields.empty() ? " (the table lists none)" : "")
          << ".";
    out << '\n';
    if (root.fields.empty()) continue;
    out << "\n| field | kind | may omit | example |\n|---|---|---|---|\n";
    page_rows(root, "", out);
  }
  return out.str();
}

}  // namespace reddalert::app
