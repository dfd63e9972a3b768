#include <iostream>

#include "app/engine.hpp"
#include "base/text.hpp"
#include "cli/commands.hpp"
#include "edda/client.hpp"
#include "model/collections.hpp"

namespace reddalert::cli {

void add_snapshot(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("snapshot", "Record EDDA collections, with their history, into a snapshot directory");
  struct Args {
    std::string edda, out;
    std::vector<std::string> collections;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("-e,--edda", args->edda, "The EDDA to record, e.g. http://edda:8080/edda")->required();
  cmd->add_option("--out", args->out, "The snapshot directory to write")->required();
  cmd->add_option("--collection", args->collections,
                  "Record only this collection (repeatable; default: every known one)");
  cmd->callback([args, &exit_code] {
    if (!check_edda_arg("snapshot", args->edda)) {
      exit_code = app::kUsage;
      return;
    }
    std::vector<std::string> collections = args->collections;
    const std::vector<std::string> known = model::collection_names();
    for (const std::string& c : collections) {
      if (!model::find_collection(c)) {
        std::cerr << "reddalert snapshot: unknown collection `" << c << "`";
        const std::string hint = base::did_you_mean(c, known);
        if (!hint.empty()) std::cerr << "; " << hint;
        std::cerr << '\n';
        exit_code = app::kUsage;
        return;
      }
    }
    if (collections.empty()) collections = known;
    const auto http = net::make_curl_client({});
    const edda::EddaClient client(args->edda, *http);
    try {
      const auto skipped = edda::record_snapshot(client, collections, args->out, base::now_millis(), args->edda);
      std::cerr << "reddalert snapshot: " << collections.size() - skipped.size() << " collections recorded in "
                << args->out;
      if (!skipped.empty())
        std::cerr << " (" << skipped.size() << " not served by this EDDA: " << base::join(skipped, ", ") << ")";
      std::cerr << '\n';
      exit_code = app::kOk;
    } catch (const edda::EddaError& e) {
      std::cerr << "reddalert snapshot: " << e.message << '\n';
      exit_code = app::kDataFailure;
    } catch (const edda::SnapshotError& e) {
      std::cerr << "reddalert snapshot: " << e.message << '\n';
      exit_code = app::kDataFailure;
    }
  });
}

}  // namespace reddalert::cli
