// The IDX reader (core/src/classify/IdxFile.cpp: MNIST / Fashion-MNIST files, plain or gzip).
// Contract: a bad file is IoError; an accepted file holds exactly the product of its dimensions in bytes (callers
// index the data by the dimensions).
#include "FuzzSupport.h"

#include <algorithm>
#include "strata/Error.h"
#include "strata/classify/IdxFile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = strata::fuzz::writeScratch("input.idx", strata::fuzz::asText(data, size));
    try {
        const auto idx = strata::classify::IdxFile::read(path);
        // The true product (saturated past 2^64; a zero dimension makes it 0).
        const unsigned __int128 big = static_cast<unsigned __int128>(1) << 64;
        unsigned __int128 count = 1;
        for (const auto d : idx.dims) count = std::min(count * d, big);
        FUZZ_CHECK(count == idx.data.size(), "the data does not hold the product of the dimensions");
    } catch (const strata::IoError&) {
    }
    return 0;
}
