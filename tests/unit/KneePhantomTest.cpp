#include "TestSupport.h"

#include "strata/Error.h"
#include "strata/ImageIO.h"
#include "strata/phantom/KneeLabels.h"
#include "strata/phantom/KneePhantom.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <vector>

using namespace strata;
using namespace strata::phantom;

namespace {

constexpr std::array<const char*, 4> kPlates{"femoral_cartilage", "medial_tibial_cartilage", "lateral_tibial_cartilage",
                                             "patellar_cartilage"};
constexpr Mat3 kSagittal{0, 0, -1, 1, 0, 0, 0, -1, 0};

/// A small, fast case: the whole knee at half the default resolution.
KneePhantomParams smallParams(std::uint64_t seed)
{
    KneePhantomParams p;
    p.seed = seed;
    p.size = {128, 128, 80};
    p.spacing = {0.8, 0.8, 1.4};
    return p;
}

const KneePhantomCase& smallCase()
{
    static const KneePhantomCase c = generateKneePhantom(smallParams(7));
    return c;
}

bool sameBytes(const Image& a, const Image& b)
{
    return a.byteCount() == b.byteCount() && std::memcmp(a.data(), b.data(), a.byteCount()) == 0;
}

double median(std::vector<double> v)
{
    if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
}

/// Independent thickness estimate from the label map alone: from every bone voxel touching the plate,
/// march along the bone's outward normal (gradient of the locally averaged bone mask) in 0.05 mm steps
/// and add up the path length that lies in plate voxels (nearest-neighbour lookup). Returns the mean.
double measuredThickness(const LabelMap& labels, int bone, int plate)
{
    const Image& im = labels.image();
    const auto ids = labels.ids();
    const auto [nx, ny, nz] = im.size();
    const Vec3 sp = im.spacing();
    const auto at = [&](long i, long j, long k) -> int {
        if (i < 0 || j < 0 || k < 0 || i >= static_cast<long>(nx) || j >= static_cast<long>(ny) || k >= static_cast<long>(nz))
            return -1;
        return ids[im.linearIndex(static_cast<std::size_t>(i), static_cast<std::size_t>(j), static_cast<std::size_t>(k))];
    };
    double sum = 0;
    std::size_t rays = 0;
    for (long k = 2; k + 2 < static_cast<long>(nz); ++k)
        for (long j = 2; j + 2 < static_cast<long>(ny); ++j)
            for (long i = 2; i + 2 < static_cast<long>(nx); ++i) {
                if (at(i, j, k) != bone) continue;
                if (at(i + 1, j, k) != plate && at(i - 1, j, k) != plate && at(i, j + 1, k) != plate &&
                    at(i, j - 1, k) != plate && at(i, j, k + 1) != plate && at(i, j, k - 1) != plate)
                    continue;
                // Outward normal: minus the gradient of the bone indicator averaged over 5x5x5 voxels.
                std::array<double, 3> g{0, 0, 0};
                for (long c = -2; c <= 2; ++c)
                    for (long b = -2; b <= 2; ++b)
                        for (long a = -2; a <= 2; ++a) {
                            if (at(i + a, j + b, k + c) != bone) continue;
                            g[0] -= static_cast<double>(a) / sp[0];
                            g[1] -= static_cast<double>(b) / sp[1];
                            g[2] -= static_cast<double>(c) / sp[2];
                        }
                const double len = std::sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
                if (len == 0) continue;
                double inside = 0;
                for (double s = 0; s < 8.0; s += 0.05) {
                    const double x = static_cast<double>(i) + s * g[0] / len / sp[0];
                    const double y = static_cast<double>(j) + s * g[1] / len / sp[1];
                    const double z = static_cast<double>(k) + s * g[2] / len / sp[2];
                    if (at(std::lround(x), std::lround(y), std::lround(z)) == plate) inside += 0.05;
                }
                sum += inside;
                ++rays;
            }
    return rays ? sum / static_cast<double>(rays) : 0.0;
}

} // namespace

