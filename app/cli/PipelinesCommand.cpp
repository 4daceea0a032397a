#include "cli/CommandDescriptions.h"
#include "cli/Commands.h"
#include "strata/StandardPipelines.h"

#include <iostream>
#include <memory>

namespace strata::cli {

void registerPipelinesCommand(CLI::App& app)
{
    auto json = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("pipelines", fullCommandDescription("pipelines"));
    cmd->add_flag("--json", *json, "Print the manifests as JSON");
    cmd->callback([json] {
        const auto manifests = standardPipelines().manifests();
        if (*json) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& m : manifests) {
                out.push_back(m.toJson());
            }
            std::cout << out.dump(2) << '\n';
            return;
        }
        for (const auto& m : manifests) {
            std::cout << m.id << "  " << m.title << "\n  " << m.description << "\n  inputs:";
            for (const auto& in : m.inputs) {
                std::cout << " " << in.name << " (" << in.type << ")";
            }
            std::cout << "\n  parameters:\n";
            for (const auto& p : m.parameters) {
                std::cout << "    " << p.name << " = " << p.defaultValue.dump() << "  (" << p.type << ") " << p.help << "\n";
            }
        }
    });
}

} // namespace strata::cli
