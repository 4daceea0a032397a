// Inputs found by the libFuzzer targets of fuzz/ (issue 23), reduced to the smallest case: each crashed, broke a
// parser's contract or made it allocate out of proportion before its fix.
#include "TestSupport.h"
#include "io/TruncationCheck.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"
#include "strata/classify/IdxFile.h"
#include "strata/inference/ModelCard.h"
#include "strata/pipeline/PipelineManifest.h"
#include "strata/quant/MeshIO.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <limits>

using namespace strata;

namespace {

void writeBytes(const std::filesystem::path& path, const std::string& bytes)
{
    std::ofstream(path, std::ios::binary) << bytes;
}

std::string fromHex(const std::string& hex)
{
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
}

} // namespace

// fuzz_mesh_io: a 120-byte PLY header declaring 400 million vertices made readPly allocate 4.8 GB before it read
// a single vertex (result bundles downloaded from a server carry PLY meshes); "-1" asked for 2^64 - 1.
TEST(FuzzRegression, PlyCountsAreCheckedAgainstTheFileSizeBeforeAllocating)
{
    test::TempDir dir;
    for (const std::string count : {"400000000", "-1", "18446744073709551615"}) {
        writeBytes(dir / "big.ply", "ply\nformat binary_little_endian 1.0\nelement vertex " + count +
                                        "\nproperty float x\nproperty float y\nproperty float z\nend_header\n");
        EXPECT_THROW((void)quant::readPly(dir / "big.ply"), IoError) << count;
    }
    writeBytes(dir / "faces.ply", "ply\nformat binary_little_endian 1.0\nelement vertex 0\nproperty float x\n"
                                  "property float y\nproperty float z\nelement face 99999999999\nend_header\n");
    EXPECT_THROW((void)quant::readPly(dir / "faces.ply"), IoError);
    // A real mesh still reads.
    quant::Mesh m;
    m.vertices = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}};
    m.triangles = {{0, 1, 2}};
    m.scalars = {1, 2, 3};
    quant::writePly(m, dir / "ok.ply");
    const auto back = quant::readPly(dir / "ok.ply");
    EXPECT_EQ(back.vertices.size(), 3u);
    EXPECT_EQ(back.triangles.size(), 1u);
    EXPECT_EQ(back.scalars.size(), 3u);
}

// fuzz_idx_file: dimensions whose product wraps around 2^64 (here 2^71 x ...) matched a file holding no data, so
// an "accepted" file claimed far more images than its data held.
TEST(FuzzRegression, IdxDimensionsThatOverflowAreRefused)
{
    test::TempDir dir;
    std::string bytes{'\0', '\0', '\x08', '\x03'};
    for (const std::uint32_t d : {0x01000000u, 0x01000000u, 0x00010000u}) { // 2^24 * 2^24 * 2^16 = 2^64 -> 0
        for (int shift = 24; shift >= 0; shift -= 8) bytes += static_cast<char>((d >> shift) & 0xFF);
    }
    writeBytes(dir / "wrap.idx", bytes);
    EXPECT_THROW((void)classify::IdxFile::read(dir / "wrap.idx"), IoError);
    std::string zero{'\0', '\0', '\x08', '\x02', '\xff', '\xff', '\xff', '\xff', '\0', '\0', '\0', '\0'};
    writeBytes(dir / "zero.idx", zero); // a zero dimension holds nothing, legitimately
    EXPECT_TRUE(classify::IdxFile::read(dir / "zero.idx").data.empty());
}

// fuzz_model_card: "input_channels": 1e300 (or a patch size of 1e20, a colour of 1e10) was converted to int by
// nlohmann's get<int>() with undefined behaviour (UBSan: "outside the range of representable values").
TEST(FuzzRegression, ModelCardNumbersOutOfRangeAreInvalidArguments)
{
    const nlohmann::json base{{"name", "m"}, {"version", "1"}, {"task", "segmentation3d"}, {"sha256", std::string(64, 'a')}};
    for (const auto& [field, value] : std::vector<std::pair<std::string, nlohmann::json>>{
             {"input_channels", 1e300},
             {"output_channels", -1e300},
             {"input_channels", 2.5},
             {"patch_size", {1e20, 8, 8}},
             {"patch_size", {64, 64}},
             {"input_size", {1, "x"}},
             {"labels", {{{"id", 1e30}, {"name", "x"}}}},
             {"labels", {{{"id", 1}, {"name", "x"}, {"rgba", {1e10, 2, 3, 4}}}}},
             {"labels", {{{"id", 1}, {"name", "x"}, {"rgba", {300, 2, 3, 4}}}}}}) {
        nlohmann::json card = base;
        card[field] = value;
        try {
            (void)inference::ModelCard::fromJson(card);
            ADD_FAILURE() << field << " = " << value.dump() << " was accepted";
        } catch (const InvalidArgument& e) {
            EXPECT_NE(std::string(e.what()).find(field.substr(0, field.find('_'))), std::string::npos) << e.what();
        }
    }
    nlohmann::json card = base;
    card["patch_size"] = {64.0, 64, 32};
    card["labels"] = {{{"id", 3}, {"name", "x"}, {"rgba", {0, 128, 255, 255}}}};
    const auto c = inference::ModelCard::fromJson(card);
    EXPECT_EQ(c.patchSize[0], 64);
    EXPECT_EQ(c.labels.find(3)->rgba[2], 255);
}

