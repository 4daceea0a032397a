#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace strata::cli {

/// A subcommand that the light `strata-cli` hands to `strata-cli-full` (it needs LibTorch, Qt or VTK), with the
/// description both programs' help shows. The one place these descriptions are written.
struct FullCommandDescription {
    std::string name;
    std::string text;
};

/// pipelines, run, report, cohort, change, in the order `strata-cli --help` lists them.
const std::vector<FullCommandDescription>& fullCommandDescriptions();

/// The description of one of them; throws std::logic_error for another name.
const std::string& fullCommandDescription(std::string_view name);

} // namespace strata::cli
