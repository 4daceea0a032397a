#include "cli/Commands.h"
#include "strata/ImageIO.h"
#include "strata/ImageSummary.h"

#include <iostream>
#include <memory>

namespace strata::cli {

void registerInfoCommand(CLI::App& app)
{
    struct Options {
        std::string input;
        bool json{false};
    };
    auto opts = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("info", "Print size, spacing, origin, direction, pixel type and range of an image "
                                           "file or DICOM folder");
    cmd->add_option("input", opts->input, "Image file (NIfTI, NRRD, MHA, PNG, ...) or DICOM series folder")->required();
    cmd->add_flag("--json", opts->json, "Print JSON instead of text");
    cmd->callback([opts] {
        const Image image = readImage(opts->input);
        const auto summary = imageSummary(image, opts->input);
        if (opts->json) {
            std::cout << summary.dump(2) << '\n';
        } else {
            std::cout << imageSummaryText(summary);
        }
    });
}

} // namespace strata::cli
