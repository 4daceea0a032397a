// Image classification: the committed Fashion-MNIST model's accuracy on part of the test split (read from the
// Debian package dataset-fashion-mnist), input preparation, the classify pipeline, bad inputs, cancel.
#include "PipelineRun.h"
#include "TestSupport.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"
#include "strata/ModelLocator.h"
#include "strata/StandardPipelines.h"
#include "strata/classify/ClassifierInput.h"
#include "strata/classify/IdxFile.h"
#include "strata/classify/Predictions.h"
#include "strata/inference/ClassificationModel.h"
#include "strata/pipeline/LocalExecutor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>

using namespace strata;
using namespace strata::pipeline;
using nlohmann::json;

namespace {

const std::filesystem::path kFashion = "/usr/share/datasets/fashion-mnist";

bool haveFashion()
{
    return std::filesystem::exists(kFashion / "t10k-images-idx3-ubyte.gz");
}

#define SKIP_WITHOUT_FASHION()                                                                                      \
    if (!haveFashion())                                                                                              \
    GTEST_SKIP() << "Debian package dataset-fashion-mnist is not installed (setup.sh installs it)"

/// Test image i of Fashion-MNIST as a 28x28 grey Image.
Image fashionImage(const classify::IdxFile& images, std::size_t i)
{
    Image img({28, 28, 1}, PixelType::UInt8);
    std::memcpy(img.data(), images.data.data() + i * 28 * 28, 28 * 28);
    return img;
}

RunResult runClassify(const std::filesystem::path& input, const std::filesystem::path& out, json params = json::object(),
                      ProgressSink* sink = nullptr, std::stop_token stop = {})
{
    return test::runPipeline("classify", "images", input, out, std::move(params), sink, stop);
}

} // namespace

TEST(Classification, ModelReachesItsCardAccuracyOnTheFirst2000TestImages)
{
    SKIP_WITHOUT_FASHION();
    const auto images = classify::IdxFile::read(kFashion / "t10k-images-idx3-ubyte.gz");
    const auto labels = classify::IdxFile::read(kFashion / "t10k-labels-idx1-ubyte.gz");
    ASSERT_EQ(images.dims, (std::vector<std::uint32_t>{10000, 28, 28}));
    ASSERT_EQ(labels.dims, (std::vector<std::uint32_t>{10000}));
    auto model = inference::ClassificationModel::load(findModelDir("fashion"), {"cpu"});
    ASSERT_EQ(model->inputSize(), 28u * 28u);
    constexpr std::size_t kCount = 2000;
    std::vector<float> x(kCount * 28 * 28);
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = images.data[i] / 255.0f;
    }
    const auto p = model->predict(x, kCount);
    std::size_t correct = 0;
    for (std::size_t i = 0; i < kCount; ++i) {
        const auto row = p.begin() + static_cast<std::ptrdiff_t>(i * 10);
        correct += static_cast<std::size_t>(std::max_element(row, row + 10) - row) == labels.data[i];
    }
    const double accuracy = static_cast<double>(correct) / kCount;
    const double cardAccuracy = model->card().accuracy.at("test_accuracy").get<double>();
    std::cout << "[ ACCURACY ] " << accuracy << " on the first " << kCount << " test images (card: " << cardAccuracy
              << " on all 10,000)\n";
    EXPECT_GE(accuracy, 0.90);
    EXPECT_NEAR(accuracy, cardAccuracy, 0.03);
}