TEST(KneePhantom, LabelTableNamesEveryLabelWithDistinctColours)
{
    const LabelTable table = kneeLabelTable();
    ASSERT_EQ(table.size(), static_cast<std::size_t>(KneeLabelCount));
    EXPECT_EQ(table.find(FemoralCartilage)->name, "femoral_cartilage");
    EXPECT_EQ(table.find(MedialTibialCartilage)->name, "medial_tibial_cartilage");
    EXPECT_EQ(table.find(LateralMeniscus)->name, "lateral_meniscus");
    EXPECT_EQ(table.find(SubcutaneousFat)->name, "subcutaneous_fat");
    for (std::size_t a = 0; a < table.size(); ++a)
        for (std::size_t b = a + 1; b < table.size(); ++b) EXPECT_NE(table.labels()[a].rgba, table.labels()[b].rgba);
}

TEST(KneePhantom, SameSeedGivesIdenticalOutputWhateverTheThreadCount)
{
    KneePhantomParams p = smallParams(11);
    p.size = {96, 96, 60};
    p.spacing = {1.07, 1.07, 1.87};
    p.threads = 1;
    const KneePhantomCase a = generateKneePhantom(p);
    p.threads = 3;
    const KneePhantomCase b = generateKneePhantom(p);
    EXPECT_TRUE(sameBytes(a.image, b.image));
    EXPECT_TRUE(sameBytes(a.labels.image(), b.labels.image()));
    EXPECT_EQ(a.groundTruth.dump(), b.groundTruth.dump());

    p.seed = 12;
    const KneePhantomCase c = generateKneePhantom(p);
    EXPECT_FALSE(sameBytes(a.image, c.image));
    EXPECT_FALSE(sameBytes(a.labels.image(), c.labels.image()));
    EXPECT_NE(a.groundTruth["parameters"]["scale"], c.groundTruth["parameters"]["scale"]);
}

TEST(KneePhantom, GeometryIsASagittalAcquisitionCentredOnTheWorldOrigin)
{
    const KneePhantomCase& c = smallCase();
    for (const Image* im : {&c.image, &c.labels.image()}) {
        EXPECT_EQ(im->size(), (Size3{128, 128, 80}));
        EXPECT_EQ(im->spacing(), (Vec3{0.8, 0.8, 1.4}));
        for (std::size_t e = 0; e < 9; ++e) EXPECT_NEAR(im->direction()[e], kSagittal[e], 1e-12);
        const Vec3 centre = im->indexToWorld({63.5, 63.5, 39.5});
        for (const double v : centre) EXPECT_NEAR(v, 0.0, 1e-9);
    }
    EXPECT_EQ(c.image.pixelType(), PixelType::UInt16);
    EXPECT_EQ(c.labels.image().pixelType(), PixelType::UInt8);
    const auto& geometry = c.groundTruth["geometry"];
    EXPECT_EQ(geometry["size"], nlohmann::json({128, 128, 80}));
    EXPECT_EQ(geometry["direction"], nlohmann::json(kSagittal));
    for (std::size_t a = 0; a < 3; ++a) EXPECT_DOUBLE_EQ(geometry["origin"][a].get<double>(), c.image.origin()[a]);
}

