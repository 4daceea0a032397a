// Issue 17, part 3: the knee model on the independent test family (tests/independent): knees built from other
// geometry primitives (swept-circle condyles, a height-field plateau, a superquadric patella, wedge-ring menisci)
// and rendered through a relaxation-time tissue model in four protocols the model never saw in training (PD and T2
// fat-saturated, T1 spin echo, a DESS-like GRE), in three slice orientations, both sides, stored in seed-drawn axis
// orders. Everything runs through strata-cli as a user would: `run knee IMAGE -p side=<true side>` for the network,
// and `run knee IMAGE --labels TRUTH --label-map strata` on the truth to get the truth's thickness the same way.
//
// The table this prints (Dice per structure, volume error, per-plate mean thickness error, QC verdict, runtime) is
// the model's honest accuracy; it goes into models/knee/model.json (accuracy.independent) and models/knee/README.md.
// The targets the model is to be trained to meet (issue 17: bones Dice >= 0.95, cartilage plates >= 0.85, menisci
// >= 0.80, cartilage volume error <= 10 %, plate thickness error <= 0.3 mm, 3 mm sagittal mean Dice >= 0.75) are
// NOT asserted here: the committed model, trained on one generator's DESS-like phantoms only, does not meet them.
// The assertions are regression floors only: every case runs, quality control gives a verdict (not_a_knee, exit
// code 4, is a legitimate answer), the side is the one passed, the figures are numbers.
//
// Set STRATA_INDEPENDENT_KNEE_RESULTS=/path/results.json to keep the table as JSON (for the model card), and
// STRATA_CLI=/path/strata-cli to measure another build's strata-cli.
#include "TestSupport.h"
#include "independent/IndependentKneeGenerator.h"
#include "independent/Tissue.h"
#include "strata/ImageIO.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

using namespace strata;
using namespace strata::testing::indep;
using nlohmann::json;