TEST(Classification, InputIsFittedAndInvertedForLightBackgrounds)
{
    // A dark square on a white 60x30 page: fitted to 28x14 in the middle, then inverted (light on dark).
    Image img({60, 30, 1}, PixelType::UInt8);
    auto px = img.pixels<std::uint8_t>();
    for (std::size_t y = 0; y < 30; ++y)
        for (std::size_t x = 0; x < 60; ++x)
            px[y * 60 + x] = (x >= 20 && x < 40 && y >= 5 && y < 25) ? 0 : 255;
    const auto v = classify::classifierInput(img, 28, 28, "light-on-dark");
    ASSERT_EQ(v.size(), 28u * 28u);
    EXPECT_NEAR(v[14 * 28 + 14], 1.0f, 0.01f); // the square, now light
    EXPECT_NEAR(v[14 * 28 + 2], 0.0f, 0.01f);  // the page, now dark
    EXPECT_NEAR(v[1 * 28 + 14], 0.0f, 0.01f);  // padding above matches the background
    const auto asIs = classify::classifierInput(img, 28, 28, "as-is");
    EXPECT_NEAR(asIs[14 * 28 + 14], 0.0f, 0.01f);
    EXPECT_THROW((void)classify::classifierInput(Image{}, 28, 28, "as-is"), InvalidArgument);
    EXPECT_THROW((void)classify::classifierInput(Image({4, 4, 4}, PixelType::UInt8), 28, 28, "as-is"), InvalidArgument);
}

TEST(ClassifyPipeline, FolderOfImagesGivesTopKTables)
{
    SKIP_WITHOUT_FASHION();
    test::TempDir dir;
    const auto images = classify::IdxFile::read(kFashion / "t10k-images-idx3-ubyte.gz");
    const auto labels = classify::IdxFile::read(kFashion / "t10k-labels-idx1-ubyte.gz");
    std::filesystem::create_directories(dir / "in");
    for (std::size_t i = 0; i < 20; ++i) {
        writeImage(fashionImage(images, i), dir / "in" / ("img" + std::to_string(100 + i) + ".png"));
    }
    const auto r = runClassify(dir / "in", dir / "out", {{"top_k", 3}, {"batch", 8}});
    ASSERT_EQ(r.status, RunStatus::Succeeded) << r.message;
    const json pred = json::parse(std::ifstream(dir / "out" / "predictions.json"));
    ASSERT_EQ(pred["images"].size(), 20u);
    int correct = 0;
    for (std::size_t i = 0; i < 20; ++i) {
        const auto& img = pred["images"][i];
        EXPECT_EQ(img["source"], "img" + std::to_string(100 + i) + ".png");
        ASSERT_EQ(img["top"].size(), 3u);
        EXPECT_GE(img["top"][0]["probability"].get<double>(), img["top"][1]["probability"].get<double>());
        correct += img["top"][0]["id"].get<int>() == labels.data[i];
    }
    EXPECT_GE(correct, 17);
    // The typed reader the gallery uses gives the same back.
    const auto read = classify::readPredictions(dir / "out");
    ASSERT_EQ(read.size(), 20u);
    for (std::size_t i = 0; i < 20; ++i) {
        EXPECT_EQ(read[i].source, pred["images"][i]["source"].get<std::string>());
        ASSERT_EQ(read[i].top.size(), 3u);
        EXPECT_EQ(read[i].top[0].id, pred["images"][i]["top"][0]["id"].get<int>());
        EXPECT_EQ(read[i].top[0].label, pred["images"][i]["top"][0]["label"].get<std::string>());
        EXPECT_TRUE(read[i].error.empty());
    }
    std::ifstream csv(dir / "out" / "predictions.csv");
    std::string line;
    int rows = 0;
    while (std::getline(csv, line)) {
        ++rows;
    }
    EXPECT_EQ(rows, 1 + 20 * 3);
    const json prov = json::parse(std::ifstream(dir / "out" / "provenance.json"));
    EXPECT_EQ(prov["notes"]["model"]["name"], "fashion-cnn");
}