TEST(KneePhantom, GroundTruthVolumesAreTheLabelCounts)
{
    const KneePhantomCase& c = smallCase();
    const auto& gt = c.groundTruth;
    EXPECT_EQ(gt["generator"], "strata-knee-phantom");
    EXPECT_EQ(gt["version"], 1);
    EXPECT_EQ(gt["seed"], 7);
    EXPECT_EQ(gt["labels"].size(), static_cast<std::size_t>(KneeLabelCount));
    std::array<std::size_t, KneeLabelCount> counts{};
    for (const std::uint8_t id : c.labels.ids()) {
        ASSERT_LT(id, KneeLabelCount);
        ++counts[id];
    }
    const double voxelVolume = 0.8 * 0.8 * 1.4;
    const LabelTable table = kneeLabelTable();
    for (const auto& label : table.labels()) {
        SCOPED_TRACE(label.name);
        const auto n = counts[static_cast<std::size_t>(label.id)];
        EXPECT_GT(n, 0u) << "every knee label is present";
        EXPECT_EQ(gt["voxel_counts"][label.name].get<std::size_t>(), n);
        EXPECT_EQ(gt["volumes_mm3"][label.name].get<double>(), static_cast<double>(n) * voxelVolume);
    }
    const auto volume = [&](const char* name) { return gt["volumes_mm3"][name].get<double>(); };
    EXPECT_GT(volume("femoral_cartilage"), 3000.0);
    EXPECT_LT(volume("femoral_cartilage"), 15000.0);
    for (const char* plate : {"medial_tibial_cartilage", "lateral_tibial_cartilage"}) {
        EXPECT_GT(volume(plate), 300.0) << plate;
        EXPECT_LT(volume(plate), 3000.0) << plate;
    }
    EXPECT_GT(volume("patellar_cartilage"), 800.0);
    EXPECT_LT(volume("patellar_cartilage"), 6000.0);
    for (const char* meniscus : {"medial_meniscus", "lateral_meniscus"}) {
        EXPECT_GT(volume(meniscus), 300.0) << meniscus;
        EXPECT_LT(volume(meniscus), 4000.0) << meniscus;
    }
    EXPECT_GT(volume("femur"), volume("patella"));
    EXPECT_GT(volume("tibia"), volume("patella"));
    EXPECT_GT(volume("joint_fluid"), 500.0);
}

TEST(KneePhantom, TrueThicknessLiesInTheStatedRange)
{
    const auto& thickness = smallCase().groundTruth["thickness_mm"];
    for (const char* plate : kPlates) {
        SCOPED_TRACE(plate);
        const auto& t = thickness[plate];
        EXPECT_GT(t["samples"].get<std::size_t>(), 1000u);
        EXPECT_GE(t["min"].get<double>(), 1.5);
        EXPECT_LE(t["max"].get<double>(), 3.5);
        EXPECT_GT(t["mean"].get<double>(), 1.7);
        EXPECT_LT(t["mean"].get<double>(), 3.3);
        EXPECT_LE(t["min"].get<double>(), t["p05"].get<double>());
        EXPECT_LE(t["p05"].get<double>(), t["median"].get<double>());
        EXPECT_LE(t["median"].get<double>(), t["p95"].get<double>());
        EXPECT_LE(t["p95"].get<double>(), t["max"].get<double>());
        EXPECT_GE(t["sd"].get<double>(), 0.0);
    }
}

TEST(KneePhantom, LabelsCarryTheTrueThickness)
{
    // Isotropic 0.6 mm grid, knee not rotated: measure the plates from the labels alone.
    KneePhantomParams p;
    p.seed = 5;
    p.size = {168, 168, 128};
    p.spacing = {0.6, 0.6, 0.6};
    p.maxRotationDeg = 0;
    p.maxTranslationMm = 0;
    const KneePhantomCase c = generateKneePhantom(p);
    const struct {
        int bone, plate;
        const char* name;
    } plates[] = {{Femur, FemoralCartilage, "femoral_cartilage"},
                  {Tibia, MedialTibialCartilage, "medial_tibial_cartilage"},
                  {Tibia, LateralTibialCartilage, "lateral_tibial_cartilage"},
                  {Patella, PatellarCartilage, "patellar_cartilage"}};
    for (const auto& plate : plates) {
        const double truth = c.groundTruth["thickness_mm"][plate.name]["mean"].get<double>();
        const double measured = measuredThickness(c.labels, plate.bone, plate.plate);
        EXPECT_NEAR(measured, truth, 0.15 * truth) << plate.name;
        RecordProperty(std::string(plate.name) + "_truth_mm", std::to_string(truth));
        RecordProperty(std::string(plate.name) + "_measured_mm", std::to_string(measured));
    }
}