namespace {

struct CaseSpec {
    const char* name;
    std::uint64_t seed;
    Contrast contrast;
    SliceOrientation orientation;
    double inPlaneMm, sliceMm;
    bool right;
};

// Six fixed cases; field of view 100 x 100 x 108 mm (L, P, S) keeps each network pass near the training size.
constexpr CaseSpec kCases[] = {
    {"pdfs-sag-right-0.7mm", 1701, Contrast::PdFatSat, SliceOrientation::Sagittal, 0.4, 0.7, true},
    {"t2fs-cor-left-1.0mm", 1702, Contrast::T2FatSat, SliceOrientation::Coronal, 0.45, 1.0, false},
    {"t1-ax-right-1.5mm", 1703, Contrast::T1, SliceOrientation::Axial, 0.5, 1.5, true},
    {"dess-sag-right-3mm", 1704, Contrast::Dess, SliceOrientation::Sagittal, 0.4, 3.0, true},
    // The trained contrast and geometry (sagittal DESS-like, the model's spacing): what is left is the family.
    {"dess-sag-right-0.7mm", 1705, Contrast::Dess, SliceOrientation::Sagittal, 0.4, 0.7, true},
    // The same knee as a left knee (mirrored anatomy, same seed: only the bias field and noise fall differently).
    {"dess-sag-left-0.7mm", 1705, Contrast::Dess, SliceOrientation::Sagittal, 0.4, 0.7, false},
};

constexpr const char* kPlates[] = {"femoral_cartilage", "medial_tibial_cartilage", "lateral_tibial_cartilage",
                                   "patellar_cartilage"};

std::string quote(const std::filesystem::path& p)
{
    return "'" + p.string() + "'";
}

struct Overlap {
    double a{0}, b{0}, both{0};
    double dice() const { return a + b > 0 ? 2 * both / (a + b) : 1.0; }
    double volumeErrorPercent() const { return b > 0 ? 100.0 * (a - b) / b : 0.0; }
};

IndependentKneeGenerator::Settings settingsOf(const CaseSpec& c)
{
    IndependentKneeGenerator::Settings s;
    s.seed = c.seed;
    s.contrast = c.contrast;
    s.acquisition.orientation = c.orientation;
    s.acquisition.inPlaneMm = c.inPlaneMm;
    s.acquisition.sliceMm = c.sliceMm;
    s.acquisition.rightKnee = c.right;
    s.acquisition.fovMm = {100, 100, 108};
    return s;
}

json runCase(const CaseSpec& c, const test::TempDir& dir)
{
    const IndependentKneeGenerator::Settings s = settingsOf(c);
    const auto t0 = std::chrono::steady_clock::now();
    const IndependentKneeCase k = IndependentKneeGenerator::generate(s);
    const double genSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto caseDir = dir / c.name;
    std::filesystem::create_directories(caseDir);
    writeImage(k.image, caseDir / "image.nii.gz");
    writeImage(k.labels, caseDir / "labels.nii.gz");
    const std::string side = c.right ? "right" : "left";

    const char* cliEnv = std::getenv("STRATA_CLI"); // another strata-cli build to measure (default: this build's)
    const std::string cli = cliEnv && *cliEnv ? cliEnv : STRATA_CLI_PATH;
    const auto net = caseDir / "net", given = caseDir / "truth";
    const auto t1 = std::chrono::steady_clock::now();
    const auto [netRc, netOut] = test::run(cli + " run knee " + quote(caseDir / "image.nii.gz") + " --out " + quote(net) +
                                           " --device cpu -q -p side=" + side + " -p meshes=false");
    const double netSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    const auto [truthRc, truthOut] =
        test::run(cli + " run knee " + quote(caseDir / "image.nii.gz") + " --labels " + quote(caseDir / "labels.nii.gz") +
                  " --label-map strata --out " + quote(given) + " -q -p side=" + side + " -p meshes=false");

    json r = {{"case", c.name},
              {"seed", c.seed},
              {"contrast", contrastName(c.contrast)},
              {"orientation", orientationName(c.orientation)},
              {"side", side},
              {"in_plane_mm", c.inPlaneMm},
              {"slice_mm", c.sliceMm},
              {"stored_axes", k.truth["acquisition"]["stored_axes"]},
              {"size", k.image.size()},
              {"snr_cartilage", k.truth["snr_cartilage"]},
              {"flexion_deg", k.truth["anatomy"]["flexion_deg"]},
              {"generation_seconds", genSeconds},
              {"pipeline_seconds", netSeconds},
              {"exit_code", netRc}};
    EXPECT_TRUE(netRc == 0 || netRc == 4) << c.name << ": strata-cli run knee exited " << netRc << ":\n" << netOut;
    EXPECT_EQ(truthRc, 0) << c.name << ": measuring the truth labels failed:\n" << truthOut;
    if (!std::filesystem::exists(net / "segmentation.nii.gz") || !std::filesystem::exists(net / "metrics.json")) {
        ADD_FAILURE() << c.name << ": no segmentation / metrics in the bundle";
        return r;
    }
    const Image seg = readImage(net / "segmentation.nii.gz");
    EXPECT_TRUE(seg.sameGeometry(k.labels, 1e-4)) << c.name << ": the segmentation must keep the input's grid";
    if (seg.size() != k.labels.size()) return r;
    const Image segU8 = seg.pixelType() == PixelType::UInt8 ? seg : seg.convertedTo(PixelType::UInt8);

    // Dice and volume error from the label images (available whatever the verdict).
    std::array<Overlap, LabelCount> per{};
    Overlap tibialCartilage, menisci;
    const auto x = segU8.pixels<std::uint8_t>(), y = k.labels.pixels<std::uint8_t>();
    for (std::size_t i = 0; i < x.size(); ++i) {
        const int a = x[i] < LabelCount ? x[i] : 0, b = y[i];
        per[static_cast<std::size_t>(a)].a += 1;
        per[static_cast<std::size_t>(b)].b += 1;
        if (a == b) per[static_cast<std::size_t>(a)].both += 1;
        const bool ta = a == MedialTibialCartilage || a == LateralTibialCartilage;
        const bool tb = b == MedialTibialCartilage || b == LateralTibialCartilage;
        tibialCartilage.a += ta, tibialCartilage.b += tb, tibialCartilage.both += ta && tb;
        const bool ma = a == MedialMeniscus || a == LateralMeniscus, mb = b == MedialMeniscus || b == LateralMeniscus;
        menisci.a += ma, menisci.b += mb, menisci.both += ma && mb;
    }
    json dice = json::object(), volErr = json::object();
    double meanDice = 0;
    for (int l = 1; l < LabelCount; ++l) {
        const auto name = std::string(kLabelNames[static_cast<std::size_t>(l)]);
        const Overlap& o = per[static_cast<std::size_t>(l)];
        EXPECT_TRUE(std::isfinite(o.dice()) && o.dice() >= 0 && o.dice() <= 1) << c.name << " " << name;
        dice[name] = std::round(o.dice() * 1e4) / 1e4;
        volErr[name] = std::round(o.volumeErrorPercent() * 10) / 10;
        meanDice += o.dice() / 9.0;
    }
    // Floor: the bones are found where they are (an orientation or side regression would lose them). Measured
    // 2026-12-07: femur 0.58-0.82, tibia 0.54-0.73.
    EXPECT_GT(per[Femur].dice(), 0.3) << c.name;
    EXPECT_GT(per[Tibia].dice(), 0.3) << c.name;
    dice["tibial_cartilage"] = std::round(tibialCartilage.dice() * 1e4) / 1e4;
    dice["menisci"] = std::round(menisci.dice() * 1e4) / 1e4;
    volErr["tibial_cartilage"] = std::round(tibialCartilage.volumeErrorPercent() * 10) / 10;
    volErr["menisci"] = std::round(menisci.volumeErrorPercent() * 10) / 10;
    r["dice"] = dice;
    r["mean_dice"] = std::round(meanDice * 1e4) / 1e4;
    r["volume_error_percent"] = volErr;

    const json m = json::parse(std::ifstream(net / "metrics.json"));
    const json q = m.value("quality", json::object());
    r["verdict"] = q.value("verdict", "");
    r["quality_reasons"] = q.value("reasons", json::array());
    EXPECT_FALSE(r["verdict"].get<std::string>().empty()) << c.name << ": no quality verdict";
    EXPECT_EQ(m.value("side", ""), side) << c.name;
    EXPECT_EQ(m.value("side_source", ""), "parameter") << c.name;
    if (std::filesystem::exists(given / "metrics.json")) {
        const json t = json::parse(std::ifstream(given / "metrics.json"));
        r["truth_verdict"] = t["quality"].value("verdict", "");
        EXPECT_NE(r["truth_verdict"], "not_a_knee") << c.name << ": quality control must accept the truth labels";
        json thick = json::object();
        for (const char* plate : kPlates) {
            const auto tv = t["thickness_mm"][plate];
            const auto nv = m.contains("thickness_mm") ? m["thickness_mm"][plate] : json();
            json e = {{"truth_mean_mm", tv.is_object() ? tv.value("mean", 0.0) : 0.0}};
            if (nv.is_object() && tv.is_object()) {
                e["model_mean_mm"] = nv.value("mean", 0.0);
                e["error_mm"] = std::round((nv.value("mean", 0.0) - tv.value("mean", 0.0)) * 1000) / 1000;
            } else {
                e["model_mean_mm"] = nullptr; // withheld (not_a_knee) or the plate was not found
                e["error_mm"] = nullptr;
            }
            thick[plate] = e;
        }
        r["thickness"] = thick;
    }
    return r;
}

void printRow(const json& r)
{
    std::cout << "[ indep    ] " << r["case"].get<std::string>() << " (stored " << r["stored_axes"].get<std::string>()
              << ", " << r["size"].dump() << ", SNR " << std::round(r["snr_cartilage"].get<double>()) << ", flexion "
              << std::round(r["flexion_deg"].get<double>()) << " deg): verdict " << r.value("verdict", "?")
              << ", mean Dice " << r.value("mean_dice", 0.0) << ", " << std::round(r["pipeline_seconds"].get<double>())
              << " s\n";
    if (!r.contains("dice")) return;
    std::cout << "[ indep    ]   Dice:";
    for (const auto& [k, v] : r["dice"].items()) std::cout << ' ' << k << ' ' << v;
    std::cout << "\n[ indep    ]   volume error %:";
    for (const auto& [k, v] : r["volume_error_percent"].items()) std::cout << ' ' << k << ' ' << v;
    if (r.contains("thickness")) {
        std::cout << "\n[ indep    ]   thickness error mm (truth mean):";
        for (const auto& [k, v] : r["thickness"].items()) std::cout << ' ' << k << ' ' << v["error_mm"] << " (" << v["truth_mean_mm"] << ")";
    }
    std::cout << std::endl;
}

} // namespace