// fuzz_json_limits: nlohmann reports a number beyond double's range as out_of_range, not parse_error, and
// ModelCard::load caught parse_error only, so a card holding 1e999 escaped as a nlohmann exception (not IoError).
TEST(FuzzRegression, ModelCardWithAnOverflowingNumberIsAnIoError)
{
    test::TempDir dir;
    writeBytes(dir / "model.json", R"({"name": "m", "version": "1", "task": "t", "input_channels": 1e999})");
    try {
        (void)inference::ModelCard::load(dir.path());
        ADD_FAILURE() << "accepted";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("not valid JSON"), std::string::npos) << e.what();
    }
}

// fuzz_pipeline_params: an "int" parameter of 1e300 (a job's parameters, checked by the server) passed "min": 0 and
// was then cast to long long with undefined behaviour (LLONG_MIN on x86: knee tile_voxels, super-resolution
// max_frames have no max); 2^64 - 1 passed too and became -1 where a pipeline reads it as a signed number.
TEST(FuzzRegression, IntParametersOutsideLongLongAreRefused)
{
    const auto m = pipeline::PipelineManifest::fromJson(nlohmann::json::parse(
        R"({"id": "p", "parameters": [{"name": "n", "type": "int", "default": 0, "min": 0}]})"));
    for (const auto& bad : {nlohmann::json(1e300), nlohmann::json(-1e300), nlohmann::json(18446744073709551615ull),
                            nlohmann::json(9.3e18), nlohmann::json(2.5)}) {
        EXPECT_THROW(m.resolveParameters({{"n", bad}}), InvalidArgument) << bad.dump();
    }
    EXPECT_EQ(m.resolveParameters({{"n", 5.0}})["n"], 5);
    EXPECT_EQ(m.resolveParameters({{"n", 4000000000000ll}})["n"].get<long long>(), 4000000000000ll);
}

// fuzz_image_headers: a NIfTI header whose vox_offset (a float) is 4.7e22, infinite or NaN was converted to an
// integer offset with undefined behaviour in the check that a file holds its pixel data (found in its first minute);
// a MetaImage CompressedDataSize past 2^64 escaped as std::out_of_range (seen in the code while writing the target).
// Both are now a clear IoError.
TEST(FuzzRegression, NiftiOffsetsAndMetaImageSizesOutOfRangeAreIoErrors)
{
    test::TempDir dir;
    for (const float offset : {4.72941e22f, std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN()}) {
        std::string header(352 + 64, '\0');
        const std::int32_t sizeofHdr = 348;
        std::memcpy(header.data(), &sizeofHdr, 4);
        std::memcpy(header.data() + 108, &offset, 4);
        std::memcpy(header.data() + 344, "n+1", 4);
        writeBytes(dir / "o.nii", header);
        if (std::isnan(offset)) { // NIfTI-1's default offset 352: the 64 bytes are there
            EXPECT_NO_THROW(io::checkPixelDataComplete(dir / "o.nii", 64));
        } else {
            EXPECT_THROW(io::checkPixelDataComplete(dir / "o.nii", 64), IoError) << offset;
        }
    }
    writeBytes(dir / "c.mha", "NDims = 3\nCompressedData = True\nCompressedDataSize = 99999999999999999999999\n"
                              "ElementDataFile = LOCAL\n");
    try {
        io::checkPixelDataComplete(dir / "c.mha", 8);
        ADD_FAILURE() << "no error";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("header is corrupt"), std::string::npos) << e.what();
    }
}

// fuzz_video_frames: a 720-byte MJPEG AVI (the 5-frame seed VideoFramesTest writes, its stream header and first frame
// damaged) made OpenCV's VideoCapture::read throw cv::Exception ("_step >= minstep"): it escaped readImage, the
// super-resolution probe and the video upscaler as a foreign exception (the fuzzer: std::terminate; a job: the
// assertion text as its message). Now an IoError naming the video and the frame.
TEST(FuzzRegression, AVideoOpenCvThrowsOnIsAnIoError)
{
    test::TempDir dir;
    writeBytes(dir / "clip.avi", fromHex(
    "52494646ce1a0000415649204c495354ec1100006864726c6176696838000000a08601008016000000000000100900000500000000000000"
    "01007702000010002000000018000000000000000000000000000000000000004c495354941000007374726c737472683800000076696473"
    "4d4a5047000000000000000000000000010000000a0000000000000005000000d6000000ffffffff00000000000000002000180073747266"
    "28000000280000002000000018000000010018004d4a50470000000000000000000700000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000766964734d4a504700000000"
    "0000000000000000010000000a000000007072696e745f696e666f00ffffffff000000000000000020d71800737472662800000028000000"
    "2000000018000000010018004d4a50470009000000000000000000000500004c495354540442424242424242424242424242424242424242"
    "424242424242424242424242424242766930306463d600000007100100000000000000000000000000000000110100000000000000000000"
    "000000000000ffc00011080001022003012200021100031100ffda000c030100021152494646ce1a0200415649204c495300000030306463"
    "1000000076030000d5000000000000000000000000000000000000000000000000000000000000000000000000004c495354540400007c6d"
    "6f766930306463d600000007100100000000000000000000000000000000110100000000000000000000000000000000ffc0001108000100"
    "2003012200021100031100ffda000c030100021152494646ce1a0000415649204c495354ec1100006864726c6176696838000000a0860100"
    "8016000000000000000000000020001800730311003f00a00396b3000000a0003fffd930306463d5000000ffd8fffe74"));
    try {
        (void)readImage(dir / "clip.avi");
        ADD_FAILURE() << "the damaged video was read";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("clip.avi"), std::string::npos) << e.what();
    }
}