TEST(ClassifyPipeline, BadInputsGiveClearErrors)
{
    test::TempDir dir;
    test::writeText(dir / "empty.png", "");
    auto r = runClassify(dir / "empty.png", dir / "o1");
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("empty"), std::string::npos) << r.message;

    test::writeText(dir / "garbage.png", std::string(500, 'x'));
    r = runClassify(dir / "garbage.png", dir / "o2");
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("garbage.png"), std::string::npos) << r.message;

    Image small({40, 30, 1}, PixelType::UInt8);
    writeImage(small, dir / "small.png");
    r = runClassify(dir / "small.png", dir / "o3", {{"max_megapixels", 0.001}});
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("megapixels"), std::string::npos) << r.message;

    std::filesystem::create_directories(dir / "nothing");
    r = runClassify(dir / "nothing", dir / "o4");
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("no images"), std::string::npos) << r.message;

    r = runClassify(dir / "small.png", dir / "o5", {{"model", "knee"}});
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("not an image classifier"), std::string::npos) << r.message;

    // on_error = skip lists the bad file and classifies the rest.
    std::filesystem::create_directories(dir / "mixed");
    writeImage(small, dir / "mixed" / "a.png");
    test::writeText(dir / "mixed" / "b.png", "not a png");
    r = runClassify(dir / "mixed", dir / "o6", {{"on_error", "skip"}});
    ASSERT_EQ(r.status, RunStatus::Succeeded) << r.message;
    const json pred = json::parse(std::ifstream(dir / "o6" / "predictions.json"));
    EXPECT_TRUE(pred["images"][0].contains("top"));
    EXPECT_TRUE(pred["images"][1].contains("error"));
    const auto read = classify::readPredictions(dir / "o6");
    ASSERT_EQ(read.size(), 2u);
    EXPECT_FALSE(read[0].top.empty());
    EXPECT_FALSE(read[1].error.empty());
    EXPECT_TRUE(read[1].top.empty());
}

// A damaged predictions.json (or one from a server that is not Strata's) is an IoError naming the file and the image,
// not a JSON library message about an array index.
TEST(ClassifyPipeline, DamagedPredictionsAreClearErrors)
{
    test::TempDir dir;
    const auto expectError = [&](const std::string& text, const std::string& part) {
        test::writeText(dir / "predictions.json", text);
        try {
            (void)classify::readPredictions(dir.path());
            ADD_FAILURE() << "no error for " << text;
        } catch (const IoError& e) {
            EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("predictions.json"), std::string::npos) << e.what();
        }
    };
    expectError("[]", "no list of images");
    expectError(R"({"images": [{"source": "a.png", "top": []}]})", "image 1 has neither labels nor an error");
    expectError(R"({"images": [{"source": "a.png", "top": [{"label": "x", "probability": 0.5}]}, {"top": []}]})",
                "image 2 has no source named");
    expectError(R"({"images": [{"source": "a.png", "top": [{"label": "x", "probability": 7}]}]})", "outside 0-1");
    expectError(R"({"images": [{"source": "a.png", "top": [{"label": 3, "probability": 0.1}]}]})", "without its name");
    expectError("{\"images\": [", "predictions.json");
    test::writeText(dir / "predictions.json",
                    R"({"images": [{"source": "a.png", "top": [{"id": 2, "label": "Pullover", "probability": 0.75}]},
                                   {"source": "b.png", "error": "not a picture"}]})");
    const auto ok = classify::readPredictions(dir.path());
    ASSERT_EQ(ok.size(), 2u);
    EXPECT_EQ(ok[0].top.at(0).label, "Pullover");
    EXPECT_EQ(ok[0].top.at(0).id, 2);
    EXPECT_FLOAT_EQ(ok[0].top.at(0).probability, 0.75f);
    EXPECT_EQ(ok[1].error, "not a picture");
}

TEST(ClassifyPipeline, CancelBetweenBatchesLeavesNothing)
{
    test::TempDir dir;
    std::filesystem::create_directories(dir / "in");
    Image img({28, 28, 1}, PixelType::UInt8);
    for (int i = 0; i < 40; ++i) {
        writeImage(img, dir / "in" / ("i" + std::to_string(i) + ".png"));
    }
    std::stop_source stop;
    struct StopOnFirstBatch : ProgressSink {
        std::stop_source* stop;
        void progress(const ProgressEvent& e) override
        {
            if (e.stageId == "classify" && e.message.rfind("Classified", 0) == 0) {
                stop->request_stop();
            }
        }
    } sink;
    sink.stop = &stop;
    const auto r = runClassify(dir / "in", dir / "out", {{"batch", 4}}, &sink, stop.get_token());
    EXPECT_EQ(r.status, RunStatus::Cancelled) << r.message;
    EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}
