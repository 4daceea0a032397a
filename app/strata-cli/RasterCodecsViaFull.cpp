// The light strata-cli links strata_io without its OpenCV codecs (strata/io/RasterCodecs.h): a command that
// reads or writes PNG, JPEG, TIFF, BMP or a video becomes strata-cli-full, with the same arguments, at the
// point it needs them (before it has written anything).
#include "cli/FullCli.h"
#include "strata/io/RasterCodecs.h"

namespace strata::io {

const RasterCodecs& rasterCodecs()
{
    cli::execFullCli();
}

} // namespace strata::io