TEST(KneeIndependentFamilySlow, HonestAccuracyTable)
{
    test::TempDir dir;
    json cases = json::array();
    for (const auto& c : kCases) {
        const json r = runCase(c, dir);
        printRow(r);
        cases.push_back(r);
    }
    // Means over the cases.
    json mean = json::object(), meanVol = json::object(), meanThick = json::object();
    const json keys = cases[0].value("dice", json::object());
    for (const auto& key : keys.items()) {
        double s = 0, v = 0;
        int n = 0;
        for (const auto& r : cases) {
            if (!r.contains("dice")) continue;
            s += r["dice"][key.key()].get<double>();
            v += std::abs(r["volume_error_percent"][key.key()].get<double>());
            ++n;
        }
        if (n) mean[key.key()] = std::round(s / n * 1e4) / 1e4, meanVol[key.key()] = std::round(v / n * 10) / 10;
    }
    for (const char* plate : kPlates) {
        double s = 0;
        int n = 0;
        for (const auto& r : cases) {
            if (r.contains("thickness") && r["thickness"][plate]["error_mm"].is_number()) {
                s += std::abs(r["thickness"][plate]["error_mm"].get<double>());
                ++n;
            }
        }
        meanThick[plate] = n ? json(std::round(s / n * 1000) / 1000) : json();
    }
    const json out = {{"cases", cases},
                      {"mean_dice", mean},
                      {"mean_abs_volume_error_percent", meanVol},
                      {"mean_abs_thickness_error_mm", meanThick}};
    std::cout << "[ indep    ] mean Dice " << mean.dump() << "\n[ indep    ] mean |volume error| % " << meanVol.dump()
              << "\n[ indep    ] mean |thickness error| mm " << meanThick.dump() << std::endl;
    if (const char* path = std::getenv("STRATA_INDEPENDENT_KNEE_RESULTS")) std::ofstream(path) << out.dump(2) << '\n';
}

