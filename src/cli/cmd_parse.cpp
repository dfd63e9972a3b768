#include <fstream>
#include <iostream>
#include <sstream>

#include "app/engine.hpp"
#include "ast/printer.hpp"
#include "base/file.hpp"
#include "cli/commands.hpp"
#include "syntax/parse.hpp"

namespace reddalert::cli {

void add_parse(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("parse", "Print a policy file's syntax tree, or its compiled evaluation tree");
  struct Args {
    std::string file, format = "text", tree = "ast";
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("file", args->file, "A .policy file")->required();
  cmd->add_option("--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--tree", args->tree, "ast (as written) or compiled (as evaluated)")
      ->check(CLI::IsMember({"ast", "compiled"}));
  cmd->callback([args, &exit_code] {
    base::TreeDump tree;
    if (args->tree == "ast") {
      std::string why;
      const std::optional<std::string> text = base::read_file(args->file, &why);
      if (!text) {
        std::cerr << "reddalert: cannot read " << args->file << ": " << why << '\n';
        exit_code = app::kUsage;
        return;
      }
      const auto parsed = syntax::parse(std::make_shared<base::SourceFile>(args->file, *text));
      app::print_diagnostics(parsed.diagnostics, "text", std::cout, std::cerr, false);
      if (!parsed.module) {
        exit_code = app::kUsage;
        return;
      }
      tree = ast::dump(*parsed.module);
    } else {
      const app::Engine engine(app::LoadRequest::policies_only({args->file}));
      app::print_diagnostics(engine.diagnostics(), "text", std::cout, std::cerr, false);
      if (engine.diagnostics().has_errors()) {
        exit_code = app::kUsage;
        return;
      }
      const compile::CompileResult compiled = engine.compile();
      tree.kind = "program";
      for (const auto& p : compiled.program.policies) {
        base::TreeDump& pt = tree.add({"policy", p.name + " " + p.fingerprint, p.location, {}});
        for (const auto& c : p.clauses) {
          const char* kind = c.kind == eval::CompiledClause::Kind::For   ? "for"
                             : c.kind == eval::CompiledClause::Kind::Let ? "let"
                                                                         : "where";
          pt.add({kind, c.slot >= 0 ? "#" + std::to_string(c.slot) : "", c.location, {}}).add(c.expr->dump());
        }
        pt.add({"alert", "", {}, {}}).add(p.alert->dump());
        pt.add({"message", "", {}, {}}).add(p.message->dump());
        if (p.details) pt.add({"details", "", {}, {}}).add(p.details->dump());
      }
      for (const auto& d : compiled.program.defs) {
        if (d.body) tree.add({"def", d.name, {}, {}}).add(d.body->dump());
      }
      for (const auto& l : compiled.program.lets) {
        if (l.body) tree.add({"let", l.name, {}, {}}).add(l.body->dump());
      }
      // What the reader keeps of each collection's documents.
      for (const auto& c : compiled.program.collections) {
        const std::string views =
            std::string(c.current ? " current" : "") + (c.changed ? " changed" : "") + (c.previous ? " previous" : "");
        tree.add({"reads", c.name + views + ": " + (c.projection ? c.projection->describe() : "*"), {}, {}});
      }
    }
    if (args->format == "json") {
      std::cout << base::to_json(tree).dump(2) << '\n';
    } else {
      std::cout << base::to_text(tree);
    }
    exit_code = 0;
  });
}

}  // namespace reddalert::cli