TEST(KneePhantom, IntensitiesFollowDessContrast)
{
    const KneePhantomCase& c = smallCase();
    const auto px = c.image.pixels<std::uint16_t>();
    const auto ids = c.labels.ids();
    std::map<int, std::vector<double>> values;
    for (std::size_t i = 0; i < px.size(); ++i) values[ids[i]].push_back(px[i]);
    std::vector<double> cartilage;
    for (const int plate : {FemoralCartilage, MedialTibialCartilage, LateralTibialCartilage, PatellarCartilage})
        cartilage.insert(cartilage.end(), values[plate].begin(), values[plate].end());
    std::vector<double> menisci = values[MedialMeniscus];
    menisci.insert(menisci.end(), values[LateralMeniscus].begin(), values[LateralMeniscus].end());
    const double fluid = median(values[JointFluid]);
    const double cart = median(cartilage);
    const double muscle = median(values[Muscle]);
    const double meniscus = median(menisci);
    EXPECT_GT(fluid, cart);
    EXPECT_GT(cart, muscle);
    EXPECT_GT(muscle, meniscus);
    EXPECT_GT(cart, 1000.0);
    EXPECT_LT(cart, 2000.0);
    EXPECT_LT(median(values[Background]), 0.2 * cart);
}

TEST(KneePhantom, LeftKneeIsTheMirrorImage)
{
    KneePhantomParams p = smallParams(3);
    p.maxRotationDeg = 0;
    p.maxTranslationMm = 0;
    const auto medialX = [](const KneePhantomCase& c) {
        const Image& im = c.labels.image();
        const auto ids = c.labels.ids();
        double sum = 0;
        std::size_t n = 0;
        for (std::size_t k = 0; k < im.size()[2]; ++k)
            for (std::size_t j = 0; j < im.size()[1]; ++j)
                for (std::size_t i = 0; i < im.size()[0]; ++i)
                    if (ids[im.linearIndex(i, j, k)] == MedialTibialCartilage) {
                        sum += im.indexToWorld({static_cast<double>(i), static_cast<double>(j), static_cast<double>(k)})[0];
                        ++n;
                    }
        return sum / static_cast<double>(n);
    };
    const KneePhantomCase right = generateKneePhantom(p);
    p.rightKnee = false;
    const KneePhantomCase left = generateKneePhantom(p);
    // LPS: +x is the patient's left, so the medial side of a right knee is at +x.
    EXPECT_GT(medialX(right), 5.0);
    EXPECT_LT(medialX(left), -5.0);
    EXPECT_EQ(left.groundTruth["parameters"]["side"], "left");
}

TEST(KneePhantom, InvalidParametersThrowInvalidArgument)
{
    const auto expectInvalid = [](KneePhantomParams p) { EXPECT_THROW(generateKneePhantom(p), InvalidArgument); };
    KneePhantomParams p = smallParams(1);
    p.size = {0, 128, 80};
    expectInvalid(p);
    p = smallParams(1);
    p.size = {128, 1025, 80};
    expectInvalid(p);
    p = smallParams(1);
    p.spacing = {0.8, 0.0, 1.4};
    expectInvalid(p);
    p = smallParams(1);
    p.snr = 0;
    expectInvalid(p);
    p = smallParams(1);
    p.snr = std::numeric_limits<double>::quiet_NaN();
    expectInvalid(p);
    p = smallParams(1);
    p.biasStrength = -0.1;
    expectInvalid(p);
    p = smallParams(1);
    p.blurSigmaMm = -1;
    expectInvalid(p);
    p = smallParams(1);
    p.maxRotationDeg = 90;
    expectInvalid(p);
    try {
        p = smallParams(1);
        p.snr = -2;
        (void)generateKneePhantom(p);
        FAIL() << "expected InvalidArgument";
    } catch (const InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("snr"), std::string::npos) << e.what();
    }
}