// Issue 16, item 2: with side=auto on a NIfTI (nothing says which knee it is), the side comes from the tibial plates
// (knee/SideEvidence.h) only when they look like plates; a side the anatomy decides must be the true one, otherwise
// the result says it assumed the model's side. With model 1.3 the raw plates of this family are implausible (35-4085
// mm2 seen from above), so both cases are "assumed" today; a better model must get the side right or keep saying so.
TEST(KneeIndependentFamilySlow, SideAutoIsRightOrSaysItWasAssumed)
{
    test::TempDir dir;
    const char* cliEnv = std::getenv("STRATA_CLI");
    const std::string cli = cliEnv && *cliEnv ? cliEnv : STRATA_CLI_PATH;
    for (const auto& c : {kCases[1], kCases[4]}) { // a left coronal T2 fat-sat, a right sagittal DESS
        const auto caseDir = dir / c.name;
        std::filesystem::create_directories(caseDir);
        writeImage(IndependentKneeGenerator::generate(settingsOf(c)).image, caseDir / "image.nii.gz");
        const auto [rc, out] = test::run(cli + " run knee " + quote(caseDir / "image.nii.gz") + " --out " +
                                         quote(caseDir / "auto") + " --device cpu -q -p meshes=false");
        ASSERT_TRUE(rc == 0 || rc == 4) << c.name << ":\n" << out;
        const json m = json::parse(std::ifstream(caseDir / "auto" / "metrics.json"));
        std::cout << "[ side     ] " << c.name << ": " << m.value("side", "") << " (" << m.value("side_source", "")
                  << ") " << m["side_evidence"].dump() << '\n';
        const std::string source = m.value("side_source", "");
        EXPECT_TRUE(source == "anatomy" || source == "assumed") << c.name << ": " << source;
        if (source == "anatomy") EXPECT_EQ(m.value("side", ""), c.right ? "right" : "left") << c.name;
        if (source == "assumed") EXPECT_EQ(m.value("side", ""), "right") << c.name;
    }
}
