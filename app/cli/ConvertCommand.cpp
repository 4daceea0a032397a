#include "cli/Commands.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"
#include "strata/ImageOps.h"

#include <iostream>
#include <memory>
#include <optional>

namespace strata::cli {

void registerConvertCommand(CLI::App& app)
{
    struct Options {
        std::string input;
        std::string output;
        std::optional<std::size_t> slice;
        bool rescale{false};
        std::string type;
    };
    auto opts = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("convert", "Convert an image between formats (NIfTI, NRRD, MHA, PNG, JPEG, TIFF, BMP); "
                                              "geometry is preserved");
    cmd->add_option("input", opts->input, "Input image file or DICOM series folder")->required();
    cmd->add_option("output", opts->output, "Output file; the format follows the extension")->required();
    cmd->add_option("--slice", opts->slice, "Keep only this slice (third index axis), e.g. to write a 3D scan as PNG");
    cmd->add_flag("--rescale", opts->rescale, "Window intensities (0.5-99.5th percentile) to 0..255 uint8");
    cmd->add_option("--type", opts->type, "Cast pixels to uint8, int16, uint16, int32 or float32");
    cmd->callback([opts] {
        Image image = readImage(opts->input);
        if (opts->slice) {
            image = extractSlice(image, *opts->slice);
        }
        if (opts->rescale) {
            image = rescaleToUInt8(image);
        }
        if (!opts->type.empty()) {
            image = image.convertedTo(pixelTypeFromName(opts->type));
        }
        writeImage(image, opts->output);
        std::cout << "Wrote " << opts->output << " (" << image.size()[0] << " x " << image.size()[1] << " x "
                  << image.size()[2] << ", " << pixelTypeName(image.pixelType()) << ")\n";
    });
}

} // namespace strata::cli