TEST(KneePhantom, WritesImageLabelsAndGroundTruth)
{
    KneePhantomParams p = smallParams(9);
    p.size = {64, 64, 40};
    p.spacing = {1.6, 1.6, 2.8};
    const KneePhantomCase c = generateKneePhantom(p);
    test::TempDir tmp;
    const auto dir = tmp / "case";
    writeKneePhantom(c, dir);
    for (const char* name : {"image.nii.gz", "labels.nii.gz", "ground_truth.json"})
        EXPECT_TRUE(std::filesystem::is_regular_file(dir / name)) << name;
    std::ifstream file(dir / "ground_truth.json");
    const nlohmann::json gt = nlohmann::json::parse(file);
    EXPECT_EQ(gt, c.groundTruth);

    const Image image = readImage(dir / "image.nii.gz");
    EXPECT_EQ(image.size(), c.image.size());
    EXPECT_TRUE(image.sameGeometry(c.image));
    EXPECT_TRUE(sameBytes(image.convertedTo(PixelType::UInt16), c.image));
    const LabelMap labels = readLabelMap(dir / "labels.nii.gz");
    EXPECT_TRUE(sameBytes(labels.image().convertedTo(PixelType::UInt8), c.labels.image()));
    EXPECT_EQ(labels.table().findByName("femoral_cartilage")->id, FemoralCartilage);
}

TEST(KneePhantom, DefaultFullSizeCase)
{
    const auto start = std::chrono::steady_clock::now();
    const KneePhantomCase c = generateKneePhantom(KneePhantomParams{});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    RecordProperty("generation_seconds", std::to_string(seconds));
    EXPECT_EQ(c.image.size(), (Size3{256, 256, 160}));
    EXPECT_EQ(c.image.spacing(), (Vec3{0.4, 0.4, 0.7}));
    EXPECT_LT(seconds, 60.0) << "a full-size case should take a few seconds";
    for (const char* plate : kPlates) EXPECT_GT(c.groundTruth["voxel_counts"][plate].get<std::size_t>(), 1000u) << plate;
}

TEST(KneePhantom, CliWritesACaseAndRejectsBadOptions)
{
    test::TempDir tmp;
    const auto out = tmp / "cli";
    const auto [rc, output] = test::run(std::string(STRATA_CLI_PATH) + " phantom --seed 4 --out " + out.string() +
                                        " --size 64 64 40 --spacing 1.6 1.6 2.8 --snr 30 --left");
    EXPECT_EQ(rc, 0) << output;
    EXPECT_TRUE(std::filesystem::is_regular_file(out / "image.nii.gz")) << output;
    EXPECT_TRUE(std::filesystem::is_regular_file(out / "ground_truth.json")) << output;
    EXPECT_NE(output.find("femoral_cartilage"), std::string::npos) << output;

    const auto [badRc, badOutput] =
        test::run(std::string(STRATA_CLI_PATH) + " phantom --seed 4 --out " + out.string() + " --snr 0");
    EXPECT_NE(badRc, 0);
    EXPECT_NE(badOutput.find("snr"), std::string::npos) << badOutput;
    const auto [zeroRc, zeroOutput] =
        test::run(std::string(STRATA_CLI_PATH) + " phantom --out " + out.string() + " --size 0 10 10");
    EXPECT_NE(zeroRc, 0);
    EXPECT_NE(zeroOutput.find("size"), std::string::npos) << zeroOutput;
}

// The truth's bone-surface area and mean thickness agree with the labels: for the flat tibial plateau,
// area x mean thickness = plate volume. Seed 900002 once had its plateau area counted twice (a sampling plane
// lay exactly on the plateau).
TEST(KneePhantom, TibialTruthAreaTimesThicknessIsThePlateVolume)
{
    KneePhantomParams p;
    p.seed = 900002;
    const KneePhantomCase c = generateKneePhantom(p);
    for (const char* name : {"medial_tibial_cartilage", "lateral_tibial_cartilage"}) {
        const auto& t = c.groundTruth["thickness_mm"][name];
        const double volume = c.groundTruth["volumes_mm3"][name].get<double>();
        EXPECT_NEAR(t["area_mm2"].get<double>() * t["mean"].get<double>() / volume, 1.0, 0.05) << name;
    }
}
