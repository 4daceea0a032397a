#include "strata/Error.h"
#include "strata/quant/MarchingCubes.h"
#include "strata/quant/Mesh.h"
#include "strata/quant/MeshDecimation.h"
#include "strata/quant/MeshIO.h"
#include "strata/quant/MeshSampling.h"
#include "strata/quant/MeshSmoothing.h"
#include "unit/TestSupport.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>

using namespace strata;

namespace {

/// A ball of radius r (mm) on an anisotropic grid with an oblique direction and an origin.
Image ballMask(double r, Vec3 spacing, Mat3 direction = kIdentity3, Vec3 origin = {10, -20, 30})
{
    Size3 size{};
    for (std::size_t a = 0; a < 3; ++a) size[a] = static_cast<std::size_t>(std::ceil((2 * r + 4) / spacing[a]));
    Image mask(size, PixelType::UInt8);
    mask.setSpacing(spacing);
    mask.setDirection(direction);
    mask.setOrigin(origin);
    auto px = mask.pixels<std::uint8_t>();
    for (std::size_t k = 0; k < size[2]; ++k)
        for (std::size_t j = 0; j < size[1]; ++j)
            for (std::size_t i = 0; i < size[0]; ++i) {
                const double x = (static_cast<double>(i) - 0.5 * static_cast<double>(size[0] - 1)) * spacing[0] + 0.11;
                const double y = (static_cast<double>(j) - 0.5 * static_cast<double>(size[1] - 1)) * spacing[1] - 0.07;
                const double z = (static_cast<double>(k) - 0.5 * static_cast<double>(size[2] - 1)) * spacing[2] + 0.05;
                px[mask.linearIndex(i, j, k)] = x * x + y * y + z * z < r * r ? 1 : 0;
            }
    return mask;
}

std::string readAll(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

TEST(QuantMesh, SphereAreaVolumeAndWatertight)
{
    const double r = 8.0;
    const Image mask = ballMask(r, {0.4, 0.4, 0.7});
    quant::Mesh mesh = quant::marchingCubes(mask);
    ASSERT_FALSE(mesh.empty());
    EXPECT_TRUE(quant::isWatertight(mesh));
    quant::taubinSmooth(mesh, 20);
    EXPECT_TRUE(quant::isWatertight(mesh));
    const double area = quant::surfaceArea(mesh), volume = quant::enclosedVolume(mesh);
    const double trueArea = 4 * std::numbers::pi * r * r, trueVolume = 4.0 / 3.0 * std::numbers::pi * r * r * r;
    std::printf("sphere: area %.1f (true %.1f), volume %.1f (true %.1f), %zu triangles\n", area, trueArea, volume, trueVolume,
                mesh.triangles.size());
    EXPECT_NEAR(area / trueArea, 1.0, 0.04);
    EXPECT_NEAR(volume / trueVolume, 1.0, 0.04);
}

TEST(QuantMesh, PresmoothedSphereIsAccurate)
{
    const double r = 6.0;
    const Image mask = ballMask(r, {0.5, 0.5, 0.5});
    quant::SurfaceOptions options;
    options.presmoothSigmaMm = 0.5;
    const quant::Mesh mesh = quant::marchingCubes(mask, options);
    EXPECT_TRUE(quant::isWatertight(mesh));
    EXPECT_NEAR(quant::surfaceArea(mesh) / (4 * std::numbers::pi * r * r), 1.0, 0.04);
    EXPECT_NEAR(quant::enclosedVolume(mesh) / (4.0 / 3.0 * std::numbers::pi * r * r * r), 1.0, 0.04);
}

TEST(QuantMesh, AmbiguousCheckerboardStaysWatertight)
{
    // Random voxels: every ambiguous face configuration occurs.
    Image mask({12, 11, 10}, PixelType::UInt8);
    auto px = mask.pixels<std::uint8_t>();
    std::mt19937 rng(7);
    for (auto& v : px) v = rng() % 2;
    const quant::Mesh mesh = quant::marchingCubes(mask);
    EXPECT_TRUE(quant::isWatertight(mesh));
    EXPECT_GT(quant::enclosedVolume(mesh), 0.0);
}

TEST(QuantMesh, WorldCoordinatesFollowDirectionAndOrigin)
{
    const Mat3 dir = test::obliqueDirection(0.5);
    const Vec3 origin{10, -20, 30};
    const Image mask = ballMask(4.0, {0.5, 0.5, 0.5}, dir, origin);
    const quant::Mesh mesh = quant::marchingCubes(mask);
    const auto& s = mask.size();
    const Vec3 centre = mask.indexToWorld({0.5 * static_cast<double>(s[0] - 1), 0.5 * static_cast<double>(s[1] - 1),
                                           0.5 * static_cast<double>(s[2] - 1)});
    Vec3 mean{0, 0, 0};
    for (const auto& v : mesh.vertices)
        for (std::size_t a = 0; a < 3; ++a) mean[a] += v[a] / static_cast<double>(mesh.vertices.size());
    for (std::size_t a = 0; a < 3; ++a) EXPECT_NEAR(mean[a], centre[a], 0.3);
    EXPECT_GT(quant::enclosedVolume(mesh), 0.0); // still outward with a rotated frame
}

TEST(QuantMesh, DecimationReachesTarget)
{
    quant::Mesh mesh = quant::marchingCubes(ballMask(8.0, {0.4, 0.4, 0.4}));
    quant::taubinSmooth(mesh, 10);
    const double volume = quant::enclosedVolume(mesh);
    const quant::Mesh small = quant::decimate(mesh, 0.75);
    const double kept = static_cast<double>(small.triangles.size()) / static_cast<double>(mesh.triangles.size());
    EXPECT_NEAR(kept, 0.25, 0.05);
    EXPECT_NEAR(quant::enclosedVolume(small) / volume, 1.0, 0.05);
}

TEST(QuantMesh, FilesParseBack)
{
    test::TempDir dir;
    quant::Mesh mesh = quant::marchingCubes(ballMask(3.0, {0.5, 0.5, 0.5}));
    mesh.scalarName = "thickness_mm";
    mesh.scalars.resize(mesh.vertices.size());
    for (std::size_t i = 0; i < mesh.scalars.size(); ++i) mesh.scalars[i] = static_cast<float>(i % 7) * 0.5f;

    quant::writeMesh(mesh, dir / "m.stl");
    const quant::Mesh stl = quant::readStl(dir / "m.stl");
    EXPECT_EQ(stl.triangles.size(), mesh.triangles.size());
    EXPECT_EQ(std::filesystem::file_size(dir / "m.stl"), 84u + 50u * mesh.triangles.size());
    EXPECT_NEAR(quant::surfaceArea(stl), quant::surfaceArea(mesh), 1e-3);

    quant::writeMesh(mesh, dir / "m.ply");
    const quant::Mesh ply = quant::readPly(dir / "m.ply");
    EXPECT_EQ(ply.vertices, mesh.vertices);
    EXPECT_EQ(ply.triangles, mesh.triangles);
    EXPECT_EQ(ply.scalarName, "thickness_mm");
    EXPECT_EQ(ply.scalars, mesh.scalars);

    quant::writeMesh(mesh, dir / "m.vtp");
    const std::string vtp = readAll(dir / "m.vtp");
    EXPECT_EQ(vtp.rfind("<?xml", 0), 0u);
    EXPECT_NE(vtp.find("<VTKFile type=\"PolyData\""), std::string::npos);
    EXPECT_NE(vtp.find("NumberOfPoints=\"" + std::to_string(mesh.vertices.size()) + "\""), std::string::npos);
    EXPECT_NE(vtp.find("NumberOfPolys=\"" + std::to_string(mesh.triangles.size()) + "\""), std::string::npos);
    EXPECT_NE(vtp.find("<PointData Scalars=\"thickness_mm\">"), std::string::npos);
    EXPECT_NE(vtp.find("Name=\"connectivity\""), std::string::npos);
    EXPECT_NE(vtp.find("Name=\"offsets\""), std::string::npos);
    EXPECT_NE(vtp.find("</VTKFile>"), std::string::npos);
    // Balanced tags.
    for (const char* tag : {"VTKFile", "PolyData", "Piece", "Points", "Polys", "PointData"}) {
        std::size_t open = 0, close = 0;
        for (std::size_t p = 0; (p = vtp.find(std::string("<") + tag + ">", p)) != std::string::npos; ++p) ++open;
        for (std::size_t p = 0; (p = vtp.find(std::string("<") + tag + " ", p)) != std::string::npos; ++p) ++open;
        for (std::size_t p = 0; (p = vtp.find(std::string("</") + tag + ">", p)) != std::string::npos; ++p) ++close;
        EXPECT_EQ(open, close) << tag;
    }
    EXPECT_THROW(quant::writeMesh(mesh, dir / "m.obj"), InvalidArgument);
    EXPECT_THROW((void)quant::readPly(dir / "m.stl"), IoError);
}

TEST(QuantMesh, VertexScalarsSampledFromMap)
{
    const Image mask = ballMask(4.0, {0.5, 0.5, 0.5});
    Image map(mask.size(), PixelType::Float32);
    map.copyGeometryFrom(mask);
    auto m = map.pixels<float>();
    const auto px = mask.pixels<std::uint8_t>();
    for (std::size_t i = 0; i < m.size(); ++i) m[i] = px[i] ? 2.5f : 0.0f;
    quant::Mesh mesh = quant::marchingCubes(mask);
    quant::taubinSmooth(mesh, 5);
    quant::sampleVertexScalars(mesh, map, "thickness_mm");
    ASSERT_EQ(mesh.scalars.size(), mesh.vertices.size());
    for (float s : mesh.scalars) ASSERT_FLOAT_EQ(s, 2.5f);
}
