// The binary PLY and STL mesh readers (core/src/quant/MeshIO.cpp): result bundles downloaded from a server carry
// PLY meshes, so their bytes come from outside.
// Contract: a bad file is IoError; memory stays in proportion to the file (a 100-byte header may not make the
// reader allocate gigabytes); every face of an accepted mesh refers to existing vertices.
#include "FuzzSupport.h"
#include "strata/Error.h"
#include "strata/quant/MeshIO.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1) return 0;
    const bool ply = data[0] & 1;
    const auto path = strata::fuzz::writeScratch(ply ? "mesh.ply" : "mesh.stl", strata::fuzz::asText(data + 1, size - 1));
    try {
        const auto mesh = ply ? strata::quant::readPly(path) : strata::quant::readStl(path);
        for (const auto& t : mesh.triangles)
            for (const auto i : t) FUZZ_CHECK(i < mesh.vertices.size(), "a face refers to a missing vertex");
        FUZZ_CHECK(mesh.scalars.empty() || mesh.scalars.size() == mesh.vertices.size(), "scalars per vertex");
        FUZZ_CHECK(12 * mesh.vertices.size() <= size + 12 * 3, "more vertices than the file holds");
    } catch (const strata::IoError&) {
    }
    return 0;
}
