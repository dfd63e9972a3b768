#include <iostream>

#include "app/engine.hpp"
#include "app/schema_doc.hpp"
#include "cli/commands.hpp"

namespace reddalert::cli {

void add_schema(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "schema", "The fields of an EDDA collection's documents (or of an object inside them), or the collections");
  struct Args {
    std::string target;
    std::string format = "text";
    std::string out;
    bool check = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("target", args->target,
                  "COLLECTION[.path]: aws.securityGroups, aws.securityGroups.ipPermissions[*] (default: the list)");
  cmd->add_option("--format", args->format, "text, json, or markdown (the page docs/schemas.md)")
      ->check(CLI::IsMember({"text", "json", "markdown"}));
  cmd->add_option("-o,--out", args->out, "With --format markdown: write to this file instead of standard output");
  cmd->add_flag("--check", args->check, "With --out: exit 1 when the file differs from what would be written");
  cmd->callback([args, &exit_code] {
    if (args->format == "markdown") {
      if (!args->target.empty()) {
        std::cerr << "reddalert schema: --format markdown writes the page of every collection; give no COLLECTION\n";
        exit_code = app::kUsage;
        return;
      }
      exit_code = write_page("schema", app::schema_page(), args->out, args->check,
                             "reddalert schema --format markdown --out " + args->out);
      return;
    }
    if (!args->out.empty() || args->check) {
      std::cerr << "reddalert schema: --out and --check go with --format markdown\n";
      exit_code = app::kUsage;
      return;
    }
    const app::SchemaFormat format = args->format == "json" ? app::SchemaFormat::Json : app::SchemaFormat::Text;
    if (args->target.empty()) {
      app::write_collection_list(std::cout, format);
      return;
    }
    std::string error;
    const auto target = model::resolve_field_path(args->target, error);
    if (!target) {
      std::cerr << "reddalert schema: " << error << '\n';
      exit_code = app::kUsage;
      return;
    }
    app::write_schema_target(*target, std::cout, format);
  });
}

}  // namespace reddalert::cli
