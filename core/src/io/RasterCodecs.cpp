#include "strata/io/RasterCodecs.h"

#include "io/OpenCvImageIO.h"
#include "io/VideoFrames.h"

namespace strata::io {

const RasterCodecs& rasterCodecs()
{
    static const RasterCodecs codecs{&readWithOpenCv, &writeWithOpenCv, &readVideoFrames};
    return codecs;
}

} // namespace strata::io
